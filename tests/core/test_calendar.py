"""core.calendar: business days (weekends, national holidays, 振替休日, the
year-end closure, extra closures) and office hours in Asia/Tokyo."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.calendar import (
    add_business_days,
    business_days_between,
    is_business_day,
    is_office_moment,
    national_holidays,
    next_business_day,
    next_office_moment,
    office_hours,
    previous_business_day,
)

TOKYO = ZoneInfo("Asia/Tokyo")


def _brute_force_between(start: date, end: date, closures=()) -> int:
    return sum(
        1
        for i in range(1, (end - start).days + 1)
        if is_business_day(start + timedelta(days=i), extra_closures=closures)
    )


def test_golden_week_2026():
    # 4/29 昭和の日 (Wed), 5/3 Sun, 5/4 みどりの日, 5/5 こどもの日, 5/6 振替休日 for 5/3.
    assert not is_business_day(date(2026, 4, 29))
    assert is_business_day(date(2026, 4, 30))
    assert is_business_day(date(2026, 5, 1))
    for day in (3, 4, 5, 6):
        assert not is_business_day(date(2026, 5, day)), day
    assert is_business_day(date(2026, 5, 7))
    # Friday 5/1 + 1 business day skips the weekend and four holidays.
    assert add_business_days(date(2026, 5, 1), 1) == date(2026, 5, 7)
    assert next_business_day(date(2026, 5, 1)) == date(2026, 5, 7)
    # A hand-off sent on 4/28 has waited 3 business days on 5/7 (4/30, 5/1, 5/7).
    assert business_days_between(date(2026, 4, 28), date(2026, 5, 7)) == 3


def test_substitute_holiday_is_closed():
    # 2026-05-06 is 振替休日 (Constitution Day fell on a Sunday).
    assert national_holidays(2026) >= {date(2026, 5, 6)}
    assert not is_business_day(date(2026, 5, 6))
    # 2025-11-24 (Mon): 勤労感謝の日 11/23 fell on a Sunday.
    assert not is_business_day(date(2025, 11, 24))
    assert next_business_day(date(2025, 11, 21)) == date(2025, 11, 25)


def test_year_end_closure_spans_the_new_year():
    for day in (
        date(2026, 12, 29),
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 1),
        date(2027, 1, 4) - timedelta(days=1),
    ):
        assert not is_business_day(day), day
    assert is_business_day(date(2026, 12, 28))  # Monday
    assert is_business_day(date(2027, 1, 4))  # Monday, offices reopen
    assert add_business_days(date(2026, 12, 28), 1) == date(2027, 1, 4)
    assert add_business_days(date(2027, 1, 4), -1) == date(2026, 12, 28)
    assert business_days_between(date(2026, 12, 25), date(2027, 1, 5)) == 3  # 12/28, 1/4, 1/5
    assert previous_business_day(date(2027, 1, 4)) == date(2026, 12, 28)


def test_weekends():
    assert not is_business_day(date(2026, 11, 28))  # Saturday
    assert not is_business_day(date(2026, 11, 29))  # Sunday
    assert is_business_day(date(2026, 11, 30))


def test_add_business_days_zero_and_negative():
    friday, saturday = date(2026, 11, 27), date(2026, 11, 28)
    assert add_business_days(friday, 0) == friday
    assert add_business_days(saturday, 0) == date(2026, 11, 30)
    assert add_business_days(saturday, 1) == date(2026, 11, 30)
    assert add_business_days(saturday, -1) == friday
    assert add_business_days(date(2026, 11, 30), -1) == friday
    assert add_business_days(friday, 5) == date(2026, 12, 4)


def test_business_days_between_directions_and_agrees_with_counting_day_by_day():
    assert business_days_between(date(2026, 11, 30), date(2026, 11, 30)) == 0
    assert business_days_between(date(2026, 11, 30), date(2026, 12, 2)) == 2  # Mon → Wed
    assert business_days_between(date(2026, 12, 2), date(2026, 11, 30)) == -2
    start = date(2025, 12, 1)
    closures = {date(2026, 3, 2), date(2026, 8, 15), date(2026, 9, 22)}
    for end in (date(2026, 1, 5), date(2026, 5, 8), date(2027, 1, 4), date(2027, 3, 31)):
        assert business_days_between(start, end) == _brute_force_between(start, end)
        assert business_days_between(start, end, extra_closures=closures) == _brute_force_between(start, end, closures)
        assert business_days_between(start, end, extra_closures=closures.__contains__) == _brute_force_between(
            start, end, closures
        )


def test_extra_closures_as_dates_or_callable():
    tuesday = date(2026, 12, 1)
    assert is_business_day(tuesday)
    assert not is_business_day(tuesday, extra_closures=[tuesday])
    assert not is_business_day(tuesday, extra_closures=lambda d: d == tuesday)
    assert add_business_days(date(2026, 11, 30), 1, extra_closures={tuesday}) == date(2026, 12, 2)
    assert business_days_between(date(2026, 11, 30), date(2026, 12, 2), extra_closures=[tuesday]) == 1
    assert next_business_day(date(2026, 11, 30), extra_closures=(tuesday,)) == date(2026, 12, 2)


def test_office_hours_from_settings(settings):
    assert office_hours() == (time(8, 30), time(17, 15))
    settings.OFFICE_HOURS = ("09:00", "17:00")
    assert office_hours() == (time(9, 0), time(17, 0))
    settings.OFFICE_HOURS = ("18:00", "09:00")
    with pytest.raises(ValueError):
        office_hours()


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Inside office hours: the moment itself.
        (datetime(2026, 11, 30, 10, 0, tzinfo=TOKYO), datetime(2026, 11, 30, 10, 0, tzinfo=TOKYO)),
        # Opening is inclusive, closing exclusive.
        (datetime(2026, 11, 30, 8, 30, tzinfo=TOKYO), datetime(2026, 11, 30, 8, 30, tzinfo=TOKYO)),
        (datetime(2026, 11, 30, 17, 14, 59, tzinfo=TOKYO), datetime(2026, 11, 30, 17, 14, 59, tzinfo=TOKYO)),
        (datetime(2026, 11, 30, 17, 15, tzinfo=TOKYO), datetime(2026, 12, 1, 8, 30, tzinfo=TOKYO)),
        # Early morning waits for the opening of the same day.
        (datetime(2026, 11, 30, 6, 0, tzinfo=TOKYO), datetime(2026, 11, 30, 8, 30, tzinfo=TOKYO)),
        # Friday evening → Monday morning.
        (datetime(2026, 11, 27, 20, 0, tzinfo=TOKYO), datetime(2026, 11, 30, 8, 30, tzinfo=TOKYO)),
        # Into Golden Week → 5/7; into the year-end closure → 1/4.
        (datetime(2026, 5, 1, 17, 30, tzinfo=TOKYO), datetime(2026, 5, 7, 8, 30, tzinfo=TOKYO)),
        (datetime(2026, 12, 28, 18, 0, tzinfo=TOKYO), datetime(2027, 1, 4, 8, 30, tzinfo=TOKYO)),
        # UTC input: 2026-11-30 00:00 UTC is 09:00 in Tokyo.
        (datetime(2026, 11, 30, 0, 0, tzinfo=ZoneInfo("UTC")), datetime(2026, 11, 30, 9, 0, tzinfo=TOKYO)),
        # 2026-11-29 23:00 UTC is Monday 08:00 in Tokyo: wait 30 minutes, not a day.
        (datetime(2026, 11, 29, 23, 0, tzinfo=ZoneInfo("UTC")), datetime(2026, 11, 30, 8, 30, tzinfo=TOKYO)),
    ],
)
def test_next_office_moment(moment, expected):
    result = next_office_moment(moment)
    assert result == expected
    assert result.tzinfo == TOKYO
    assert is_office_moment(result)


def test_next_office_moment_naive_is_tokyo_and_extra_closures_and_hours():
    assert next_office_moment(datetime(2026, 11, 30, 7, 0)) == datetime(2026, 11, 30, 8, 30, tzinfo=TOKYO)
    assert not is_office_moment(datetime(2026, 11, 30, 7, 0, tzinfo=TOKYO))
    closed_tuesday = {date(2026, 12, 1)}
    assert next_office_moment(datetime(2026, 11, 30, 17, 30, tzinfo=TOKYO), extra_closures=closed_tuesday) == datetime(
        2026, 12, 2, 8, 30, tzinfo=TOKYO
    )
    desk_hours = (time(9, 0), time(16, 0))
    assert next_office_moment(datetime(2026, 11, 30, 16, 0, tzinfo=TOKYO), hours=desk_hours) == datetime(
        2026, 12, 1, 9, 0, tzinfo=TOKYO
    )


def test_holiday_set_is_cached_per_year():
    national_holidays.cache_clear()
    for day in range(1, 32):
        is_business_day(date(2026, 12, day))
    info = national_holidays.cache_info()
    assert info.misses == 1
    assert info.hits >= 1
