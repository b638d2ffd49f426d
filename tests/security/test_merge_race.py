"""Issue 12 point 1: two coordinators merging the same clients at the same
moment, reproduced with two threads on real PostgreSQL (each thread its own
connection and transaction).  Whatever the interleaving, the records stay
consistent: no client merged into a tombstone, no cycle, every case on a
live client, and one merge event per merge that happened."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from consult.models import Case, Client
from consult.services.clients import client_merge
from core.models import AuditEvent
from tests.factories import ClientFactory, make_case

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 50


def _race(*jobs) -> list[str]:
    """Run each (keep_pk, merge_pk, by) at the same moment, in its own thread.
    The clients are loaded before the barrier, as a view holding a stale
    page would have them.  Returns 'ok' or 'refused' per job."""
    barrier = threading.Barrier(len(jobs))
    results: list[str | None] = [None] * len(jobs)

    def run(i, keep_pk, merge_pk, by):
        try:
            keep, merge = Client.objects.get(pk=keep_pk), Client.objects.get(pk=merge_pk)
            barrier.wait(timeout=10)
            client_merge(keep=keep, merge=merge, by=by)
            results[i] = "ok"
        except ValidationError:
            results[i] = "refused"
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[i] = f"error: {exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def _assert_consistent(clients: list[Client], expected_merges: int) -> None:
    live = {c.pk for c in Client.objects.filter(pk__in=[c.pk for c in clients], merged_into__isnull=True)}
    assert live, "every record was merged away"
    for c in Client.objects.filter(pk__in=[c.pk for c in clients], merged_into__isnull=False):
        # A tombstone points at a live record (no chain, no cycle).
        assert c.merged_into_id in live, f"client {c.pk} points at tombstone {c.merged_into_id}"
    cases = Case.objects.filter(client__in=[c.pk for c in clients])
    assert {case.client_id for case in cases} <= live, "a case belongs to a merged-away client"
    assert cases.count() == 2 * len(clients)
    assert AuditEvent.objects.filter(action="merge", object_id__in=[str(c.pk) for c in clients]).count() == (
        expected_merges
    )
    assert len(live) == len(clients) - expected_merges


def _clients(n, hub_desk, hub_staff):
    clients = [ClientFactory(registered_desk=hub_desk) for _ in range(n)]
    for client in clients:
        make_case(hub_desk, hub_staff, client=client)
        make_case(hub_desk, hub_staff, client=client)
    return clients


def test_crossed_merges_a_into_b_and_b_into_a(hub_desk, hub_staff, coordinator):
    for _ in range(ROUNDS):
        a, b = _clients(2, hub_desk, hub_staff)
        results = _race((a.pk, b.pk, coordinator), (b.pk, a.pk, coordinator))
        assert sorted(results) == ["ok", "refused"], results
        _assert_consistent([a, b], expected_merges=1)


def test_the_same_pair_twice_merges_once(hub_desk, hub_staff, coordinator):
    for _ in range(ROUNDS):
        a, b = _clients(2, hub_desk, hub_staff)
        results = _race((a.pk, b.pk, coordinator), (a.pk, b.pk, coordinator))
        assert sorted(results) == ["ok", "refused"], results
        _assert_consistent([a, b], expected_merges=1)


def test_b_into_a_and_b_into_c_at_once(hub_desk, hub_staff, coordinator):
    for _ in range(ROUNDS):
        a, b, c = _clients(3, hub_desk, hub_staff)
        results = _race((a.pk, b.pk, coordinator), (c.pk, b.pk, coordinator))
        assert sorted(results) == ["ok", "refused"], results
        _assert_consistent([a, b, c], expected_merges=1)
        b.refresh_from_db()
        # B's cases went where B points, nowhere else.
        assert Case.objects.filter(client=b.merged_into_id).count() == 4


def test_the_loser_sees_a_clear_message_and_nothing_changes(client, hub_desk, hub_staff, coordinator):
    from django.urls import reverse

    from tests.factories import as_user

    a, b = _clients(2, hub_desk, hub_staff)
    client_merge(keep=a, merge=b, by=coordinator)  # the other coordinator was first
    before = AuditEvent.objects.filter(action="merge").count()
    # This coordinator's page was loaded before: it posts B into A's opposite.
    response = as_user(client, coordinator).post(
        reverse("consult:client_merge"), {"keep": a.pk, "merge": b.pk, "confirm": "on"}
    )
    assert response.status_code == 404  # B is a tombstone now: not found, not merged again
    assert AuditEvent.objects.filter(action="merge").count() == before
    # Called with stale objects (the page loaded before the other merge): refused, nothing changes.
    stale_a, stale_b = Client(pk=a.pk, registered_desk=hub_desk), Client(pk=b.pk, registered_desk=hub_desk)
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError, match="just been merged"):
        client_merge(keep=stale_b, merge=stale_a, by=coordinator)
    a.refresh_from_db()
    assert a.merged_into_id is None
    assert AuditEvent.objects.filter(action="merge").count() == before
