"""One date and time format per language (core/dates.py, {% load dates %})."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from core import dates

# 2026-12-01 09:05 in Tokyo is 00:05 UTC.
MOMENT = datetime(2026, 12, 1, 0, 5, tzinfo=UTC)
DAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (MOMENT, "ja", "2026年12月1日（火）9:05"),
        (DAY, "ja", "2026年12月1日（火）"),
        (MOMENT, "en", "Tue 1 Dec 2026 09:05"),
        (DAY, "en", "Tue 1 Dec 2026"),
        (datetime(2027, 1, 3, 14, 30, tzinfo=UTC), "ja", "2027年1月3日（日）23:30"),
        (None, "ja", ""),
    ],
)
def test_long_format(value, language, expected):
    assert dates.format_long(value, language=language) == expected


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (MOMENT, "ja", "2026/12/01 9:05"),
        (DAY, "ja", "2026/12/01"),
        (MOMENT, "en", "1 Dec 2026 09:05"),
        (DAY, "en", "1 Dec 2026"),
        # Late evening UTC is already the next day in Tokyo.
        (datetime(2026, 3, 31, 15, 0, tzinfo=UTC), "ja", "2026/04/01 0:00"),
    ],
)
def test_short_format_for_tables(value, language, expected):
    assert dates.format_short(value, language=language) == expected


@pytest.mark.parametrize(
    ("year", "language", "expected"),
    [
        (2026, "ja", "2026年度（令和8年度）"),
        (2019, "ja", "2019年度（令和元年度）"),
        (2026, "en", "FY2026 (Reiwa 8)"),
    ],
)
def test_fiscal_year_names_the_era(year, language, expected):
    assert dates.format_fiscal_year(year, language=language) == expected


def test_the_filters_follow_the_active_language():
    template = Template(
        "{% load dates %}{{ m|long_date }}|{{ m|short_date }}|{{ m|short_day }}|{{ m|long_day }}|"
        "{{ y|fiscal_year_label }}|{{ m|iso_datetime }}"
    )
    context = Context({"m": MOMENT, "y": 2026})
    with translation.override("ja"):
        assert template.render(context) == (
            "2026年12月1日（火）9:05|2026/12/01 9:05|2026/12/01|2026年12月1日（火）|2026年度（令和8年度）|2026-12-01T09:05+09:00"
        )
    with translation.override("en"):
        assert template.render(context) == (
            "Tue 1 Dec 2026 09:05|1 Dec 2026 09:05|1 Dec 2026|Tue 1 Dec 2026|FY2026 (Reiwa 8)|2026-12-01T09:05+09:00"
        )


def test_djangos_own_formats_follow_the_same_rule():
    """{{ value }} and |date without a format (admin, forms) agree with core/dates."""
    template = Template('{{ d }}|{{ d|date:"SHORT_DATE_FORMAT" }}')
    with translation.override("ja"):
        assert template.render(Context({"d": DAY})) == "2026年12月1日|2026/12/01"
    with translation.override("en"):
        assert template.render(Context({"d": DAY})) == "1 Dec 2026|1 Dec 2026"
