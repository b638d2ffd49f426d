"""Japanese fiscal years (年度, April–March) and their 和暦 labels."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

# (first day of the era, name in kanji, romanised name)
_ERAS = [(date(2019, 5, 1), "令和", "Reiwa"), (date(1989, 1, 8), "平成", "Heisei")]


def fiscal_year(day: date | datetime | None = None) -> int:
    """FY2026 runs from 2026-04-01 to 2027-03-31."""
    if day is None:
        day = timezone.localdate()
    elif isinstance(day, datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    return date(year, 4, 1), date(year + 1, 3, 31)


def wareki_fiscal_label(year: int, *, language: str = "ja") -> str:
    """令和8年度 for FY2026; 'FY2026 (Reiwa 8)' in English.  Year 1 is 元年."""
    start = date(year, 4, 1)
    for era_start, kanji, romaji in _ERAS:
        # A fiscal year is named after the era in force for most of it
        # (April 2019 – March 2020 is 令和元年度).
        if start >= era_start or era_start.year == year:
            number = year - era_start.year + 1
            if language == "ja":
                return f"{kanji}{'元' if number == 1 else number}年度"
            return f"FY{year} ({romaji} {number})"
    return f"{year}年度" if language == "ja" else f"FY{year}"
