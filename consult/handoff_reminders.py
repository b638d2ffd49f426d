"""consult's hand-off reminders (issue 10, DESIGN §4 and §6): a hand-off
left unanswered is reminded to the desk that must answer it after
`HANDOFF_UNANSWERED_BUSINESS_DAYS` (2) business days, and escalated to the
sender and the hub's coordinators after `HANDOFF_ESCALATION_BUSINESS_DAYS`
(2) more.

Who answers (as `services.handoffs` decides): the receiving desk for a
referral or a transfer — its staff who forward cases, whose usual desk is
that desk or who have none; for an outside organisation (it has no staff in
Madoguchi) the sender, who records the organisation's answer.  Business days
are counted in the answering desk's municipality (its closures included).

Registered by `consult.reminders.register()`; the occurrence key names the
hand-off and the recipient, so each person is told once per hand-off, and
`still_due` drops a reminder whose hand-off was answered or cancelled in the
meantime.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import calendar
from municipalities.calendar import closures_for
from municipalities.models import Membership
from municipalities.roles import ROLE_CAPABILITIES, Capability
from notifications.models import Channel, Notification
from notifications.registry import Draft, Kind

from .models import HandOff, HandOffKind, HandOffStatus

HANDOFF_UNANSWERED = "consult.handoff_unanswered"
HANDOFF_ESCALATION = "consult.handoff_escalation"


def unanswered_business_days() -> int:
    return int(getattr(settings, "HANDOFF_UNANSWERED_BUSINESS_DAYS", 2))


def escalation_business_days() -> int:
    """Counted after the reminder: by default 2 + 2 = 4 business days after sending."""
    return int(getattr(settings, "HANDOFF_ESCALATION_BUSINESS_DAYS", 2))


def _roles_with(capability: str) -> list[str]:
    return sorted(role for role, caps in ROLE_CAPABILITIES.items() if capability in caps)


def answering_desk(handoff: HandOff):
    return handoff.from_desk if handoff.kind == HandOffKind.EXTERNAL else handoff.to_desk


def receiving_desk_member_ids(handoff: HandOff) -> list[int]:
    """Who must answer: for a desk, its staff who forward cases (usual desk
    that desk, or none); for an outside organisation, the sender."""
    if handoff.kind == HandOffKind.EXTERNAL:
        return [handoff.sent_by_id] if handoff.sent_by.is_active else []
    desk = handoff.to_desk
    rows = (
        Membership.objects.active()
        .filter(municipality_id=desk.municipality_id, role__in=_roles_with(Capability.FORWARD_CASES))
        .filter(Q(desk__isnull=True) | Q(desk_id=desk.pk))
    )
    return sorted(set(rows.values_list("user_id", flat=True)))


def hub_coordinator_ids(handoff: HandOff) -> list[int]:
    """Coordinators (who assign work) of the hub of the sending desk's consortium."""
    hub_id = (
        handoff.from_desk.municipality.consortium.hub_municipality_id
        if handoff.from_desk.municipality.consortium_id
        else None
    )
    if hub_id is None:
        return []
    rows = Membership.objects.active().filter(municipality_id=hub_id, role__in=_roles_with(Capability.ASSIGN_WORK))
    return sorted(set(rows.values_list("user_id", flat=True)))


def escalation_recipient_ids(handoff: HandOff) -> list[int]:
    sender = [handoff.sent_by_id] if handoff.sent_by.is_active else []
    return sorted(set(sender) | set(hub_coordinator_ids(handoff)))


def _pending(now: datetime, business_days: int):
    """Pending hand-offs sent at least `business_days` business days ago (a
    calendar-day bound first: a business day is at least a calendar day)."""
    today = timezone.localtime(now).date()
    latest = timezone.make_aware(datetime.combine(today - timedelta(days=business_days - 1), datetime.min.time()))
    return today, (
        HandOff.objects.filter(status=HandOffStatus.PENDING, sent_at__lt=latest)
        .select_related("from_desk__municipality__consortium", "to_desk", "sent_by")
        .order_by("pk")
    )


def _waited(handoff: HandOff, today, closures: dict) -> int:
    desk = answering_desk(handoff)
    if desk.municipality_id not in closures:
        closures[desk.municipality_id] = closures_for(desk.municipality_id)
    sent_on = timezone.localtime(handoff.sent_at).date()
    return calendar.business_days_between(sent_on, today, extra_closures=closures[desk.municipality_id])


def produce_handoffs_unanswered(now: datetime) -> Iterator[Draft]:
    threshold = unanswered_business_days()
    today, rows = _pending(now, threshold)
    closures: dict = {}
    for handoff in rows:
        if _waited(handoff, today, closures) < threshold:
            continue
        for user_id in receiving_desk_member_ids(handoff):
            yield Draft(
                recipient_id=user_id,
                occurrence_key=f"handoff_unanswered:{handoff.pk}:{user_id}",
                obj=handoff,
                desk_id=answering_desk(handoff).pk,
                at=now,
            )


def produce_handoff_escalations(now: datetime) -> Iterator[Draft]:
    threshold = unanswered_business_days() + escalation_business_days()
    today, rows = _pending(now, threshold)
    closures: dict = {}
    for handoff in rows:
        if _waited(handoff, today, closures) < threshold:
            continue
        for user_id in escalation_recipient_ids(handoff):
            yield Draft(
                recipient_id=user_id,
                occurrence_key=f"handoff_escalation:{handoff.pk}:{user_id}",
                obj=handoff,
                desk_id=handoff.from_desk_id,
                at=now,
            )


def handoff_still_unanswered(notification: Notification, handoff: HandOff | None) -> bool:
    return handoff is not None and handoff.status == HandOffStatus.PENDING


def handoff_context(notification: Notification, handoff: HandOff) -> dict:
    sent_on = timezone.localtime(handoff.sent_at).date()
    return {
        "handoff": handoff,
        "sent_on": sent_on,
        # As of the occurrence (the reminder may be delivered later).
        "business_days": calendar.business_days_between(sent_on, timezone.localtime(notification.visible_at).date()),
    }


def handoff_url(notification: Notification, handoff: HandOff) -> str:
    return handoff.get_absolute_url()


HANDOFF_KINDS = (
    Kind(
        key=HANDOFF_UNANSWERED,
        label=_("Hand-off waiting for your desk's answer"),
        description=_("To the receiving desk, when a hand-off is unanswered for 2 business days."),
        template="handoff_unanswered",
        produce=produce_handoffs_unanswered,
        still_due=handoff_still_unanswered,
        context=handoff_context,
        url=handoff_url,
        default_channel=Channel.EMAIL,
        select_related=("from_desk", "to_desk", "to_organisation", "sent_by"),
    ),
    Kind(
        key=HANDOFF_ESCALATION,
        label=_("Hand-off still unanswered (escalation)"),
        description=_(
            "To the sender and the hub's coordinators, when a hand-off is still unanswered 2 business days later."
        ),
        template="handoff_escalation",
        produce=produce_handoff_escalations,
        still_due=handoff_still_unanswered,
        context=handoff_context,
        url=handoff_url,
        default_channel=Channel.EMAIL,
        select_related=("from_desk", "to_desk", "to_organisation", "sent_by"),
    ),
)
