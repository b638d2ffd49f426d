"""The audit trail of a case: who viewed, created or changed it, throttled
view events, shown to coordinators only, and append-only in PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from consult import services
from core.models import AuditEvent
from tests.factories import as_user, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(hub_desk, hub_staff):
    return make_case(hub_desk, hub_staff, title="在留カード")


def views_of(case, user=None):
    qs = AuditEvent.objects.filter(case=case, action="view")
    return qs.filter(actor=user) if user else qs


def test_opening_the_case_page_records_a_view(client, hub_staff, case):
    as_user(client, hub_staff)
    client.get(reverse("consult:case_detail", args=[case.pk]))
    event = views_of(case).get()
    assert (event.actor, event.object_type, event.object_id, event.desk_id) == (
        hub_staff,
        "consult.case",
        str(case.pk),
        case.handling_desk_id,
    )
    assert event.ip_address == "127.0.0.1"


def test_a_reload_within_five_minutes_is_not_recorded_again(client, hub_staff, coordinator, case):
    as_user(client, hub_staff)
    for _ in range(3):
        client.get(reverse("consult:case_detail", args=[case.pk]))
    assert views_of(case, hub_staff).count() == 1
    # Another person's visit is theirs to record.
    as_user(client, coordinator)
    client.get(reverse("consult:case_detail", args=[case.pk]))
    assert views_of(case).count() == 2


def test_a_visit_after_the_throttle_window_is_recorded(hub_staff, case):
    # The trail is append-only, so "ten minutes ago" is written as such.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditevent (at, actor_id, action, object_type, object_id, case_id, summary, changes)"
            " VALUES (now() - interval '10 minutes', %s, 'view', 'consult.case', %s, %s, '', '{}')",
            [hub_staff.pk, str(case.pk), case.pk],
        )
    assert services.case_record_view(case=case, by=hub_staff) is not None
    assert services.case_record_view(case=case, by=hub_staff) is None
    assert views_of(case, hub_staff).count() == 2


# The view mark in Redis (issue 13): set once the event is in the trail, it
# spares a reload the read of the trail; the trail still decides without it.
def test_a_reload_reads_nothing_once_the_view_is_in_the_trail(hub_staff, case, redis_cache):
    from django.test import TestCase
    from django.test.utils import CaptureQueriesContext

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.case_record_view(case=case, by=hub_staff) is not None
    with CaptureQueriesContext(connection) as queries:
        assert services.case_record_view(case=case, by=hub_staff) is None
    assert queries.captured_queries == []
    assert views_of(case, hub_staff).count() == 1


def test_without_the_mark_the_trail_decides(hub_staff, case, redis_cache):
    from consult.services.cases import _view_mark_key

    assert services.case_record_view(case=case, by=hub_staff) is not None
    redis_cache.delete(_view_mark_key(case, hub_staff))  # lost, evicted or never set
    assert services.case_record_view(case=case, by=hub_staff) is None
    assert views_of(case, hub_staff).count() == 1


def test_a_view_rolled_back_leaves_no_mark(hub_staff, case, redis_cache):
    from django.test import TestCase

    class Undone(Exception):
        pass

    with TestCase.captureOnCommitCallbacks(execute=True):
        with pytest.raises(Undone), transaction.atomic():
            assert services.case_record_view(case=case, by=hub_staff) is not None
            raise Undone
        assert not views_of(case, hub_staff).exists()
        # Nothing in the trail, so nothing may hold the next view back.
        assert services.case_record_view(case=case, by=hub_staff) is not None
    assert views_of(case, hub_staff).count() == 1


def test_failed_lookups_record_nothing(client, ibara_clerk, case):
    as_user(client, ibara_clerk)
    assert client.get(reverse("consult:case_detail", args=[case.pk])).status_code == 404
    assert not views_of(case).exists()


def test_changes_are_recorded_with_who_and_what(client, hub_staff, case):
    as_user(client, hub_staff)
    client.post(
        reverse("consult:case_edit", args=[case.pk]),
        {"version": case.version, "title": "在留カードの再交付", "status": "waiting", "assignee": hub_staff.pk},
    )
    event = AuditEvent.objects.get(case=case, action="update")
    assert event.actor == hub_staff
    assert event.changes["title"] == ["在留カード", "在留カードの再交付"]
    assert event.changes["status"] == ["open", "waiting"]


def test_audit_trail_is_shown_to_coordinators_only(client, hub_staff, coordinator, case):
    as_user(client, hub_staff)
    html = client.get(reverse("consult:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="audit-trail"' not in html

    as_user(client, coordinator)
    html = client.get(reverse("consult:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="audit-trail"' in html
    trail = html[html.index('data-testid="audit-trail"') :]
    # Both visits are listed, with who made them.
    assert trail.count('data-testid="audit-event"') == 2
    assert str(hub_staff) in trail and str(coordinator) in trail


# The trigger holds even for the owner of the table; the application's role is
# refused before it, by privileges (tests/security/test_app_role.py).
@pytest.mark.table_owner
def test_audit_events_cannot_be_updated(hub_staff, case):
    event = services.case_record_view(case=case, by=hub_staff)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="update")
    event.refresh_from_db()
    assert event.action == "view"


# The trigger holds even for the owner of the table; the application's role is
# refused before it, by privileges (tests/security/test_app_role.py).
@pytest.mark.table_owner
def test_audit_events_cannot_be_deleted(hub_staff, case):
    event = services.case_record_view(case=case, by=hub_staff)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_service_records_the_address_of_the_request_it_serves(client, hub_staff, case):
    """The address comes from the request context set by
    core.middleware.AuditContextMiddleware, not from an argument."""
    as_user(client, hub_staff)
    client.post(
        reverse("consult:case_close", args=[case.pk]),
        {"outcome": "resolved", "version": case.version},
        REMOTE_ADDR="203.0.113.7",
    )
    event = AuditEvent.objects.get(case=case, action="close")
    assert event.ip_address == "203.0.113.7"


def test_outside_a_request_no_address_is_recorded(hub_staff, case):
    services.follow_up_create(case=case, by=hub_staff, due_date=case.opened_at.date(), note="確認")
    assert AuditEvent.objects.get(case=case, action="create", object_type="consult.followup").ip_address is None
