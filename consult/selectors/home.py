"""The home page's work queue (core/home.py panels registered by consult/home.py).

Each function costs a constant number of queries — a count and one short
list with its joins — however many items there are, on indexes that lead
with the user or the desk (docs/decisions/0008):

* follow-ups due: ``followup_open_assignee_due_idx`` (partial: open only);
* my open cases: ``case_assignee_status_idx``;
* waiting cases: ``case_waiting_desk_idx`` (partial: status 'waiting');
* recent consultations: ``consultation_desk_time_idx``.
Everything goes through ``visible_to(user)``: nothing outside the person's
scope is ever listed or counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from municipalities.visibility import user_memberships

from ..models import Case, CaseStatus, Consultation, FollowUp

LIST_LENGTH = 5
# Counts stop here ("more than 99 items", issue 13): a work queue needs to
# tell a few from very many, like the "99+" of a badge.  Each counted row is
# checked against the visible cases: counting to 999 took a benchmark clerk's
# 2,000 overdue follow-ups 12–17 ms of database time on every home page at
# 1,000,000 consultations, more than the rest of the page (docs/decisions/
# 0018, fifth pass).
COUNT_CAP = 99


@dataclass
class Queue:
    count: int
    rows: list
    capped: bool = False  # there are more than `count`


def _queue(queryset: QuerySet, length: int) -> Queue:
    rows = list(queryset[:length])
    # Fewer rows than asked: they are all there is, no count query needed.
    if len(rows) < length:
        return Queue(count=len(rows), rows=rows)
    count = queryset.order_by()[: COUNT_CAP + 1].count()
    if count > COUNT_CAP:
        return Queue(count=COUNT_CAP, rows=rows, capped=True)
    return Queue(count=count, rows=rows)


def _my_desk_ids(user) -> list[int]:
    """The desks of the person's memberships (their counter), visible to them."""
    return sorted({m.desk_id for m in user_memberships(user) if m.desk_id})


def follow_ups_due(user, *, today: date | None = None, length: int = LIST_LENGTH) -> Queue:
    """My open follow-ups due today or earlier, the oldest first."""
    today = today or timezone.localdate()
    visible_cases = Case.objects.visible_to(user).values("pk")
    queryset = (
        FollowUp.objects.filter(
            assignee=user, status=FollowUp.Status.OPEN, due_date__lte=today, case_id__in=visible_cases
        )
        .select_related("case", "case__client")
        .defer("case__sensitive_notes")
        .order_by("due_date", "id")
    )
    return _queue(queryset, length)


def my_open_cases(user, *, length: int = LIST_LENGTH) -> Queue:
    queryset = (
        Case.objects.visible_to(user)
        .filter(assignee=user, status__in=[CaseStatus.OPEN, CaseStatus.IN_PROGRESS, CaseStatus.WAITING])
        .select_related("client")
        .defer("sensitive_notes")
        .order_by("-last_activity_at", "-id")
    )
    return _queue(queryset, length)


def waiting_cases(user, *, length: int = LIST_LENGTH) -> Queue:
    """Cases waiting for an answer at my desks (all visible desks if I have none)."""
    queryset = Case.objects.visible_to(user).filter(status=CaseStatus.WAITING)
    desk_ids = _my_desk_ids(user)
    if desk_ids:
        queryset = queryset.filter(handling_desk_id__in=desk_ids)
    queryset = queryset.select_related("client").defer("sensitive_notes").order_by("-last_activity_at", "-id")
    return _queue(queryset, length)


def recent_consultations(user, *, length: int = LIST_LENGTH, now: datetime | None = None) -> Queue:
    """The latest consultations at my desks; the count is today's."""
    desk_ids = _my_desk_ids(user)
    if not desk_ids:
        return Queue(count=0, rows=[])
    base = Consultation.objects.visible_to(user).filter(desk_id__in=desk_ids)
    rows = list(
        base.select_related("case", "case__client")
        .defer("case__sensitive_notes")
        .order_by("-occurred_at", "-id")[:length]
    )
    local_now = timezone.localtime(now)
    start = timezone.make_aware(datetime.combine(local_now.date(), time.min))
    # Today's count is what my desks logged today, read from the desk/time
    # index alone: a consultation my desk logged stays my desk's work even if
    # its case was forwarded since (the rows above still follow visibility;
    # issue 13, docs/decisions/0018).
    count = Consultation.objects.filter(
        desk_id__in=desk_ids, occurred_at__gte=start, occurred_at__lte=local_now
    ).count()
    return Queue(count=count, rows=rows)
