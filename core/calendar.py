"""Business days and office hours (DESIGN §6), in Asia/Tokyo.

A business day is a weekday (Mon–Fri) that is not

* a Japanese national holiday, 振替休日 or 国民の休日 (the maintained
  `holidays` package, cached per year),
* in the year-end closure 12/29–1/3 that every municipal office keeps,
* an extra closure of the municipality in question (kept as data in
  `municipalities.MunicipalClosure`; `municipalities.calendar.closures_for`
  gives them).  core sits below municipalities, so every function here takes
  the extra closures as an iterable of dates or as a callable
  `date -> bool` instead of reading them itself.

Counting convention (used by hand-offs, follow-ups and reminders): the
business days *between* two dates are those after the start, up to and
including the end — a hand-off sent on Monday has waited 2 business days on
Wednesday.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

OFFICE_TIME_ZONE = ZoneInfo("Asia/Tokyo")

Closures = Iterable[date] | Callable[[date], bool]


@lru_cache(maxsize=128)
def national_holidays(year: int) -> frozenset[date]:
    """National holidays of `year`, 振替休日 and 国民の休日 included."""
    return frozenset(holidays.Japan(years=year))


def is_year_end_closure(day: date) -> bool:
    """12/29–1/3, the closure every municipal office keeps."""
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def _as_date(day: date | datetime) -> date:
    if isinstance(day, datetime):
        if day.tzinfo is not None:
            day = day.astimezone(OFFICE_TIME_ZONE)
        return day.date()
    return day


def _closure_test(extra_closures: Closures) -> Callable[[date], bool]:
    if callable(extra_closures):
        return extra_closures
    return frozenset(extra_closures).__contains__


def _is_business_day(day: date, closed: Callable[[date], bool]) -> bool:
    return (
        day.weekday() < 5
        and not is_year_end_closure(day)
        and day not in national_holidays(day.year)
        and not closed(day)
    )


def is_business_day(day: date | datetime, *, extra_closures: Closures = ()) -> bool:
    return _is_business_day(_as_date(day), _closure_test(extra_closures))


def next_business_day(day: date | datetime, *, extra_closures: Closures = (), inclusive: bool = False) -> date:
    """The first business day after `day` (or `day` itself when `inclusive`
    and it is one)."""
    closed = _closure_test(extra_closures)
    day = _as_date(day)
    if not inclusive:
        day += timedelta(days=1)
    while not _is_business_day(day, closed):
        day += timedelta(days=1)
    return day


def previous_business_day(day: date | datetime, *, extra_closures: Closures = (), inclusive: bool = False) -> date:
    closed = _closure_test(extra_closures)
    day = _as_date(day)
    if not inclusive:
        day -= timedelta(days=1)
    while not _is_business_day(day, closed):
        day -= timedelta(days=1)
    return day


def add_business_days(day: date | datetime, n: int, *, extra_closures: Closures = ()) -> date:
    """The `n`-th business day after `day` (before it when `n` is negative).

    `day` itself need not be a business day: a follow-up "in 5 business days"
    from a Saturday is the fifth business day after it.  `n == 0` gives
    `day` when it is a business day, otherwise the next one (a due date
    never falls on a closed day).
    """
    closed = _closure_test(extra_closures)
    day = _as_date(day)
    if n == 0:
        return next_business_day(day, extra_closures=closed, inclusive=True)
    step = timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        if _is_business_day(day, closed):
            remaining -= 1
    return day


def _weekdays_in(start: date, end: date) -> int:
    """Weekdays in the closed range [start, end] (0 when end < start)."""
    days = (end - start).days + 1
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    first = start.weekday()
    return weeks * 5 + sum(1 for i in range(rest) if (first + i) % 7 < 5)


def business_days_between(start: date | datetime, end: date | datetime, *, extra_closures: Closures = ()) -> int:
    """Business days after `start` up to and including `end` ("waiting N
    business days"); negative when `end` is before `start`.

    Counted in O(years), not O(days), for iterable closures: weekdays by
    arithmetic, minus the closed weekdays in the range.
    """
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return -business_days_between(end, start, extra_closures=extra_closures)
    first, last = start + timedelta(days=1), end
    if last < first:
        return 0
    if callable(extra_closures):
        closed_fn = extra_closures
        return sum(1 for i in range((last - first).days + 1) if _is_business_day(first + timedelta(days=i), closed_fn))
    closed: set[date] = {d for d in extra_closures if first <= d <= last}
    for year in range(first.year, last.year + 1):
        closed.update(d for d in national_holidays(year) if first <= d <= last)
        closed.update(
            d
            for d in (*(date(year, 12, day) for day in (29, 30, 31)), *(date(year, 1, day) for day in (1, 2, 3)))
            if first <= d <= last
        )
    return _weekdays_in(first, last) - sum(1 for d in closed if d.weekday() < 5)


def _parse_time(value: str | time) -> time:
    if isinstance(value, time):
        return value
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def office_hours() -> tuple[time, time]:
    """(opening, closing) from settings.OFFICE_HOURS (OFFICE_HOURS_START /
    OFFICE_HOURS_END, default 08:30–17:15); closing is exclusive."""
    start, end = (_parse_time(value) for value in settings.OFFICE_HOURS)
    if not start < end:
        raise ValueError(f"OFFICE_HOURS must open before they close, not {start}–{end}")
    return start, end


def is_office_moment(
    moment: datetime, *, extra_closures: Closures = (), hours: tuple[time, time] | None = None
) -> bool:
    return next_office_moment(moment, extra_closures=extra_closures, hours=hours) == _in_office_zone(moment)


def _in_office_zone(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=OFFICE_TIME_ZONE)
    return moment.astimezone(OFFICE_TIME_ZONE)


def next_office_moment(
    moment: datetime, *, extra_closures: Closures = (), hours: tuple[time, time] | None = None
) -> datetime:
    """`moment` itself when it falls within office hours on a business day,
    otherwise the next opening — an aware datetime in Asia/Tokyo.

    A naive `moment` is read as Asia/Tokyo.  `hours` overrides the settings
    (a desk with hours of its own).
    """
    opening, closing = hours or office_hours()
    moment = _in_office_zone(moment)
    closed = _closure_test(extra_closures)
    day = moment.date()
    if _is_business_day(day, closed):
        if moment.time() < opening:
            return datetime.combine(day, opening, tzinfo=OFFICE_TIME_ZONE)
        if moment.time() < closing:
            return moment
    day = next_business_day(day, extra_closures=closed)
    return datetime.combine(day, opening, tzinfo=OFFICE_TIME_ZONE)
