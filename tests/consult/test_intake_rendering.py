"""The intake screen's fast rendering (issue 13) writes the same markup as
Django's templates: every widget of the intake and client forms, unbound,
bound and with errors, compared byte for byte with the default renderer;
the option lists kept per process mark what a form sent back chose, never
leak it into the next page, and follow a renamed topic or language."""

import re
import uuid

import pytest
from django.forms.renderers import DjangoTemplates
from django.template import engines
from django.utils import timezone, translation

from consult import reference_cache
from consult.forms.clients import ClientForm
from consult.forms.intake import IntakeForm
from consult.forms.renderers import mark_chosen
from consult.models import Language, Topic
from core.form_rendering import FastWidgetRenderer
from tests.factories import as_user

pytestmark = pytest.mark.django_db


def _intake_data(**overrides):
    data = {
        "language": str(Language.objects.get(code="vi").pk),
        "channel": "phone",
        "interpretation_mode": "bilingual",
        "topics": [str(t.pk) for t in Topic.objects.active()[:2]],
        "notes": 'Fragen <b>"Visa"</b> & 在留',
        "actions": ["information", "interpretation"],
        "minutes": "25",
        "outcome": "referred",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "follow_up_due": "",
        "follow_up_note": "",
        "intake_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def _client_data(**overrides):
    data = {
        "name": "<NGUYEN> Van & A",
        "name_kana": "グエン",
        "name_latin": "NGUYEN Van A",
        "birth_year": "1990",
        "nationality": "VN",
        "age_band": "30-39",
        "client_type": "self",
        "lives_outside_area": "on",
        "phone": "090-1234-5678",
    }
    data.update(overrides)
    return data


def _assert_same_markup(make_form):
    fast, slow = make_form(), make_form(renderer=DjangoTemplates())
    assert isinstance(fast.renderer, FastWidgetRenderer)  # the project's FORM_RENDERER
    assert not isinstance(slow.renderer, FastWidgetRenderer)
    assert list(fast.fields) == list(slow.fields)
    fast.is_bound and fast.is_valid()
    slow.is_bound and slow.is_valid()
    for form in (fast, slow):  # attribute values that need escaping, boolean attributes
        for field in form.fields.values():
            field.widget.attrs.update({"data-odd": '<a href="x">&\'</a>', "data-on": True, "data-off": False})
    for name in fast.fields:
        assert str(fast[name]) == str(slow[name]), name
        for fast_option, slow_option in zip(fast[name].subwidgets, slow[name].subwidgets, strict=True):
            assert str(fast_option) == str(slow_option), name


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("quick", [False, True])
def test_intake_form_unbound_renders_as_django_does(hub_staff, hub_desk, language, quick):
    initial = {"channel": "phone", "intake_token": uuid.uuid4()}  # one token for both forms
    with translation.override(language):
        _assert_same_markup(lambda **kw: IntakeForm(user=hub_staff, quick=quick, initial=dict(initial), **kw))


@pytest.mark.parametrize(
    "overrides",
    [
        {},  # valid: every choice selected or checked as posted
        {"minutes": "-3", "topics": [], "outcome": "", "language": ""},  # errors: aria-invalid, error ids
        {"follow_up_note": "call back", "occurred_at": "2099-01-01T10:00", "channel": "nonsense"},
    ],
)
def test_intake_form_bound_renders_as_django_does(hub_staff, hub_desk, overrides):
    data = _intake_data(desk=str(hub_desk.pk), **overrides)
    _assert_same_markup(lambda **kw: IntakeForm(data, user=hub_staff, **kw))


@pytest.mark.parametrize(
    "data",
    [
        None,
        _client_data(),
        _client_data(name="", name_kana="", name_latin="", birth_year="1800", nationality="XX", gender="?"),
    ],
)
def test_client_form_renders_as_django_does(hub_staff, data):
    _assert_same_markup(lambda **kw: ClientForm(data, user=hub_staff, **kw))


def test_bound_intake_form_marks_what_was_posted(hub_staff, hub_desk):
    """A form sent back with an error keeps the posted choices checked and
    selected (and only those), and says which field is wrong."""
    data = _intake_data(desk=str(hub_desk.pk), minutes="-1")
    form = IntakeForm(data, user=hub_staff)
    assert not form.is_valid()
    channel = str(form["channel"])
    assert re.search(r"value=\"phone\"[^>]* checked>", channel)
    assert channel.count(" checked") == 1
    actions = str(form["actions"])
    assert actions.count(" checked") == 2 and 'value="information"' in actions
    minutes = str(form["minutes"])
    assert 'value="-1"' in minutes and 'aria-invalid="true"' in minutes
    assert 'aria-describedby="id_minutes_error"' in minutes
    notes = str(form["notes"])
    assert "Fragen &lt;b&gt;&quot;Visa&quot;&lt;/b&gt; &amp; 在留</textarea>" in notes
    desk = str(form["desk"])
    assert f'<option value="{hub_desk.pk}" selected>' in desk


# --- the kept option lists (topics, languages, nationalities, desks) ------------
NEW = "/consultations/new/"


def _topics_of(html):
    return html.split('<ul class="topic-tree" id="topic-list">')[1].split('<p class="topic-summary"')[0]


def _select_of(html, name):
    return re.search(rf'<select[^>]* name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)


def test_a_form_sent_back_ticks_what_was_chosen_and_the_next_page_does_not(client, hub_staff, hub_desk):
    reference_cache.clear_reference_cache()
    as_user(client, hub_staff)
    # The first page after the lists were dropped is a form sent back: the
    # lists it keeps must still have nothing chosen.
    chosen = list(Topic.objects.active().order_by("pk")[:2])
    vietnamese = Language.objects.get(code="vi")
    response = client.post(
        NEW,
        {
            **_intake_data(desk=str(hub_desk.pk), minutes="-1"),
            "topics": [str(t.pk) for t in chosen],
            "client_choice": "new",
            **_client_data(),
        },
    )
    assert response.status_code == 200  # sent back: minutes is wrong
    html = response.content.decode()
    topics = _topics_of(html)
    assert sorted(re.findall(r'value="(\d+)" id="id_topics_\d+" checked>', topics)) == sorted(str(t.pk) for t in chosen)
    assert topics.count(" checked") == 2
    language = _select_of(html, "language")
    assert re.findall(r'<option value="(\d+)"[^>]* selected>', language) == [str(vietnamese.pk)]
    nationality = _select_of(html, "nationality")
    assert re.findall(r'<option value="(\w*)"[^>]* selected>', nationality) == ["VN"]

    # The next page comes from the same kept lists: nothing of the above in it.
    html = client.get(NEW).content.decode()
    assert " checked" not in _topics_of(html)
    assert " selected" not in _select_of(html, "language")
    assert re.findall(r'<option value="(\w*)"[^>]* selected>', _select_of(html, "nationality")) == [""]
    # ?language= (the language card) still starts the form in that language.
    html = client.get(NEW, {"language": "vi"}).content.decode()
    assert re.findall(r'<option value="(\d+)"[^>]* selected>', _select_of(html, "language")) == [str(vietnamese.pk)]


def test_a_renamed_topic_or_language_shows_once_the_kept_lists_are_dropped(client, hub_staff, hub_desk):
    reference_cache.clear_reference_cache()
    as_user(client, hub_staff)
    client.get(NEW)
    topic = Topic.objects.active().order_by("pk").first()
    topic.name_ja = "改名した相談分野"
    topic.save()  # as the admin does: the kept rows and lists are dropped
    language = Language.objects.get(code="vi")
    language.name_ja = "改名した言語"
    language.save()
    html = client.get(NEW).content.decode()
    assert f'<label for="id_topics_{topic.pk}">改名した相談分野' in _topics_of(html)
    assert "改名した言語" in _select_of(html, "language")


def test_the_desk_options_are_the_desks_the_form_accepts(hub_staff, ibara_clerk):
    for user in (hub_staff, ibara_clerk):
        form = IntakeForm(user=user)
        assert [(value, label) for value, label in form.fields["desk"].choices] == [
            (desk.pk, str(desk)) for desk in form.fields["desk"].queryset
        ]


def test_mark_chosen_marks_only_the_exact_value():
    html = '<option value="1">a</option><option value="12" data-search="x&gt;y">b</option><option value="">—</option>'
    assert mark_chosen(html, tag_start='<option value="', values=["12"], word="selected") == (
        '<option value="1">a</option><option value="12" data-search="x&gt;y" selected>b</option><option value="">—</option>'
    )
    assert mark_chosen(html, tag_start='<option value="', values=["", "3", '1"'], word="selected") == (
        '<option value="1">a</option><option value="12" data-search="x&gt;y">b</option><option value="" selected>—</option>'
    )


# --- the field wrapper: {% intake_field %} is forms/field.html ------------------
def _assert_same_wrapper(form):
    form.is_bound and form.is_valid()
    engine = engines["django"]
    include = engine.from_string('{% include "forms/field.html" with field=field wide=wide %}')
    tag = engine.from_string("{% load intake_fields %}{% intake_field field wide=wide %}")
    for name in form.fields:
        for wide in (False, True):
            context = {"field": form[name], "wide": wide}
            assert tag.render(context) == include.render(context), (name, wide)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_intake_field_tag_writes_forms_field_html(hub_staff, hub_desk, language):
    with translation.override(language):
        _assert_same_wrapper(IntakeForm(user=hub_staff))
        _assert_same_wrapper(IntakeForm(user=hub_staff, quick=True))
        _assert_same_wrapper(IntakeForm(_intake_data(desk=str(hub_desk.pk)), user=hub_staff))
        _assert_same_wrapper(
            IntakeForm(
                _intake_data(minutes="-3", topics=[], outcome="", channel="x", follow_up_note="<b>"), user=hub_staff
            )
        )
        _assert_same_wrapper(ClientForm(user=hub_staff))
        _assert_same_wrapper(ClientForm(_client_data(birth_year="1800", nationality="XX"), user=hub_staff))
