"""notify(): a producer reacting to an event writes the row in its own
transaction; the worker is woken once it commits; a broker that is down
loses nothing (the row waits for the tick)."""

import pytest
from kombu.exceptions import OperationalError

from notifications import services
from notifications.models import Notification, State
from notifications.tasks import send_notifications

pytestmark = pytest.mark.django_db


def test_notify_writes_once_and_wakes_after_commit(hub_staff, follow_up_for, django_capture_on_commit_callbacks):
    follow_up = follow_up_for(hub_staff)
    key = f"follow_up_due:{follow_up.pk}:{follow_up.due_date.isoformat()}"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify(kind="consult.follow_up_due", recipient=hub_staff, occurrence_key=key, obj=follow_up)
        services.notify(kind="consult.follow_up_due", recipient=hub_staff, occurrence_key=key, obj=follow_up)
    assert Notification.objects.filter(occurrence_key=key).count() == 1
    assert len(callbacks) == 2  # each asks for a wake-up; the second finds nothing new to do


def test_a_broker_outage_during_the_wake_up_loses_nothing(hub_staff, follow_up_for, monkeypatch, caplog):
    follow_up = follow_up_for(hub_staff)
    row = Notification.objects.create(
        recipient=hub_staff, kind="consult.follow_up_due", occurrence_key="outage", desk=follow_up.case.handling_desk
    )

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_notifications, "apply_async", broker_down)
    services.wake([row.pk])  # does not raise: the web request that caused it succeeds
    assert "broker unavailable" in caplog.text
    row.refresh_from_db()
    assert row.state == State.PENDING  # still due: the next tick claims it
    assert services.notification_claim_due() == [row.pk]
