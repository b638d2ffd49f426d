"""When a notification may go out: business days and office hours of the
desk it concerns (core.calendar with the municipality's closures and the
desk's own hours, if it keeps other hours than OFFICE_HOURS)."""

from __future__ import annotations

from datetime import datetime, time

from django.conf import settings

from core import calendar
from municipalities.calendar import closures_for
from municipalities.models import Desk

from .models import Channel, DeskOfficeHours


class DeskClock:
    """Office hours and closures of one desk (or the defaults without a desk),
    read once and reused for many rows."""

    def __init__(self, desk_id: int | None) -> None:
        self.desk_id = desk_id
        self.hours: tuple[time, time] | None = None
        self.closures: frozenset = frozenset()
        if desk_id is not None:
            row = DeskOfficeHours.objects.filter(desk_id=desk_id).first()
            if row is not None:
                self.hours = (row.opens, row.closes)
            municipality_id = Desk.objects.filter(pk=desk_id).values_list("municipality_id", flat=True).first()
            if municipality_id is not None:
                self.closures = closures_for(municipality_id)

    def opening_hours(self) -> tuple[time, time]:
        return self.hours or calendar.office_hours()

    def next_office_moment(self, moment: datetime) -> datetime:
        return calendar.next_office_moment(moment, extra_closures=self.closures, hours=self.hours)

    def is_office_moment(self, moment: datetime) -> bool:
        return calendar.is_office_moment(moment, extra_closures=self.closures, hours=self.hours)

    def next_day_start(self, moment: datetime) -> datetime:
        """The start of the next business day after `moment` — today's
        opening if `moment` is before it on a business day."""
        opening, _closing = self.opening_hours()
        local = moment.astimezone(calendar.OFFICE_TIME_ZONE)
        if calendar.is_business_day(local.date(), extra_closures=self.closures) and local.time() < opening:
            day = local.date()
        else:
            day = calendar.next_business_day(local.date(), extra_closures=self.closures)
        return datetime.combine(day, opening, tzinfo=calendar.OFFICE_TIME_ZONE)

    def due_at(self, channel: str, moment: datetime) -> datetime:
        """When a row on `channel` that becomes due at `moment` should be sent."""
        if channel == Channel.EMAIL:
            return self.next_office_moment(moment) if settings.NOTIFICATIONS_OFFICE_HOURS_ONLY else moment
        if channel == Channel.DIGEST:
            return self.next_day_start(moment)
        return moment


class Clocks(dict):
    """DeskClock per desk id, built on first use."""

    def __missing__(self, desk_id):
        clock = self[desk_id] = DeskClock(desk_id)
        return clock
