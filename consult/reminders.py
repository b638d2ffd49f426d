"""consult's notification kinds (issue 10): follow-ups due or overdue, their
escalation to the desk's coordinators, period-of-stay expiry, and hand-offs
left unanswered (`handoff_reminders.py`).

Registered in `ConsultConfig.ready()`; notifications (a lower layer) never
imports this module.  Each producer runs on every tick and returns the
occurrences due by `now`; the unique occurrence key makes a repeat a no-op,
and `still_due` is asked again just before sending, so a follow-up done in
the meantime is not reminded.
"""

from __future__ import annotations

import calendar as month_calendar
from collections.abc import Iterator
from datetime import date, datetime

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import calendar
from municipalities.calendar import closures_for
from municipalities.models import Desk
from municipalities.roles import Capability
from municipalities.visibility import memberships_seeing_desks
from notifications.models import Channel, Notification
from notifications.registry import Draft, Kind, kinds

from .models import Case, Client, Consent, FollowUp

FOLLOW_UP_DUE = "consult.follow_up_due"
FOLLOW_UP_ESCALATION = "consult.follow_up_escalation"
STAY_EXPIRY = "consult.stay_expiry"

# Renewal of a period of stay can be filed from about three months before it ends.
STAY_EXPIRY_MONTHS_AHEAD = 3


def _local_today(now: datetime) -> date:
    return timezone.localtime(now).date()


def _key_exists(prefix: str, *parts) -> Exists:
    """EXISTS (a notification whose occurrence key is prefix:part1:part2…),
    answered by the unique index on occurrence_key."""
    pieces: list = [Value(prefix)]
    for part in parts:
        pieces += [Value(":"), Cast(OuterRef(part), CharField())]
    return Exists(Notification.objects.filter(occurrence_key=Concat(*pieces, output_field=CharField())))


def _key_parts(notification: Notification) -> list[str]:
    return notification.occurrence_key.split(":")


# --- follow-up due today / overdue -> the assignee ------------------------------
def follow_up_due_key(follow_up: FollowUp) -> str:
    return f"follow_up_due:{follow_up.pk}:{follow_up.due_date.isoformat()}"


def produce_follow_ups_due(now: datetime) -> Iterator[Draft]:
    today = _local_today(now)
    rows = (
        FollowUp.objects.filter(status=FollowUp.Status.OPEN, due_date__lte=today, assignee__isnull=False)
        .exclude(_key_exists("follow_up_due", "pk", "due_date"))
        .select_related("case")
        .only("pk", "due_date", "assignee_id", "case__handling_desk_id")
    )
    for follow_up in rows.iterator(chunk_size=2000):
        yield Draft(
            recipient_id=follow_up.assignee_id,
            occurrence_key=follow_up_due_key(follow_up),
            obj=follow_up,
            desk_id=follow_up.case.handling_desk_id,
            at=now,
        )


def follow_up_still_due(notification: Notification, follow_up: FollowUp | None) -> bool:
    """Still open, still due on the date reminded about, still theirs."""
    if follow_up is None or follow_up.status != FollowUp.Status.OPEN:
        return False
    parts = _key_parts(notification)
    return parts[-1 if notification.kind == FOLLOW_UP_DUE else -2] == follow_up.due_date.isoformat() and (
        notification.kind != FOLLOW_UP_DUE or follow_up.assignee_id == notification.recipient_id
    )


def follow_up_context(notification: Notification, follow_up: FollowUp) -> dict:
    today = timezone.localdate()
    return {
        "follow_up": follow_up,
        "case": follow_up.case,
        "overdue": follow_up.due_date < today,
        "assignee": follow_up.assignee,
    }


def follow_up_url(notification: Notification, follow_up: FollowUp) -> str:
    return f"{follow_up.case.get_absolute_url()}#follow-ups"


# --- overdue N business days -> the desk's coordinators -------------------------
def escalation_business_days() -> int:
    return int(getattr(settings, "FOLLOW_UP_ESCALATION_BUSINESS_DAYS", 2))


def desk_coordinator_ids(desk_id: int, *, exclude: set[int] = frozenset()) -> list[int]:
    """Coordinators (who assign work) of a desk: those of its own
    municipality if it has any, else those of the hub who see it."""
    memberships = list(memberships_seeing_desks([desk_id], Capability.ASSIGN_WORK).select_related("user").distinct())
    municipality_id = Desk.objects.filter(pk=desk_id).values_list("municipality_id", flat=True).first()
    own = [m for m in memberships if m.municipality_id == municipality_id]
    chosen = own or memberships
    return sorted({m.user_id for m in chosen} - set(exclude))


def produce_follow_up_escalations(now: datetime) -> Iterator[Draft]:
    today = _local_today(now)
    threshold = escalation_business_days()
    rows = (
        FollowUp.objects.filter(status=FollowUp.Status.OPEN, due_date__lt=today)
        .exclude(_key_exists("follow_up_escalation", "pk", "due_date"))
        .select_related("case__handling_desk")
        .only("pk", "due_date", "assignee_id", "case__handling_desk_id", "case__handling_desk__municipality_id")
    )
    closures: dict[int, frozenset] = {}
    coordinators: dict[tuple[int, int | None], list[int]] = {}
    for follow_up in rows.iterator(chunk_size=2000):
        desk = follow_up.case.handling_desk
        if desk.municipality_id not in closures:
            closures[desk.municipality_id] = closures_for(desk.municipality_id)
        waited = calendar.business_days_between(
            follow_up.due_date, today, extra_closures=closures[desk.municipality_id]
        )
        if waited < threshold:
            continue
        key = (desk.pk, follow_up.assignee_id)
        if key not in coordinators:
            exclude = {follow_up.assignee_id} if follow_up.assignee_id else set()
            coordinators[key] = desk_coordinator_ids(desk.pk, exclude=exclude)
        for user_id in coordinators[key]:
            yield Draft(
                recipient_id=user_id,
                occurrence_key=f"follow_up_escalation:{follow_up.pk}:{follow_up.due_date.isoformat()}:{user_id}",
                obj=follow_up,
                desk_id=desk.pk,
                at=now,
            )


def escalation_context(notification: Notification, follow_up: FollowUp) -> dict:
    return {
        **follow_up_context(notification, follow_up),
        "business_days": calendar.business_days_between(follow_up.due_date, timezone.localdate()),
    }


# --- period of stay expiring -> the case's assignee, once per expiry date -------
def clients_who_consented_to_contact(clients: QuerySet) -> QuerySet:
    """THE consent gate of the period-of-stay reminder (issue 10 × issue 7).

    A client is reminded about only when their consent in force (not
    superseded, not withdrawn) covers being contacted by the desk
    (`Consent.contact_by_desk`).  This function, and only this one, decides."""
    return clients.filter(Exists(Consent.objects.in_force().filter(client_id=OuterRef("pk"), contact_by_desk=True)))


def _months_ahead(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


def stay_expiry_case(client: Client) -> Case | None:
    """The case whose assignee is told: the client's open case with an
    assignee and the latest activity."""
    return (
        Case.objects.open()
        .filter(client=client, assignee__isnull=False, assignee__is_active=True)
        .order_by("-last_activity_at", "-pk")
        .first()
    )


def produce_stay_expiries(now: datetime) -> Iterator[Draft]:
    today = _local_today(now)
    clients = clients_who_consented_to_contact(
        Client.objects.filter(
            merged_into__isnull=True,
            period_of_stay_expiry__gte=today,
            period_of_stay_expiry__lte=_months_ahead(today, STAY_EXPIRY_MONTHS_AHEAD),
        )
    ).exclude(_key_exists("stay_expiry", "pk", "period_of_stay_expiry"))
    for client in clients.iterator(chunk_size=2000):
        case = stay_expiry_case(client)
        if case is None:
            continue
        yield Draft(
            recipient_id=case.assignee_id,
            occurrence_key=f"stay_expiry:{client.pk}:{client.period_of_stay_expiry.isoformat()}",
            obj=case,
            desk_id=case.handling_desk_id,
            at=now,
        )


def _consented_expiries(client_ids) -> dict[int, date | None]:
    """client id → period-of-stay expiry, for the clients among these whose
    consent covers being contacted (through the one consent gate)."""
    return dict(
        clients_who_consented_to_contact(Client.objects.filter(pk__in=client_ids)).values_list(
            "pk", "period_of_stay_expiry"
        )
    )


def stay_expiry_preload(cases: list[Case]) -> None:
    """A delivery batch asks the consent gate once for all its cases."""
    consented = _consented_expiries({case.client_id for case in cases if case.client_id})
    for case in cases:
        case.consented_stay_expiry = consented.get(case.client_id)


def stay_expiry_still_due(notification: Notification, case: Case | None) -> bool:
    """Still consented to contact, and the expiry is still the one reminded
    about."""
    if case is None or case.client_id is None:
        return False
    if hasattr(case, "consented_stay_expiry"):
        expiry = case.consented_stay_expiry
    else:
        expiry = _consented_expiries([case.client_id]).get(case.client_id)
    return expiry is not None and expiry.isoformat() == _key_parts(notification)[-1]


def stay_expiry_context(notification: Notification, case: Case) -> dict:
    return {"case": case, "expiry": date.fromisoformat(_key_parts(notification)[-1])}


def case_url(notification: Notification, case: Case) -> str:
    return case.get_absolute_url()


def register() -> None:
    from .handoff_reminders import HANDOFF_KINDS

    for kind in HANDOFF_KINDS:
        kinds.register(kind)
    kinds.register(
        Kind(
            key=FOLLOW_UP_DUE,
            label=_("Follow-up due today or overdue"),
            description=_("To the follow-up's assignee, on its due date."),
            template="follow_up_due",
            produce=produce_follow_ups_due,
            still_due=follow_up_still_due,
            context=follow_up_context,
            url=follow_up_url,
            default_channel=Channel.EMAIL,
            select_related=("case", "assignee"),
        )
    )
    kinds.register(
        Kind(
            key=FOLLOW_UP_ESCALATION,
            label=_("Follow-up overdue at a desk you coordinate"),
            description=_("To the desk's coordinators, when a follow-up is overdue by 2 business days."),
            template="follow_up_escalation",
            produce=produce_follow_up_escalations,
            still_due=follow_up_still_due,
            context=escalation_context,
            url=follow_up_url,
            default_channel=Channel.EMAIL,
            select_related=("case__handling_desk", "assignee"),
        )
    )
    kinds.register(
        Kind(
            key=STAY_EXPIRY,
            label=_("Period of stay expiring within 3 months"),
            description=_("To the case's assignee, once per expiry date, when the client consented to be contacted."),
            template="stay_expiry",
            produce=produce_stay_expiries,
            still_due=stay_expiry_still_due,
            preload=stay_expiry_preload,
            context=stay_expiry_context,
            url=case_url,
            default_channel=Channel.EMAIL,
            select_related=("client",),
        )
    )
