"""Dates and times on the documents, in the reader's language (CLDR through
Babel): always the Western calendar — never 和暦 for a foreign reader, and
for the Japanese column too, so both columns show the same year."""

from __future__ import annotations

from datetime import date, time

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date, format_time, get_day_names

# BCP 47 codes of the language table → CLDR locales where they differ.
_LOCALES = {
    "ja-x-easy": "ja",
    "zh-Hans": "zh_Hans",
    "zh-Hant": "zh_Hant",
    # Most Portuguese speakers in Japan are Brazilian.
    "pt": "pt_BR",
}


def babel_locale(code: str) -> str:
    name = _LOCALES.get(code, code.replace("-", "_"))
    try:
        Locale.parse(name)
    except (UnknownLocaleError, ValueError):
        return "en"
    return name


def long_date(day: date, code: str) -> str:
    locale = babel_locale(code)
    if locale == "ja":
        return format_date(day, "y年M月d日（EEE）", locale="ja")
    return format_date(day, "full", locale=locale)


def short_time(at: time, code: str) -> str:
    return format_time(at, "short", locale=babel_locale(code))


def weekday_span(weekdays: list[int], code: str) -> str:
    """[0, 1, 2, 3, 4] → 月曜日〜金曜日 / Monday – Friday; others listed."""
    locale = babel_locale(code)
    names = get_day_names("wide", locale=locale)
    days = sorted(set(weekdays))
    if not days:
        return ""
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        separator = "〜" if locale == "ja" else " – "
        return f"{names[days[0]]}{separator}{names[days[-1]]}"
    return ("、" if locale == "ja" else ", ").join(names[d] for d in days)


def opening_hours_text(hours, code: str) -> str:
    span = weekday_span(hours.weekdays, code)
    separator = "〜" if babel_locale(code) == "ja" else "–"
    return f"{span} {short_time(hours.opens_at, code)}{separator}{short_time(hours.closes_at, code)}".strip()
