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
