"""Interpreter bookings under retention (core/retention.py, issue 12 point 11).

A booking expires when it ended (completed, cancelled or no-show) before the
cutoff.  Its place, notes and cancellation reason are blanked; language,
modality, times, minutes, cost and the municipality it is attributed to stay,
so interpreter minutes and the cost share are identical before and after."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.retention import RecordClass, holds_text, redact, register

from .models import Booking, BookingStatus

ENDED = (BookingStatus.COMPLETED, BookingStatus.CANCELLED, BookingStatus.NO_SHOW)
HOLDS_DATA = holds_text("place", "notes", "cancel_reason")


def expired_bookings(cutoff: datetime) -> QuerySet[Booking]:
    return Booking.objects.filter(status__in=ENDED, ends_at__lt=cutoff).filter(
        Q(closed_at__isnull=True) | Q(closed_at__lt=cutoff)
    )


def pending(cutoff: datetime) -> int:
    return expired_bookings(cutoff).filter(HOLDS_DATA).count()


def anonymise(cutoff: datetime) -> int:
    return (
        expired_bookings(cutoff)
        .filter(HOLDS_DATA)
        .update(
            # A cancelled booking must keep a reason (constraint): a dash.
            place="",
            notes="",
            cancel_reason=redact("cancel_reason"),
        )
    )


register(
    RecordClass(
        key="interpreter_bookings", label=_("interpreter bookings"), pending=pending, anonymise=anonymise, order=20
    )
)
