"""Fetch interpreters and bookings through the user's scope (CONVENTIONS "Access").

* A booking of a case is visible exactly when the case is (the one
  visibility rule, through `Case.objects.visible_to`); a counter booking
  without a case, when its desk is.  Outside that: 404.
* Changing a booking (confirm, complete, cancel…) needs the right to log
  consultations on its case (`case_access(user, case).can_log_consultation`)
  or, for a counter booking, at its desk: 403 otherwise.
* The roster is visible to people who work cases in its consortium;
  editing it needs `manage_interpreters` there (coordinators): 403 for
  the others who see it, 404 for everyone else.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from consult.access import case_access
from municipalities.roles import Capability
from municipalities.visibility import user_can

from .models import Booking, Interpreter


def _int(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None


def require_case_worker(user) -> None:
    if not user_can(user, Capability.VIEW_CASES):
        raise Http404


def can_manage(user, interpreter: Interpreter) -> bool:
    return Interpreter.objects.visible_to(user, Capability.MANAGE_INTERPRETERS).filter(pk=interpreter.pk).exists()


def can_manage_roster(user) -> bool:
    return user_can(user, Capability.MANAGE_INTERPRETERS)


def get_interpreter_for_user(user, pk, *, manage: bool = False) -> Interpreter:
    interpreter = get_object_or_404(
        Interpreter.objects.visible_to(user).select_related("home_desk", "consortium"), pk=_int(pk)
    )
    if manage and not can_manage(user, interpreter):
        raise PermissionDenied
    return interpreter


def can_work_on(user, booking: Booking) -> bool:
    """Booking for a case is logging work on it: `case_access(...).can_log_consultation`;
    a counter booking without a case follows its desk."""
    if booking.case_id:
        return case_access(user, booking.case).can_log_consultation
    return user_can(user, Capability.LOG_CONSULTATIONS, desk=booking.desk)


def get_booking_for_user(user, pk, *, write: bool = False) -> Booking:
    booking = get_object_or_404(
        Booking.objects.visible_to(user).select_related(
            "desk__municipality",
            "case__handling_desk",
            "case__client",
            "consultation",
            "language",
            "interpreter",
            "requested_by",
            "confirmed_by",
            "attributed_municipality",
        ),
        pk=_int(pk),
    )
    # A pending hand-off shows the case's summary only; its bookings are details.
    if booking.case_id and not case_access(user, booking.case).can_see_details:
        raise Http404
    if write and not can_work_on(user, booking):
        raise PermissionDenied
    return booking
