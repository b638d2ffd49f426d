"""The intake screen's fast rendering (issue 13) writes the same markup as
Django's templates: every widget of the intake and client forms, unbound,
bound and with errors, compared byte for byte with the default renderer."""

import re
import uuid

import pytest
from django.forms.renderers import get_default_renderer
from django.utils import timezone, translation

from consult.forms.clients import ClientForm
from consult.forms.intake import IntakeForm
from consult.forms.renderers import IntakeRenderer
from consult.models import Language, Topic

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
    fast, slow = make_form(), make_form(renderer=get_default_renderer())
    assert isinstance(fast.renderer, IntakeRenderer)
    assert not isinstance(slow.renderer, IntakeRenderer)
    assert list(fast.fields) == list(slow.fields)
    fast.is_bound and fast.is_valid()
    slow.is_bound and slow.is_valid()
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
