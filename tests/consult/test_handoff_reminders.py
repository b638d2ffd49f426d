"""A hand-off left unanswered: after 2 business days the receiving desk is
reminded, 2 business days later the sender and the hub's coordinators —
each once, in business days (Golden Week, the year-end closure), and
nothing once it is answered."""

import datetime as dt

import pytest
from django.core import mail

from consult.handoff_reminders import HANDOFF_ESCALATION, HANDOFF_UNANSWERED
from consult.models import HandOff, HandOffKind
from consult.services import handoffs as svc
from notifications import services
from notifications.models import Notification, State
from notifications.producers import run_producers
from tests.conftest import _member
from tests.factories import make_case
from tests.notifications.conftest import tokyo

pytestmark = pytest.mark.django_db

KINDS = [HANDOFF_UNANSWERED, HANDOFF_ESCALATION]


def _recipients(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


@pytest.fixture
def sent(ibara_desk, ibara_clerk, hub_desk):
    def send(at: dt.datetime, **kwargs) -> HandOff:
        case = make_case(ibara_desk, ibara_clerk)
        handoff = svc.handoff_send(
            case=case, by=ibara_clerk, kind=HandOffKind.REFERRAL, to_desk=hub_desk, mode="anonymous", **kwargs
        )
        HandOff.objects.filter(pk=handoff.pk).update(sent_at=at)
        handoff.refresh_from_db()
        return handoff

    return send


@pytest.mark.parametrize(
    ("sent_at", "not_yet", "reminded", "escalated"),
    [
        # Sent Wed 4/28; business days after it: Fri 4/30 (1), Thu 5/6 (2), Fri 5/7 (3), Mon 5/10 (4).
        (tokyo(2027, 4, 28, 15), tokyo(2027, 5, 5, 23), tokyo(2027, 5, 6, 0, 5), tokyo(2027, 5, 10, 0, 5)),
        # Sent Fri 12/25; Mon 12/28 (1), Mon 1/4 (2), Tue 1/5 (3), Wed 1/6 (4).
        (tokyo(2026, 12, 25, 10), tokyo(2027, 1, 3, 12), tokyo(2027, 1, 4, 8), tokyo(2027, 1, 6, 8)),
    ],
)
def test_unanswered_hand_off_reminds_the_receiving_desk_then_escalates(
    sent, hub_staff, coordinator, ibara_clerk, kurashiki, sent_at, not_yet, reminded, escalated
):
    elsewhere = _member(kurashiki, "counter_staff", username="t-staff-other-desk")
    other_desk = kurashiki.desks.exclude(is_hub=True).first()
    if other_desk is not None:
        elsewhere.memberships.update(desk=other_desk)
    handoff = sent(sent_at)
    assert run_producers(now=not_yet, only=KINDS) == 0
    run_producers(now=reminded, only=KINDS)
    receivers = sorted({hub_staff.pk, coordinator.pk} | ({elsewhere.pk} if other_desk is None else set()))
    assert _recipients(HANDOFF_UNANSWERED) == receivers
    assert _recipients(HANDOFF_ESCALATION) == []
    run_producers(now=escalated - dt.timedelta(days=1), only=KINDS)
    assert _recipients(HANDOFF_ESCALATION) == []
    run_producers(now=escalated, only=KINDS)
    run_producers(now=escalated + dt.timedelta(days=5), only=KINDS)  # every later tick: nothing new
    assert _recipients(HANDOFF_UNANSWERED) == receivers
    assert _recipients(HANDOFF_ESCALATION) == sorted([ibara_clerk.pk, coordinator.pk])
    assert {n.subject_object for n in Notification.objects.all()} == {handoff}


def test_an_answered_hand_off_is_not_reminded_and_a_queued_reminder_is_dropped(sent, hub_staff, coordinator):
    handoff = sent(tokyo(2027, 5, 6, 10))
    run_producers(now=tokyo(2027, 5, 10, 9), only=KINDS)
    row = Notification.objects.get(kind=HANDOFF_UNANSWERED, recipient=hub_staff)
    svc.handoff_accept(handoff=handoff, by=hub_staff)
    assert services.notification_deliver(notification_id=row.pk, now=tokyo(2027, 5, 10, 9, 1)) != "sent"
    row.refresh_from_db()
    assert row.state == State.CANCELLED and mail.outbox == []
    run_producers(now=tokyo(2027, 5, 20, 9), only=KINDS)
    assert Notification.objects.filter(kind=HANDOFF_ESCALATION).count() == 0


def test_the_reminder_email_names_the_desks_and_links_to_the_hand_off(sent, hub_staff, settings):
    settings.PORTAL_BASE_URL = "https://madoguchi.example.jp"
    hub_staff.ui_language = "ja"
    hub_staff.email = "staff@example.invalid"
    hub_staff.save()
    handoff = sent(tokyo(2027, 5, 6, 10))
    run_producers(now=tokyo(2027, 5, 10, 9), only=[HANDOFF_UNANSWERED])
    row = Notification.objects.get(kind=HANDOFF_UNANSWERED, recipient=hub_staff)
    assert services.notification_deliver(notification_id=row.pk, now=tokyo(2027, 5, 10, 9, 1)) == "sent"
    (message,) = mail.outbox
    assert "取次" in message.subject and "井原市" in message.subject
    assert f"https://madoguchi.example.jp{handoff.get_absolute_url()}" in message.body
