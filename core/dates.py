"""One date and time format per language (issue 9, §5).

Japanese:  2026年12月1日（火）9:05  (long: page headings, facts, timelines)
           2026/12/01 9:05          (short: table cells)
English:   Tue 1 Dec 2026 09:05     (long)
           1 Dec 2026 09:05         (short)
Fiscal years: 2026年度（令和8年度） / FY2026 (Reiwa 8), from core/fiscal.py.

Times are shown in Asia/Tokyo (settings.TIME_ZONE).  Templates use the
filters in core/templatetags/dates.py; Python code (exports, messages)
calls these functions.  The month and weekday names are fixed here rather
than taken from the C library's locale, which differs between machines.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone, translation

from core.fiscal import wareki_fiscal_label

_WEEKDAYS_JA = "月火水木金土日"
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _language(language: str | None) -> str:
    code = (language or translation.get_language() or "ja").split("-")[0]
    return "en" if code == "en" else "ja"


def _split(value: date | datetime) -> tuple[date, datetime | None]:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date(), value
    return value, None


def format_time(value: datetime, *, language: str | None = None) -> str:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    if _language(language) == "ja":
        return f"{value.hour}:{value.minute:02d}"
    return f"{value.hour:02d}:{value.minute:02d}"


def format_long(value: date | datetime | None, *, language: str | None = None) -> str:
    """2026年12月1日（火）9:05 — a date alone has no time."""
    if value is None or value == "":
        return ""
    day, moment = _split(value)
    if _language(language) == "ja":
        text = f"{day.year}年{day.month}月{day.day}日（{_WEEKDAYS_JA[day.weekday()]}）"
        return text + format_time(moment, language="ja") if moment else text
    text = f"{_WEEKDAYS_EN[day.weekday()]} {day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    return f"{text} {format_time(moment, language='en')}" if moment else text


def format_short(value: date | datetime | None, *, language: str | None = None) -> str:
    """2026/12/01 9:05 in a table cell; 1 Dec 2026 09:05 in English."""
    if value is None or value == "":
        return ""
    day, moment = _split(value)
    if _language(language) == "ja":
        text = f"{day.year}/{day.month:02d}/{day.day:02d}"
        return f"{text} {format_time(moment, language='ja')}" if moment else text
    text = f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    return f"{text} {format_time(moment, language='en')}" if moment else text


def format_fiscal_year(year: int | None, *, language: str | None = None) -> str:
    """2026年度（令和8年度） / FY2026 (Reiwa 8) — the glossary's form."""
    if year is None or year == "":
        return ""
    year = int(year)
    if _language(language) == "ja":
        return f"{year}年度（{wareki_fiscal_label(year, language='ja')}）"
    return wareki_fiscal_label(year, language="en")
