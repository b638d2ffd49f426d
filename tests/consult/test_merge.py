"""Merging duplicate clients (/clients/merge/): coordinators only, every case
follows, the duplicate stays as a tombstone, and the merge is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consult.models import Case, Client
from core.models import AuditEvent
from tests.factories import ClientFactory, as_user, make_case

pytestmark = pytest.mark.django_db

URL = reverse("consult:client_merge")


@pytest.fixture
def pair(hub_desk, hub_staff):
    """The same person registered twice at the hub desk, with cases on both."""
    keep = ClientFactory(
        registered_desk=hub_desk, name="グエン・ヴァン・ア", name_latin="Nguyen Van A", birth_year=1990
    )
    merge = ClientFactory(registered_desk=hub_desk, name="NGUYEN VAN A", nationality="VN", phone="090-0000-0000")
    keep_case = make_case(hub_desk, hub_staff, client=keep)
    merge_cases = [make_case(hub_desk, hub_staff, client=merge) for _ in range(2)]
    return keep, merge, keep_case, merge_cases


def test_coordinator_compares_side_by_side(client, coordinator, pair):
    keep, merge, keep_case, merge_cases = pair
    response = as_user(client, coordinator).get(URL, {"keep": keep.pk, "merge": merge.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "グエン・ヴァン・ア" in html and "NGUYEN VAN A" in html
    assert all(c.reference in html for c in [keep_case, *merge_cases])
    assert 'data-testid="merge-form"' in html


def test_merge_moves_every_case_and_leaves_a_tombstone(client, coordinator, pair):
    keep, merge, keep_case, merge_cases = pair
    versions = {c.pk: c.version for c in merge_cases}
    response = as_user(client, coordinator).post(URL, {"keep": keep.pk, "merge": merge.pk, "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("consult:client_detail", args=[keep.pk])
    assert set(Case.objects.filter(client=keep)) == {keep_case, *merge_cases}
    assert not Case.objects.filter(client=merge).exists()
    merge.refresh_from_db()
    keep.refresh_from_db()
    assert merge.merged_into_id == keep.pk
    # Blank fields of the kept record were filled from the duplicate.
    assert (keep.nationality, keep.phone, keep.birth_year) == ("VN", "090-0000-0000", 1990)
    # Moved cases changed: an editor holding an old version gets a conflict.
    assert all(Case.objects.get(pk=pk).version == v + 1 for pk, v in versions.items())
    event = AuditEvent.objects.get(action="merge")
    assert event.actor == coordinator
    assert sorted(event.changes["cases_moved"]) == sorted(c.pk for c in merge_cases)
    # The tombstone is gone from every list and cannot be merged again.
    assert merge not in Client.objects.visible_to(coordinator)
    assert client.get(URL, {"keep": keep.pk, "merge": merge.pk}).status_code == 404


def test_merge_needs_confirmation(client, coordinator, pair):
    keep, merge, *_ = pair
    response = as_user(client, coordinator).post(URL, {"keep": keep.pk, "merge": merge.pk})
    assert response.status_code == 200
    assert "form-errors" in response.content.decode() or "field--invalid" in response.content.decode()
    merge.refresh_from_db()
    assert merge.merged_into_id is None
    assert Case.objects.filter(client=merge).count() == 2


def test_a_client_cannot_be_merged_with_itself(client, coordinator, pair):
    keep, *_ = pair
    response = as_user(client, coordinator).post(URL, {"keep": keep.pk, "merge": keep.pk, "confirm": "on"})
    assert response.status_code == 200
    assert "form-errors" in response.content.decode() or "field--invalid" in response.content.decode()
    keep.refresh_from_db()
    assert keep.merged_into_id is None


def test_search_step_lists_candidates(client, coordinator, pair):
    keep, merge, *_ = pair
    response = as_user(client, coordinator).get(URL, {"q": "nguyen van a"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{keep.pk}"' in html and f'value="{merge.pk}"' in html


def test_counter_staff_without_merge_capability_gets_403(client, hub_staff, pair):
    keep, merge, *_ = pair
    c = as_user(client, hub_staff)
    assert c.get(URL).status_code == 403
    assert c.get(URL, {"keep": keep.pk, "merge": merge.pk}).status_code == 403
    assert c.post(URL, {"keep": keep.pk, "merge": merge.pk, "confirm": "on"}).status_code == 403
    merge.refresh_from_db()
    assert merge.merged_into_id is None


@pytest.mark.parametrize("who", ["ibara_clerk", "ibara_stats", "outsider"])
def test_outsiders_get_404(client, request, who, pair):
    keep, merge, *_ = pair
    c = as_user(client, request.getfixturevalue(who))
    assert c.get(URL, {"keep": keep.pk, "merge": merge.pk}).status_code == 404
    assert c.post(URL, {"keep": keep.pk, "merge": merge.pk, "confirm": "on"}).status_code == 404
    merge.refresh_from_db()
    assert merge.merged_into_id is None


def test_wrong_method_and_anonymous(client, coordinator, pair):
    keep, merge, *_ = pair
    response = client.get(URL, {"keep": keep.pk, "merge": merge.pk})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert as_user(client, coordinator).put(URL).status_code == 405
    assert client.delete(URL).status_code == 405
