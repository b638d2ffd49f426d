"""Issue 12 point 6: no page with personal data stays in a shared counter
PC's browser cache.  Every URL of the configuration (so new screens are
covered as they are added), requested signed in, answers with
Cache-Control: no-store; so do the real personal-data pages with data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.core.test_deny_by_default import all_urls
from tests.factories import ClientFactory, as_user, make_case

pytestmark = pytest.mark.django_db


def _assert_no_store(response, what: str) -> None:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= directives, f"{what}: Cache-Control={response.get('Cache-Control')!r}"


def test_every_url_signed_in_answers_no_store(client, coordinator, hub_desk, hub_staff):
    make_case(hub_desk, hub_staff)
    as_user(client, coordinator)
    checked = 0
    for key, url, _entry in all_urls():
        if key in {"account_logout", "set_language"}:
            continue
        response = client.get(url)
        if response.status_code >= 500 and key != "healthz":  # healthz: 503 without beat
            pytest.fail(f"{key} {url}: {response.status_code}")
        _assert_no_store(response, f"{key} GET {url} ({response.status_code})")
        checked += 1
    assert checked > 50


def test_personal_data_pages_with_data_answer_no_store(client, coordinator, hub_desk, hub_staff):
    keep = ClientFactory(registered_desk=hub_desk, name="山田 花子")
    merge = ClientFactory(registered_desk=hub_desk, name="ヤマダ ハナコ")
    case = make_case(hub_desk, hub_staff, client=keep)
    c = as_user(client, coordinator)
    pages = {
        "case": reverse("consult:case_detail", args=[case.pk]),
        "edit": reverse("consult:case_edit", args=[case.pk]),
        "client": reverse("consult:client_detail", args=[keep.pk]),
        "list": reverse("consult:case_list"),
        "search": reverse("consult:client_search") + "?q=山田",
        "intake": reverse("consult:consultation_new") + f"?client={keep.pk}",
        "merge": reverse("consult:client_merge") + f"?keep={keep.pk}&merge={merge.pk}",
    }
    for what, url in pages.items():
        response = c.get(url)
        assert response.status_code == 200, what
        _assert_no_store(response, what)
