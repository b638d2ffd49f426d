"""interpreters' notification kinds (issue 10, DESIGN §5 and §6), registered
in `InterpretersConfig.ready()`:

- `interpreters.booking_day_before`: a confirmed booking, on the business day
  before it (business days of the booking desk's municipality) → the
  interpreter's e-mail address, in the interpreter's language (no client
  data in it: when, where, which language and desk), and the booking desk:
  the person who requested it and the case's assignee.
- `interpreters.booking_unconfirmed`: a booking still requested (not
  confirmed) 24 hours before it starts → the booking desk: the requester,
  the case's assignee and the desk's coordinators, who can confirm it.

The occurrence key carries the start time: a booking moved to another time
is a new occurrence, and `still_due` drops a reminder whose booking was
moved, cancelled, or (for the 24-hour one) confirmed meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consult.reminders import desk_coordinator_ids
from core import calendar
from municipalities.calendar import closures_for
from notifications.models import Channel, Notification
from notifications.registry import Draft, Kind, kinds

from .models import Booking, BookingStatus

BOOKING_DAY_BEFORE = "interpreters.booking_day_before"
BOOKING_UNCONFIRMED = "interpreters.booking_unconfirmed"

UNCONFIRMED_BEFORE = timedelta(hours=24)
# The business day before a booking is at most this far before it (Golden
# Week, the year-end closure): the window scanned on every tick.
DAY_BEFORE_HORIZON = timedelta(days=14)


def _stamp(booking: Booking) -> str:
    return str(int(booking.starts_at.timestamp()))


def _key(prefix: str, booking: Booking, who: str) -> str:
    return f"{prefix}:{booking.pk}:{_stamp(booking)}:{who}"


def booking_desk_user_ids(booking: Booking, *, coordinators: bool = False) -> list[int]:
    """The booking desk's people concerned: who requested it and the case's
    assignee (active ones); the desk's coordinators when asked for, or when
    nobody else is left."""
    people = {booking.requested_by_id} if booking.requested_by.is_active else set()
    if booking.case_id and booking.case.assignee_id and booking.case.assignee.is_active:
        people.add(booking.case.assignee_id)
    if coordinators or not people:
        people |= set(desk_coordinator_ids(booking.desk_id))
    return sorted(people)


def _new_only(drafts: list[Draft]) -> Iterator[Draft]:
    """Drop drafts whose occurrence exists already (one query), so that a
    tick every minute does not re-insert the day's reminders."""
    existing = set(
        Notification.objects.filter(occurrence_key__in=[d.occurrence_key for d in drafts]).values_list(
            "occurrence_key", flat=True
        )
    )
    return (draft for draft in drafts if draft.occurrence_key not in existing)


def day_before(booking: Booking, closures: dict) -> datetime:
    """Midnight (Asia/Tokyo) of the business day before the booking's day."""
    municipality_id = booking.desk.municipality_id
    if municipality_id not in closures:
        closures[municipality_id] = closures_for(municipality_id)
    start_day = timezone.localtime(booking.starts_at).date()
    day = calendar.previous_business_day(start_day, extra_closures=closures[municipality_id])
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def produce_day_before(now: datetime) -> Iterator[Draft]:
    rows = (
        Booking.objects.filter(
            status=BookingStatus.CONFIRMED, starts_at__gt=now, starts_at__lte=now + DAY_BEFORE_HORIZON
        )
        .select_related("desk", "interpreter", "requested_by", "case__assignee")
        .order_by("starts_at", "pk")
    )
    closures: dict = {}
    drafts: list[Draft] = []
    for booking in rows:
        if now < day_before(booking, closures):
            continue
        interpreter = booking.interpreter
        if interpreter is not None and interpreter.email:
            drafts.append(
                Draft(
                    recipient_id=None,
                    email=interpreter.email,
                    language=interpreter.email_language,
                    occurrence_key=_key("booking_day_before", booking, f"i{interpreter.pk}"),
                    obj=booking,
                    desk_id=booking.desk_id,
                    at=now,
                )
            )
        for user_id in booking_desk_user_ids(booking):
            drafts.append(
                Draft(
                    recipient_id=user_id,
                    occurrence_key=_key("booking_day_before", booking, str(user_id)),
                    obj=booking,
                    desk_id=booking.desk_id,
                    at=now,
                )
            )
    return _new_only(drafts)


def produce_unconfirmed(now: datetime) -> Iterator[Draft]:
    rows = (
        Booking.objects.filter(
            status=BookingStatus.REQUESTED, starts_at__gt=now, starts_at__lte=now + UNCONFIRMED_BEFORE
        )
        .select_related("desk", "requested_by", "case__assignee")
        .order_by("starts_at", "pk")
    )
    drafts = [
        Draft(
            recipient_id=user_id,
            occurrence_key=_key("booking_unconfirmed", booking, str(user_id)),
            obj=booking,
            desk_id=booking.desk_id,
            at=now,
        )
        for booking in rows
        for user_id in booking_desk_user_ids(booking, coordinators=True)
    ]
    return _new_only(drafts)


def _same_start(notification: Notification, booking: Booking) -> bool:
    return notification.occurrence_key.split(":")[2] == _stamp(booking)


def day_before_still_due(notification: Notification, booking: Booking | None) -> bool:
    if booking is None or booking.status != BookingStatus.CONFIRMED or not _same_start(notification, booking):
        return False
    who = notification.occurrence_key.split(":")[3]
    return not who.startswith("i") or who == f"i{booking.interpreter_id}"


def unconfirmed_still_due(notification: Notification, booking: Booking | None) -> bool:
    return booking is not None and booking.status == BookingStatus.REQUESTED and _same_start(notification, booking)


def booking_context(notification: Notification, booking: Booking) -> dict:
    return {
        "booking": booking,
        "starts_at": timezone.localtime(booking.starts_at),
        "ends_at": timezone.localtime(booking.ends_at),
        # The interpreter is outside the portal: no case, no client, no link.
        "for_interpreter": notification.recipient_id is None,
    }


def booking_url(notification: Notification, booking: Booking) -> str:
    return "" if notification.recipient_id is None else booking.get_absolute_url()


def register() -> None:
    kinds.register(
        Kind(
            key=BOOKING_DAY_BEFORE,
            label=_("Interpreter booking on the next business day"),
            description=_("To the interpreter and the booking desk, the business day before a confirmed booking."),
            template="booking_day_before",
            produce=produce_day_before,
            still_due=day_before_still_due,
            context=booking_context,
            url=booking_url,
            default_channel=Channel.EMAIL,
            select_related=("desk", "language", "interpreter", "case"),
        )
    )
    kinds.register(
        Kind(
            key=BOOKING_UNCONFIRMED,
            label=_("Interpreter booking not confirmed 24 hours before"),
            description=_("To the booking desk, when a booking is still requested 24 hours before it starts."),
            template="booking_unconfirmed",
            produce=produce_unconfirmed,
            still_due=unconfirmed_still_due,
            context=booking_context,
            url=booking_url,
            default_channel=Channel.EMAIL,
            select_related=("desk", "language", "interpreter", "case"),
        )
    )
