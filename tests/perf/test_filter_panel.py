"""The case list's filter panel is rendered once per process, scope and
language while it is at its defaults (issue 13): the kept HTML must be
exactly what a fresh render gives, must follow the person's scope and
language, and a filtered panel must never come from it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from consult import reference_cache
from tests.factories import as_user, make_case

pytestmark = pytest.mark.django_db

URL = reverse("consult:case_list")


def panel(response) -> str:
    html = response.content.decode()
    return re.search(r'<div class="case-filters__grid">.*?</details>', html, re.S).group(0)


def fresh(client, data=None) -> str:
    reference_cache.clear_reference_cache()
    return panel(client.get(URL, data))


def test_the_kept_panel_is_the_fresh_one_for_the_same_scope_and_language(client, hub_staff, hub_desk):
    make_case(hub_desk, hub_staff)
    as_user(client, hub_staff)
    for data in (None, {"q": "テスト"}):
        first = fresh(client, data)
        assert panel(client.get(URL, data)) == first  # from the per-process copy
        assert len(reference_cache._panel_cache) == 1
    japanese = panel(client.get(URL))
    assert "Any status" not in japanese
    hub_staff.ui_language = "en"
    hub_staff.save(update_fields=["ui_language"])
    client.get(URL)  # the same scope, another language: kept apart
    english = panel(client.get(URL))
    assert "Any status" in english and "Any language" in english
    assert english == fresh(client)


def test_the_panel_follows_the_scope_of_each_person(client, hub_staff, hub_desk, ibara_clerk, ibara_desk):
    reference_cache.clear_reference_cache()
    as_user(client, hub_staff)
    hub_panel = panel(client.get(URL))
    as_user(client, ibara_clerk)
    clerk_panel = panel(client.get(URL))

    def desks(html):
        select = html.split('name="desk"')[1].split("</select>")[0]
        return set(re.findall(r'<option value="(\d+)"', select))

    assert desks(clerk_panel) == {str(ibara_desk.pk)}
    assert str(hub_desk.pk) in desks(hub_panel) and len(desks(hub_panel)) > 1


def test_a_filtered_panel_is_rendered_with_its_values(client, hub_staff, hub_desk):
    as_user(client, hub_staff)
    reference_cache.clear_reference_cache()
    client.get(URL)  # the default panel is kept
    filtered = panel(client.get(URL, {"status": "active", "overdue": "on"}))
    assert re.search(r'<option value="active"[^>]*selected', filtered)
    assert re.search(r'name="overdue"[^>]*checked', filtered)
    status = panel(client.get(URL)).split('name="status"')[1].split("</select>")[0]
    assert not re.search(r'<option value="active"[^>]*selected', status)


def test_a_new_colleague_shows_in_the_assignee_filter_at_once_in_this_process(client, hub_staff, hub_desk, kurashiki):
    from tests.conftest import _member

    as_user(client, hub_staff)
    before = panel(client.get(URL))
    newcomer = _member(kurashiki, "counter_staff", username="t-staff-newcomer")
    after = panel(client.get(URL))
    assert f'value="{newcomer.pk}"' not in before
    assert f'value="{newcomer.pk}"' in after


# --- a filtered panel (put together from fields kept per value) ------------------
# The panel's grid as the template rendered it before it was put together from
# kept fields (every field through forms/field.html, each request), verbatim.
REFERENCE_GRID = (
    "{% load i18n %}"
    + """    <div class="case-filters__grid">
      {% include "forms/field.html" with field=form.status %}
      {% include "forms/field.html" with field=form.desk %}
      {% include "forms/field.html" with field=form.assignee %}
      {% include "forms/field.html" with field=form.language %}
      {% include "forms/field.html" with field=form.topic %}
      {% include "forms/field.html" with field=form.residence %}
      <fieldset class="field field--group case-filters__dates">
        <legend class="field__label">{% translate "Date the case was opened" %}</legend>
        <div class="case-filters__range">
          {% include "forms/field.html" with field=form.opened_from %}
          {% include "forms/field.html" with field=form.opened_to %}
        </div>
      </fieldset>
      {% include "forms/field.html" with field=form.overdue %}
      {% include "forms/field.html" with field=form.sort %}
      {% include "forms/field.html" with field=form.per_page %}
    </div>
"""
)


def reference_grid(user, data) -> str:
    from django.http import QueryDict
    from django.template import engines

    from consult.forms.cases import CaseListFilterForm

    form = CaseListFilterForm(QueryDict(data) if data else None, user=user)
    if form.is_bound:
        form.is_valid()
    return engines["django"].from_string(REFERENCE_GRID).render({"form": form})


FILTERS = [
    "status=active",
    "status=closed&overdue=on&sort=opened&per_page=50",
    "assignee=me&residence=outside",
    "opened_from=2026-04-01&opened_to=2026-09-30",
    "opened_to=9999-12-31",
    "desk=abc",
    "opened_from=2026-05-01&opened_to=2026-01-01",
    "q=nguyen&per_page=7",
]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_filtered_panel_is_what_a_fresh_render_gives_on_every_request(client, hub_staff, hub_desk, language):
    from django.utils import translation

    make_case(hub_desk, hub_staff)
    hub_staff.ui_language = language
    hub_staff.save(update_fields=["ui_language"])
    as_user(client, hub_staff)
    reference_cache.clear_reference_cache()
    for _round in range(2):  # rendered, then from the kept fields
        for data in FILTERS:
            html = client.get(f"{URL}?{data}").content.decode()
            with translation.override(language):
                expected = reference_grid(hub_staff, data)
            assert expected in html, data
    assert reference_cache._panel_field_cache  # the second round used kept fields


def selected(html: str, name: str) -> list[str]:
    select = html.split(f'name="{name}"')[1].split("</select>")[0]
    return re.findall(r'<option value="([^"]*)" selected>', select)


def test_the_chosen_desk_language_and_topic_are_selected_and_not_kept_for_the_next_request(
    client, hub_staff, hub_desk, ibara_clerk, ibara_desk
):
    from django.test import Client

    from consult.models import Language, Topic

    language = Language.objects.get(code="vi")
    topic = Topic.objects.filter(parent__isnull=False).first()
    # Both signed in first: a sign-in saves the user, which empties the
    # per-process caches; the requests below must share them.
    as_user(client, hub_staff)
    other = Client()
    as_user(other, ibara_clerk)
    reference_cache.clear_reference_cache()
    chosen = {"desk": hub_desk.pk, "language": language.pk, "topic": topic.pk}
    for _round in range(2):
        filtered = panel(client.get(URL, chosen))
        for name, pk in chosen.items():
            assert selected(filtered, name) == [str(pk)], name
        assert selected(filtered, "status") == [""]
        assert len(hub_desks := desk_options(filtered)) > 1
    # The next request, filtered otherwise or not at all, shows none of it.
    for data in ({"status": "active"}, {"desk": hub_desk.pk}, None):
        later = panel(client.get(URL, data))
        assert selected(later, "language") == [""] and selected(later, "topic") == [""]
    assert selected(panel(client.get(URL, {"status": "active"})), "desk") == [""]
    # Somebody of another scope, with the same filters or their own, in
    # between the requests above: their desks only, their selection only.
    for data in ({"status": "active"}, {"desk": ibara_desk.pk, "language": language.pk}, {"language": language.pk}):
        client.get(URL, {**chosen, **data})
        theirs = panel(other.get(URL, data))
        assert desk_options(theirs) == {str(ibara_desk.pk)} != hub_desks
        assert selected(theirs, "desk") == [str(data.get("desk", ""))]
        assert selected(theirs, "topic") == [""]


def desk_options(html: str) -> set[str]:
    return set(re.findall(r'<option value="(\d+)"', html.split('name="desk"')[1].split("</select>")[0]))


def test_an_invalid_filter_shows_its_error_in_the_panel_and_the_next_request_does_not(client, hub_staff, hub_desk):
    as_user(client, hub_staff)
    reference_cache.clear_reference_cache()
    for _round in range(2):
        response = client.get(URL, {"desk": "abc", "status": "active"})
        assert 'data-testid="filter-errors"' in response.content.decode()
        grid = panel(response)
        desk_field = grid.split('name="desk"')[0].rsplit('<div class="field', 1)[1]
        assert desk_field.startswith(' field--invalid"')
        assert 'aria-invalid="true"' in re.search(r'<select[^>]*name="desk"[^>]*>', grid).group(0)
        assert 'id="id_desk_error"' in grid
        assert selected(grid, "status") == ["active"]
    later = client.get(URL, {"desk": hub_desk.pk})
    assert 'data-testid="filter-errors"' not in later.content.decode()
    assert "field--invalid" not in panel(later) and 'aria-invalid="true"' not in panel(later)
    assert selected(panel(later), "desk") == [str(hub_desk.pk)]
    far = client.get(URL, {"opened_to": "9999-12-31"})
    assert far.status_code == 200
    assert 'name="opened_to" value="9999-12-31"' in panel(far)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_search_box_is_what_a_fresh_render_gives(client, hub_staff, hub_desk, language):
    from django.http import QueryDict
    from django.template import engines
    from django.utils import translation

    from consult.forms.cases import CaseListFilterForm

    hub_staff.ui_language = language
    hub_staff.save(update_fields=["ui_language"])
    as_user(client, hub_staff)
    reference_cache.clear_reference_cache()
    reference = engines["django"].from_string('{% include "forms/field.html" with field=form.q %}')
    for _round in range(2):  # rendered, then (when empty) kept
        for data in ("", "status=active", "q=", 'q=<script>"x"</script>', "q=" + "x" * 201, "q=nguyen"):
            html = client.get(f"{URL}?{data}").content.decode()
            form = CaseListFilterForm(QueryDict(data) if data else None, user=hub_staff)
            with translation.override(language):
                expected = reference.render({"form": form})
            assert f'<div class="case-filters__search">\n    {expected}\n' in html, data
            if "script" in data:
                assert 'value="&lt;script&gt;&quot;x&quot;&lt;/script&gt;"' in expected
