"""Reads for hand-offs (取次): the two inboxes, one hand-off, what a hand-off
opens of a case to its receiver, waiting time in business days.

Waiting time counts business days (core.calendar: Mon–Fri without national
holidays, 振替休日, 12/29–1/3 and the receiving municipality's own closures)
after the day the hand-off was sent up to today; it is overdue once the
answer is due (`ANSWER_WITHIN_BUSINESS_DAYS` after sending) and still none came.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core import signing
from django.db.models import F, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleLessThan
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core import calendar
from municipalities.calendar import cached_closures_by_municipality
from municipalities.models import Desk
from municipalities.roles import Capability
from municipalities.visibility import user_memberships, visible_desk_ids

from ..models import Case, Client, Consent, ConsentBasis, HandOff, HandOffKind, HandOffStatus
from ..models.handoffs import ACCESS_STATUSES

ANSWER_WITHIN_BUSINESS_DAYS = 2
PER_PAGE = 25
_CURSOR_SALT = "consult.handoff_inbox.cursor"


# --- the desks a user acts for (read by services and selectors alike) -----------
def own_desk_ids(user, capability: str = Capability.FORWARD_CASES) -> frozenset[int]:
    """Desks a user acts *for* (answers hand-offs addressed to, sends from):
    the desks of the municipalities where they hold `capability` — not the
    whole consortium a hub membership lets them see."""
    memberships = [m for m in user_memberships(user) if m.has(capability)]
    if not memberships:
        return frozenset()
    if all(getattr(m, "municipality_desk_ids", None) is not None for m in memberships):
        # The desks came with the memberships (municipalities.visibility): no query.
        return frozenset(pk for m in memberships for pk in m.municipality_desk_ids)
    municipality_ids = {m.municipality_id for m in memberships}
    return frozenset(Desk.objects.filter(municipality_id__in=municipality_ids).values_list("pk", flat=True))


def acts_for(user, desk_id: int | None, capability: str = Capability.FORWARD_CASES) -> bool:
    return desk_id is not None and desk_id in own_desk_ids(user, capability)


class InvalidCursor(ValueError):
    pass


# --- business days ----------------------------------------------------------------
def _closures_by_municipality(municipality_ids) -> dict[int, frozenset]:
    """Extra closure days of the given municipalities (per-process cache;
    municipalities.calendar)."""
    return cached_closures_by_municipality(municipality_ids)


def _answering_municipality_id(handoff: HandOff) -> int:
    return (handoff.to_desk or handoff.from_desk).municipality_id


def _decorate(handoffs: list[HandOff], today: date) -> list[HandOff]:
    """waiting_days, due_date and is_overdue on each pending hand-off, in the
    business days of the municipality that must answer."""
    pending = [h for h in handoffs if h.status == HandOffStatus.PENDING]
    for handoff in handoffs:
        handoff.waiting_days = None
        handoff.due_date = None
        handoff.is_overdue = False
    if not pending:
        return handoffs
    closures = _closures_by_municipality({_answering_municipality_id(h) for h in pending})
    for handoff in pending:
        extra = closures[_answering_municipality_id(handoff)]
        sent = timezone.localtime(handoff.sent_at).date()
        handoff.waiting_days = max(0, calendar.business_days_between(sent, today, extra_closures=extra))
        handoff.due_date = calendar.add_business_days(sent, ANSWER_WITHIN_BUSINESS_DAYS, extra_closures=extra)
        handoff.is_overdue = today > handoff.due_date
    return handoffs


def overdue_sent_before(today: date) -> datetime:
    """Pending hand-offs sent before this moment are overdue today (national
    calendar; the per-row flag also counts municipal closures)."""
    # Overdue ⇔ add_business_days(sent, 2) < today ⇔ sent < the 2nd business day before today.
    cutoff = calendar.add_business_days(today, -ANSWER_WITHIN_BUSINESS_DAYS)
    return timezone.make_aware(datetime.combine(cutoff, datetime.min.time()))


# --- access -------------------------------------------------------------------------
@dataclass
class HandOffAccess:
    """What `user` may do with one hand-off (the hand-off page asks this once)."""

    is_sender: bool
    is_receiver: bool
    can_answer: bool = False  # accept / decline
    can_cancel: bool = False
    can_complete: bool = False
    opens_case: bool = False  # the case page is open to the user
    shows_client: bool = False
    shows_notes: bool = False


def handoff_access(user, handoff: HandOff) -> HandOffAccess:
    sender = acts_for(user, handoff.from_desk_id)
    receiver = acts_for(user, handoff.to_desk_id)
    answering = sender if handoff.kind == HandOffKind.EXTERNAL else receiver
    pending = handoff.status == HandOffStatus.PENDING
    from ..access import visible_cases

    opens_case = visible_cases(user).filter(pk=handoff.case_id).exists()
    access = HandOffAccess(
        is_sender=sender,
        is_receiver=receiver,
        can_answer=answering and pending,
        can_cancel=sender and pending,
        can_complete=answering and handoff.status == HandOffStatus.ACCEPTED,
        opens_case=opens_case,
    )
    # A pending hand-off shows the receiver a minimal summary only; the
    # sender (and hub staff, who see every desk) see what they see anyway.
    own_side = user_can_see_desk(user, handoff.case.handling_desk_id)
    access.shows_client = own_side or (handoff.status in ACCESS_STATUSES and handoff.travels_client)
    access.shows_notes = own_side or (handoff.status in ACCESS_STATUSES and handoff.travels_notes)
    return access


def user_can_see_desk(user, desk_id: int) -> bool:
    return desk_id in visible_desk_ids(user, Capability.VIEW_CASES)


def get_handoff_for_user(user, pk) -> HandOff:
    from django.shortcuts import get_object_or_404

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        from django.http import Http404

        raise Http404 from None
    return get_object_or_404(
        HandOff.objects.visible_to(user).select_related(
            "case__handling_desk__municipality",
            "case__client",
            "from_desk__municipality",
            "to_desk__municipality",
            "to_organisation",
            "sent_by",
            "answered_by",
            "consent",
        ),
        pk=pk,
    )


# --- what an accepted hand-off opens (for case_access and Case.visible_to) ---------
def received_case_scope(user) -> Q | None:
    """Cases that reached one of the user's visible desks by an accepted (or
    completed) referral or transfer that carries the client's details (or
    whose case is anonymous): the `extra` scope of the one visibility
    function (Case.objects.visible_to(user, extra=…)).  Pending, declined
    and cancelled hand-offs open nothing; neither does one sent without
    client details, whose receiver reads it on the hand-off page only — so
    the case list, the name search and the client page never show a person
    whose details did not travel."""
    ids = sorted(visible_desk_ids(user, Capability.VIEW_CASES))
    if not ids:
        return None
    opened = HandOff.objects.filter(to_desk_id__in=ids, status__in=ACCESS_STATUSES).filter(
        Q(case__client__isnull=True)
        | Q(
            shares_client=True,
            personal_data_stopped_at__isnull=True,
            basis__in=[ConsentBasis.CONSENT, ConsentBasis.OVERRIDE, ConsentBasis.SAME_MUNICIPALITY],
        )
    )
    return Q(pk__in=opened.values("case_id"))


@dataclass
class ReceivedShare:
    """The union of what accepted hand-offs to the user's desks let travel."""

    handoffs: list[HandOff] = field(default_factory=list)
    client: bool = False
    notes: bool = False
    sensitive: bool = False

    @property
    def any(self) -> bool:
        return bool(self.handoffs)


def received_share(user, case: Case) -> ReceivedShare:
    ids = visible_desk_ids(user, Capability.VIEW_CASES)
    share = ReceivedShare()
    if not ids:
        return share
    visible = _remembered_case_handoffs(case, user)
    if visible is not None:
        # The case page (issue 13): the hand-offs it lists are read once and
        # serve this check too.  Those received at a visible desk are a subset
        # of the ones visible at all (sent from or to a visible desk), in the
        # same order (newest first).
        share.handoffs = [h for h in visible if h.to_desk_id in ids and h.status in ACCESS_STATUSES]
    else:
        share.handoffs = list(
            HandOff.objects.filter(case=case, to_desk_id__in=sorted(ids), status__in=ACCESS_STATUSES).order_by(
                "-sent_at"
            )
        )
    share.client = any(h.travels_client for h in share.handoffs)
    share.notes = any(h.travels_notes for h in share.handoffs)
    share.sensitive = any(
        h.travels_sensitive and acts_for(user, h.to_desk_id, Capability.VIEW_SENSITIVE_NOTES) for h in share.handoffs
    )
    return share


def handoff_case_access(user, case: Case):
    """What accepted hand-offs to the user's desks allow on `case` (the
    hand-off grant of consult.access; None when there is none).  The case
    opens with what was chosen to travel: notes and sensitive notes only
    when chosen (sensitive notes also need the capability at the receiving
    desk); the receiver may add consultations but does not edit, close or
    forward the sender's case."""
    from ..access import CaseAccess

    share = received_share(user, case)
    if not share.any or not (share.client or case.client_id is None):
        return None
    return CaseAccess(
        can_see_summary=True,
        can_see_details=True,
        can_see_notes=share.notes,
        can_see_sensitive_notes=share.sensitive,
        can_log_consultation=any(acts_for(user, h.to_desk_id, Capability.LOG_CONSULTATIONS) for h in share.handoffs),
    )


def register_handoff_grant() -> None:
    """Called from ConsultConfig.ready(): forwarding widens case_access and
    the visibility scope through the grant registry of consult.access."""
    from ..access import CaseGrant, register_case_grant

    register_case_grant(CaseGrant(name="handoffs", scope=received_case_scope, access=handoff_case_access))


def _visible_case_handoffs(case: Case, user) -> list[HandOff]:
    return list(
        HandOff.objects.visible_to(user)
        .filter(case=case)
        .select_related("from_desk", "to_desk__municipality", "to_organisation", "sent_by", "answered_by")
        .order_by("-sent_at", "-id")
    )


def _remembered_case_handoffs(case: Case, user) -> list[HandOff] | None:
    """The case's visible hand-offs, read once per request for a case whose
    access is remembered (consult.access.remember_access); None otherwise."""
    from ..access import request_memo
    from .case_page import is_absent

    memo = request_memo(case, "handoffs")
    if memo is None:
        return None
    if user.pk not in memo:
        memo[user.pk] = [] if is_absent(case, "handoffs") else _visible_case_handoffs(case, user)
    return memo[user.pk]


def case_handoffs(case: Case, user) -> list[HandOff]:
    """The case's hand-offs the user may see (all, for those who see the case)."""
    rows = _remembered_case_handoffs(case, user)
    return _decorate(list(rows) if rows is not None else _visible_case_handoffs(case, user), timezone.localdate())


# --- the inboxes -----------------------------------------------------------------------
BOXES = ("to", "from")


@dataclass
class InboxFilters:
    box: str = "to"
    status: str = ""
    kind: str = ""
    desk_id: int | None = None
    overdue: bool = False


@dataclass
class InboxPage:
    rows: list[HandOff]
    next_cursor: str | None
    per_page: int
    desks: list[Desk]


def inbox_desks(user) -> list[Desk]:
    return list(Desk.objects.filter(pk__in=sorted(own_desk_ids(user))).select_related("municipality").order_by("code"))


def _encode(handoff: HandOff) -> str:
    return signing.dumps({"k": handoff.sent_at.isoformat(), "i": handoff.pk}, salt=_CURSOR_SALT)


def _decode(cursor: str) -> tuple[datetime, int]:
    try:
        data = signing.loads(cursor, salt=_CURSOR_SALT)
    except signing.BadSignature as exc:
        raise InvalidCursor("bad signature") from exc
    value = parse_datetime(data.get("k", "")) if isinstance(data, dict) else None
    if value is None or timezone.is_naive(value) or not isinstance(data.get("i"), int):
        raise InvalidCursor("malformed cursor")
    return value, data["i"]


def inbox(
    *, user, filters: InboxFilters, cursor: str | None = None, per_page: int = PER_PAGE, today: date | None = None
) -> InboxPage:
    """One page of hand-offs to (or from) the desks the user acts for,
    newest first, keyset-paginated on (sent_at, id) along the
    handoff_{to,from}_desk(_status) indexes."""
    today = today or timezone.localdate()
    desks = inbox_desks(user)
    desk_ids = [d.pk for d in desks]
    if filters.desk_id in desk_ids:
        desk_ids = [filters.desk_id]
    column = "to_desk_id" if filters.box == "to" else "from_desk_id"
    qs: QuerySet[HandOff] = HandOff.objects.filter(**{f"{column}__in": desk_ids})
    if filters.status in HandOffStatus.values:
        qs = qs.filter(status=filters.status)
    if filters.kind in HandOffKind.values:
        qs = qs.filter(kind=filters.kind)
    if filters.overdue:
        qs = qs.filter(status=HandOffStatus.PENDING, sent_at__lt=overdue_sent_before(today))
    if cursor:
        value, pk = _decode(cursor)
        qs = qs.filter(TupleLessThan(Tuple(F("sent_at"), F("id")), (value, pk)))
    fetched = list(
        qs.select_related("case", "from_desk", "to_desk", "to_organisation")
        .defer("message", "override_basis", "decline_reason", "case__sensitive_notes")
        .order_by("-sent_at", "-id")[: per_page + 1]
    )
    rows = _decorate(fetched[:per_page], today)
    return InboxPage(
        rows=rows,
        next_cursor=_encode(rows[-1]) if len(fetched) > per_page else None,
        per_page=per_page,
        desks=desks,
    )


def waiting_for(user, *, limit: int = 5) -> dict[str, Any]:
    """For the home page: pending hand-offs to the user's desks (oldest first) and their number."""
    desk_ids = sorted(own_desk_ids(user))
    if not desk_ids:
        return {"count": 0, "rows": []}
    qs = HandOff.objects.filter(to_desk_id__in=desk_ids, status=HandOffStatus.PENDING)
    rows = list(
        qs.select_related("case", "from_desk__municipality", "to_desk")
        .defer("case__sensitive_notes")
        .order_by("sent_at", "id")[:limit]
    )
    # Fewer rows than asked: they are all there is, no count query (issue 13).
    count = qs.count() if len(rows) == limit else len(rows)
    return {"count": count, "rows": _decorate(rows, timezone.localdate())}


def handoff_history(handoff: HandOff) -> list:
    """Every recorded step of the hand-off, oldest first (both desks see it)."""
    from core.models import AuditEvent

    return list(
        AuditEvent.objects.filter(object_type="consult.handoff", object_id=str(handoff.pk))
        .exclude(action="view")
        .select_related("actor")
        .order_by("at", "id")
    )


def consent_current(client: Client | None) -> Consent | None:
    """The client's latest consent (in force or withdrawn), or None."""
    if client is None:
        return None
    return (
        Consent.objects.current()
        .filter(client=client)
        .select_related("explanation_language", "recorded_by", "withdrawn_by")
        .prefetch_related("municipalities", "organisations")
        .first()
    )
