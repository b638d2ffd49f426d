"""/notifications/: one's own list, mark read, settings; the operator view
with retry — owner, permitted member, outsider 404, read-only 403, 405."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from notifications.models import Channel, Notification, NotificationPreference, State
from tests.factories import as_user

pytestmark = pytest.mark.django_db

DUE = "consult.follow_up_due"


def _login(client, user):
    as_user(client, user)
    return client


@pytest.fixture
def reminder(hub_staff, follow_up_for):
    follow_up = follow_up_for(hub_staff, due_date=timezone.localdate())
    return Notification.objects.create(
        recipient=hub_staff,
        kind=DUE,
        content_type=ContentType.objects.get_for_model(follow_up),
        object_id=follow_up.pk,
        desk=follow_up.case.handling_desk,
        occurrence_key=f"follow_up_due:{follow_up.pk}:{follow_up.due_date.isoformat()}",
        visible_at=timezone.now() - dt.timedelta(minutes=1),
    )


def test_the_inbox_lists_ones_own_notifications_with_the_unread_count(client, hub_staff, reminder):
    response = _login(client, hub_staff).get("/notifications/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="unread-count">1<' in html
    assert f"本日期日のフォローアップ: {reminder.subject_object.case.reference}" in html


def test_someone_elses_notification_is_404_and_reading_needs_post(client, coordinator, hub_staff, reminder):
    url = reverse("notifications:mark_read", args=[reminder.pk])
    assert _login(client, coordinator).post(url).status_code == 404
    assert "unread-count" not in client.get("/notifications/").content.decode()
    _login(client, hub_staff)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    reminder.refresh_from_db()
    assert reminder.read_at is not None
    assert "unread-count" not in client.get("/notifications/").content.decode()


def test_open_marks_read_and_goes_to_the_case(client, hub_staff, reminder):
    case = reminder.subject_object.case
    response = _login(client, hub_staff).post(
        reverse("notifications:mark_read", args=[reminder.pk]), {"open": f"/cases/{case.pk}/#follow-ups"}
    )
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/#follow-ups"
    evil = client.post(reverse("notifications:mark_read", args=[reminder.pk]), {"open": "//evil.example/"})
    assert evil["Location"] == reverse("notifications:inbox")


def test_mark_all_read(client, hub_staff, reminder):
    assert _login(client, hub_staff).post(reverse("notifications:mark_all_read")).status_code == 302
    assert not Notification.objects.unread().exists()
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405


def test_the_inbox_needs_sign_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_choosing_a_channel_per_kind(client, hub_staff):
    _login(client, hub_staff)
    page = client.get(reverse("notifications:preferences"))
    assert page.status_code == 200
    for key in ("consult.handoff_unanswered", "interpreters.booking_day_before", "interpreters.booking_unconfirmed"):
        assert f'name="{key}"' in page.text  # every registered kind, whichever app registered it
    response = client.post(
        reverse("notifications:preferences"),
        {DUE: Channel.DIGEST, "consult.follow_up_escalation": Channel.IN_APP, "consult.stay_expiry": Channel.EMAIL},
    )
    assert response.status_code == 302
    assert dict(NotificationPreference.objects.filter(user=hub_staff).values_list("kind", "channel")) == {
        DUE: Channel.DIGEST,
        "consult.follow_up_escalation": Channel.IN_APP,
        "consult.stay_expiry": Channel.EMAIL,
    }
    assert client.post(reverse("notifications:preferences"), {DUE: "carrier-pigeon"}).status_code == 200
    assert NotificationPreference.objects.get(user=hub_staff, kind=DUE).channel == Channel.DIGEST


# --- operator view ----------------------------------------------------------------
@pytest.fixture
def failed(reminder):
    Notification.objects.filter(pk=reminder.pk).update(
        state=State.FAILED, failure="ConnectionRefusedError: SMTP relay refused the connection", attempts=5
    )
    reminder.refresh_from_db()
    return reminder


def test_the_coordinator_sees_failures_with_the_reason_and_retries(client, coordinator, failed):
    _login(client, coordinator)
    page = client.get(reverse("notifications:operator"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "SMTP relay refused the connection" in html and 'data-testid="retry"' in html
    response = client.post(reverse("notifications:retry", args=[failed.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == (State.PENDING, 0)
    assert failed.due_at <= timezone.now()
    from core.models import AuditEvent

    assert AuditEvent.objects.filter(object_id=str(failed.pk), actor=coordinator).exists()
    assert client.get(reverse("notifications:retry", args=[failed.pk])).status_code == 405


def test_operator_view_is_403_for_staff_who_do_not_assign_work(client, hub_staff, ibara_stats, failed):
    assert _login(client, hub_staff).get(reverse("notifications:operator")).status_code == 403
    assert client.post(reverse("notifications:retry", args=[failed.pk])).status_code == 403
    assert _login(client, ibara_stats).get(reverse("notifications:operator")).status_code == 403


def test_a_partner_coordinator_gets_404_for_a_hub_desks_row(client, ibara, failed):
    from tests.conftest import _member

    ibara_coordinator = _member(ibara, "coordinator", username="t-coordinator-ibara")
    _login(client, ibara_coordinator)
    assert client.get(reverse("notifications:operator")).status_code == 200
    assert "SMTP relay" not in client.get(reverse("notifications:operator")).content.decode()
    assert client.post(reverse("notifications:retry", args=[failed.pk])).status_code == 404


# --- the unread count in the header, cached per person (issue 13) ---------------
def _header_count(client) -> int:
    html = client.get(reverse("home")).content.decode()
    marker = 'data-testid="unread-count">'
    if marker not in html:
        return 0
    return int(html.split(marker, 1)[1].split("<", 1)[0])


def test_a_new_notification_shows_in_the_header_at_once(client, hub_staff, follow_up_for, redis_cache):
    from notifications.services import notification_mark_all_read, notify

    _login(client, hub_staff)
    assert _header_count(client) == 0  # now cached for this person
    follow_up = follow_up_for(hub_staff, due_date=timezone.localdate())
    notify(  # a bulk insert (INSERT … ON CONFLICT DO NOTHING): no model signal
        kind=DUE,
        occurrence_key=f"test-unread:{follow_up.pk}:1",
        recipient=hub_staff,
        obj=follow_up,
        desk=follow_up.case.handling_desk,
        at=timezone.now() - dt.timedelta(seconds=1),
    )
    assert _header_count(client) == 1
    second = Notification.objects.create(  # one row saved
        recipient=hub_staff,
        kind=DUE,
        content_type=ContentType.objects.get_for_model(follow_up),
        object_id=follow_up.pk,
        occurrence_key=f"test-unread:{follow_up.pk}:2",
        visible_at=timezone.now() - dt.timedelta(seconds=1),
    )
    assert _header_count(client) == 2
    assert client.post(reverse("notifications:mark_read", args=[second.pk])).status_code == 302
    assert _header_count(client) == 1
    notification_mark_all_read(by=hub_staff)
    assert _header_count(client) == 0


def test_a_notification_shows_in_the_header_when_it_becomes_visible(client, hub_staff, follow_up_for, redis_cache):
    """An e-mail reminder held for office hours shows in the portal from its
    visible_at, with no write to drop the cached count: the count is kept
    no longer than that moment."""
    import time

    follow_up = follow_up_for(hub_staff, due_date=timezone.localdate())
    Notification.objects.create(
        recipient=hub_staff,
        kind=DUE,
        content_type=ContentType.objects.get_for_model(follow_up),
        object_id=follow_up.pk,
        occurrence_key=f"test-unread-later:{follow_up.pk}",
        visible_at=timezone.now() + dt.timedelta(seconds=2),
    )
    _login(client, hub_staff)
    assert _header_count(client) == 0
    time.sleep(2.2)
    assert _header_count(client) == 1


def test_the_cached_count_is_one_persons_own(client, hub_staff, coordinator, reminder, redis_cache):
    _login(client, hub_staff)
    assert _header_count(client) == 1
    _login(client, coordinator)
    assert _header_count(client) == 0
