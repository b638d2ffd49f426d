"""Due dates of follow-ups, in business days of the desk's municipality
(core.calendar: weekends, national holidays, 12/29–1/3, the municipality's
own closures), and the follow-ups that topic templates propose."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone

from core import calendar
from municipalities.calendar import cached_closures_for

from ..models import FollowUpTemplate


def business_days_later(days: int, *, desk=None, start: date | None = None) -> date:
    """The `days`-th business day after `start` (today) at `desk`."""
    start = start or timezone.localdate()
    # A proposed date, which the person may change: closures from the
    # per-process cache (the case page's follow-up form; issue 13).
    closures = cached_closures_for(desk.municipality_id) if desk is not None else ()
    return calendar.add_business_days(start, days, extra_closures=closures)


def default_follow_up_due(*, desk=None, start: date | None = None) -> date:
    return business_days_later(settings.FOLLOW_UP_DEFAULT_BUSINESS_DAYS, desk=desk, start=start)


def follow_up_proposals(*, desk=None, start: date | None = None) -> dict[str, dict]:
    """{topic id: {"note", "days", "due"}} for every active template, the due
    date already counted in business days (the intake screen pre-fills it)."""
    proposals = {}
    for template in FollowUpTemplate.objects.filter(active=True, topic__active=True).select_related("topic"):
        proposals[str(template.topic_id)] = {
            "note": template.note,
            "days": template.business_days,
            "due": business_days_later(template.business_days, desk=desk, start=start).isoformat(),
            "topic": template.topic.name,
        }
    return proposals
