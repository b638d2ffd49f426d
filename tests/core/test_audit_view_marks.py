"""core.audit.audit_views: who was shown which records, coalesced per person
and object over a throttle; a reload of the same records within it is not
even asked about (a mark in Redis), and without the mark the trail decides."""

import time
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from consult.models import Client
from core.audit import audit_views
from core.models import AuditEvent
from tests.factories import as_user, make_case


def _views(user, client_ids) -> int:
    return AuditEvent.objects.filter(
        actor=user, action="view", object_type="consult.client", object_id__in=[str(pk) for pk in client_ids]
    ).count()


def _inserts(queries) -> int:
    return sum("INSERT INTO core_auditevent" in q["sql"] for q in queries.captured_queries)


def _clients(hub_desk, hub_staff, n=3) -> list[Client]:
    clients = [Client.objects.create(registered_desk=hub_desk, name=f"監査 太郎{i}") for i in range(n)]
    for person in clients:
        make_case(hub_desk, hub_staff, client=person)
    return clients


def test_a_reload_of_the_list_within_the_throttle_asks_nothing_and_records_nothing(
    client, hub_staff, coordinator, hub_desk, django_capture_on_commit_callbacks
):
    people = _clients(hub_desk, hub_staff)
    as_user(client, hub_staff)
    with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as first:
        assert client.get("/cases/").status_code == 200
    assert _inserts(first) == 1
    assert _views(hub_staff, [p.pk for p in people]) == 3
    with CaptureQueriesContext(connection) as reload:
        assert client.get("/cases/").status_code == 200
    assert _inserts(reload) == 0
    assert _views(hub_staff, [p.pk for p in people]) == 3
    # Another person's views are their own: no mark of theirs yet.
    as_user(client, coordinator)
    with CaptureQueriesContext(connection) as other:
        assert client.get("/cases/").status_code == 200
    assert _inserts(other) == 1
    assert _views(coordinator, [p.pk for p in people]) == 3


def test_no_mark_when_some_were_already_recorded_the_trail_decides(
    hub_staff, hub_desk, django_capture_on_commit_callbacks
):
    first, second = _clients(hub_desk, hub_staff, n=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert audit_views(actor=hub_staff, shown=[(first, None, hub_desk)], summary="t") == 1
        # One of the two was recorded already (at a time the mark cannot know): no mark.
        assert audit_views(actor=hub_staff, shown=[(first, None, hub_desk), (second, None, hub_desk)], summary="t") == 1
    with CaptureQueriesContext(connection) as again:
        assert audit_views(actor=hub_staff, shown=[(first, None, hub_desk), (second, None, hub_desk)], summary="t") == 0
    assert _inserts(again) == 1  # asked the trail, which wrote nothing


def test_once_the_throttle_has_passed_the_same_records_are_recorded_again(
    hub_staff, hub_desk, django_capture_on_commit_callbacks
):
    people = _clients(hub_desk, hub_staff, n=2)
    shown = [(p, None, hub_desk) for p in people]
    throttle = timedelta(seconds=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert audit_views(actor=hub_staff, shown=shown, summary="t", throttle=throttle) == 2
    with CaptureQueriesContext(connection) as marked:
        assert audit_views(actor=hub_staff, shown=shown, summary="t", throttle=throttle) == 0
    assert _inserts(marked) == 0
    time.sleep(2.2)
    # The test's transaction keeps now() where it started; the trail's own
    # clock for the new events is the statement's now(), so compare counts.
    with CaptureQueriesContext(connection) as later:
        audit_views(actor=hub_staff, shown=shown, summary="t", throttle=throttle)
    assert _inserts(later) == 1  # the mark had expired: the trail was asked again
