"""What interpreters contributes to lower apps' screens, registered in
InterpretersConfig.ready(): the case timeline (bookings), links on the
case page ("book an interpreter"), and the "who can help now" panels of
the home page and the intake screen."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from consult.access import case_access
from consult.selectors.case_page import TimelineEntry

from .models import Booking


def booking_timeline_entries(*, case, user) -> list[TimelineEntry]:
    """The case's bookings, at their start time (a planned appointment shows
    ahead of today).  The case is visible to `user`, hence its bookings."""
    bookings = Booking.objects.filter(case=case).select_related("language", "interpreter", "requested_by")
    return [
        TimelineEntry(
            at=booking.starts_at,
            kind="interpreter_booking",
            actor=booking.requested_by,
            obj=booking,
            template="interpreters/partials/timeline_booking.html",
        )
        for booking in bookings
    ]


def case_has_bookings():
    """True for a case (``OuterRef("pk")``) with any booking: the case page
    reads it with the case and skips `booking_timeline_entries` without."""
    return Exists(Booking.objects.filter(case_id=OuterRef("pk")))


def _may_book(user, case) -> bool:
    """Asked once per consultation on the case page: the answer is kept on the
    case object for this user, so the page's queries do not grow with its
    timeline (case_access may read hand-off grants)."""
    memo = case.__dict__.setdefault("_interpreters_may_book", {})
    if user.pk not in memo:
        memo[user.pk] = case_access(user, case).can_log_consultation
    return memo[user.pk]


def case_booking_link(*, case, user) -> list[dict]:
    if not _may_book(user, case):
        return []
    return [
        {
            "label": _("Book an interpreter"),
            "url": f"{reverse('interpreters:booking_create')}?case={case.pk}",
            "testid": "book-interpreter",
        }
    ]


def consultation_booking_link(*, case, consultation, user) -> list[dict]:
    if not _may_book(user, case):
        return []
    return [
        {
            "label": _("Book an interpreter for this consultation"),
            "url": f"{reverse('interpreters:booking_create')}?consultation={consultation.pk}",
            "testid": f"book-interpreter-{consultation.pk}",
        }
    ]
