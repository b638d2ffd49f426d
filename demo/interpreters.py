"""Synthetic interpreter roster and bookings for the demo (never real people).

* bilingual counsellors at the hub desk for English, Chinese, Vietnamese and
  Portuguese (weekly duty hours);
* a contracted video interpretation service for a dozen languages, with
  service hours on business days and a per-minute rate;
* on-site interpreters for Nepali, Tagalog (Filipino) and Indonesian, one of
  them on leave next week;
* bookings over the past four weeks and the coming three, in every state
  (依頼中, 確定, 実施済 with minutes and cost, 取消 with a reason, 不実施),
  made through the interpreters services so that the same rules hold
  (a clash is skipped, never forced).

`seed_demo_interpreters` is idempotent: the roster is matched by name, and
bookings are added only when the consortium has none yet.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from consult.models import Case, Language
from interpreters import services
from interpreters.models import Booking, Interpreter, InterpreterLanguage, Modality, WeeklySlot
from interpreters.selectors import is_business_day
from municipalities.models import Consortium, Desk

MON_FRI = range(5)
OFFICE = ("08:30", "17:15")

# name, kind, {language: level}, modalities, rate/min, weekly hours [(weekdays, from, until)], business days only
ROSTER = [
    (
        "山本 エミリー",
        "counsellor",
        {"en": 3, "fil": 1},
        ["onsite", "phone", "three_way"],
        "0",
        [(MON_FRI, *OFFICE)],
        True,
    ),
    (
        "王 芳",
        "counsellor",
        {"zh-Hans": 3, "zh-Hant": 2},
        ["onsite", "phone", "three_way"],
        "0",
        [((0, 1, 3), *OFFICE)],
        True,
    ),
    (
        "グエン・ティ・マイ",
        "counsellor",
        {"vi": 3},
        ["onsite", "phone", "three_way"],
        "0",
        [((0, 2, 4), *OFFICE)],
        True,
    ),
    (
        "サントス・ルシア",
        "counsellor",
        {"pt": 3, "es": 2},
        ["onsite", "phone", "three_way"],
        "0",
        [((1, 2, 3), *OFFICE)],
        True,
    ),
    (
        "多言語ビデオ通訳センター（デモ）",
        "remote_service",
        dict.fromkeys(
            ("en", "zh-Hans", "zh-Hant", "ko", "vi", "ne", "id", "fil", "th", "pt", "es", "my", "km", "mn"), 3
        ),
        ["video", "phone", "three_way"],
        "110",
        [(MON_FRI, "08:30", "17:30")],
        True,
    ),
    (
        "タパ・ビカシュ",
        "interpreter",
        {"ne": 3, "hi": 2},
        ["onsite", "phone"],
        "55",
        [((0, 1, 2, 3, 4), "09:00", "17:00")],
        True,
    ),
    (
        "レイエス・アナ",
        "interpreter",
        {"fil": 3, "en": 2},
        ["onsite", "phone", "video"],
        "50",
        [((1, 3), "09:00", "16:00")],
        True,
    ),
    (
        "プトリ・デウィ",
        "interpreter",
        {"id": 3, "ms": 2},
        ["onsite", "phone"],
        "50",
        [((0, 2, 4), "10:00", "16:00")],
        True,
    ),
]

CANCEL_REASONS = [
    "相談者の都合により日程変更",
    "相談者から来所できないと連絡",
    "担当課の予定変更",
    "体調不良のため延期",
]
PLACES = ["本庁舎1階 相談窓口", "市民課窓口（同行）", "保健センター", "ハローワーク倉敷中央", "小学校（就学相談）"]


@dataclass
class SeedResult:
    interpreters_added: int = 0
    bookings_added: int = 0
    skipped_clashes: int = 0


def _time(text: str) -> time:
    return time.fromisoformat(text)


def seed_roster(*, consortium: Consortium, today: date) -> tuple[list[Interpreter], int]:
    hub_desk = Desk.objects.filter(municipality=consortium.hub_municipality, is_hub=True).first()
    languages = {lang.code: lang for lang in Language.objects.all()}
    added = 0
    roster = []
    for name, kind, spoken, modalities, rate, hours, business_only in ROSTER:
        interpreter, created = Interpreter.objects.get_or_create(
            consortium=consortium,
            name=name,
            defaults={
                "kind": kind,
                "modalities": modalities,
                "rate_per_minute": Decimal(rate),
                "business_days_only": business_only,
                "home_desk": hub_desk if kind == "counsellor" else None,
                "contract_from": date(today.year if today.month >= 4 else today.year - 1, 4, 1)
                if kind != "counsellor"
                else None,
                "contract_to": date(today.year + 1 if today.month >= 4 else today.year, 3, 31)
                if kind != "counsellor"
                else None,
                "notes": "デモ用の架空の通訳者です。",
            },
        )
        roster.append(interpreter)
        if not created:
            continue
        added += 1
        InterpreterLanguage.objects.bulk_create(
            [
                InterpreterLanguage(interpreter=interpreter, language=languages[code], level=level)
                for code, level in spoken.items()
                if code in languages
            ]
        )
        WeeklySlot.objects.bulk_create(
            [
                WeeklySlot(interpreter=interpreter, weekday=day, starts=_time(start), ends=_time(end))
                for days, start, end in hours
                for day in days
            ]
        )
    return roster, added


def _business_days(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if is_business_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _advance(booking: Booking, *, interpreter: Interpreter, by, now, roll: float, rng: random.Random) -> None:
    """Take a requested booking to a plausible state: coming ones stay
    requested (30 %), are confirmed, or cancelled; past ones are completed
    with minutes, cancelled or not carried out."""
    coming = booking.starts_at > now
    if coming and roll < 0.3:
        return
    services.booking_confirm(booking=booking, interpreter=interpreter, by=by)
    if coming:
        if roll > 0.92:
            services.booking_cancel(booking=booking, reason=rng.choice(CANCEL_REASONS), by=by)
    elif roll < 0.08:
        services.booking_no_show(booking=booking, by=by)
    elif roll < 0.16:
        services.booking_cancel(booking=booking, reason=rng.choice(CANCEL_REASONS), by=by)
    else:
        planned = int((booking.ends_at - booking.starts_at).total_seconds() // 60)
        services.booking_complete(booking=booking, actual_minutes=max(10, planned + rng.randint(-15, 10)), by=by)


def seed_bookings(*, consortium: Consortium, roster: list[Interpreter], by, today: date, seed: int) -> SeedResult:
    """About three bookings per business day over seven weeks."""
    result = SeedResult()
    rng = random.Random(seed)
    desks = list(Desk.objects.filter(municipality__consortium=consortium, active=True).order_by("code"))
    hub_desks = [d for d in desks if d.is_hub] or desks
    cases = list(
        Case.objects.filter(handling_desk__in=desks).select_related("handling_desk").order_by("-opened_at")[:200]
    )
    tz = timezone.get_current_timezone()
    now = timezone.now()
    by_language: dict[str, list[Interpreter]] = {}
    for interpreter in roster:
        for row in interpreter.languages.select_related("language"):
            by_language.setdefault(row.language.code, []).append(interpreter)
    absent = next((i for i in roster if i.name == "タパ・ビカシュ"), None)
    if absent is not None:
        leave_day = next(d for d in _business_days(today + timedelta(days=7), today + timedelta(days=14)))
        services.absence_add(
            interpreter=absent,
            kind="leave",
            starts_at=datetime.combine(leave_day, time(0), tzinfo=tz),
            ends_at=datetime.combine(leave_day + timedelta(days=1), time(0), tzinfo=tz),
            note="年次休暇",
            by=by,
        )
    languages = {lang.code: lang for lang in Language.objects.filter(code__in=by_language)}
    weights = {"vi": 6, "zh-Hans": 4, "pt": 3, "en": 3, "ne": 3, "fil": 2, "id": 2, "ko": 1, "th": 1, "my": 1}
    codes = [c for c in weights if c in by_language]
    for day in _business_days(today - timedelta(days=28), today + timedelta(days=21)):
        for _ in range(rng.randint(2, 4)):
            code = rng.choices(codes, weights=[weights[c] for c in codes])[0]
            interpreter = rng.choice(by_language[code])
            modality = rng.choice(
                [m for m in interpreter.modalities if m != Modality.THREE_WAY] or interpreter.modalities
            )
            start = datetime.combine(day, time(rng.choice([9, 10, 11, 13, 14, 15]), rng.choice([0, 30])), tzinfo=tz)
            ends = start + timedelta(minutes=rng.choice([30, 45, 60, 90]))
            case = rng.choice(cases) if cases and rng.random() < 0.8 else None
            desk = case.handling_desk if case else rng.choice(hub_desks)
            try:
                with transaction.atomic():
                    booking = services.booking_request(
                        desk=desk,
                        case=case,
                        language=languages[code],
                        modality=modality,
                        starts_at=start,
                        ends_at=ends,
                        place=rng.choice(PLACES) if modality == Modality.ONSITE else "",
                        by=by,
                    )
                    _advance(booking, interpreter=interpreter, by=by, now=now, roll=rng.random(), rng=rng)
            except (services.BookingClash, ValidationError):
                # Already booked, on leave, outside the contract…: skipped, as a coordinator would.
                result.skipped_clashes += 1
                continue
            result.bookings_added += 1
    return result


def seed_demo_interpreters(*, consortium: Consortium, by, seed: int = 2026, today: date | None = None) -> SeedResult:
    """The demo roster and, when the consortium has no booking yet, its bookings."""
    today = today or timezone.localdate()
    with transaction.atomic():
        roster, added = seed_roster(consortium=consortium, today=today)
    result = SeedResult(interpreters_added=added)
    if not Booking.objects.filter(desk__municipality__consortium=consortium).exists():
        bookings = seed_bookings(consortium=consortium, roster=roster, by=by, today=today, seed=seed)
        result.bookings_added, result.skipped_clashes = bookings.bookings_added, bookings.skipped_clashes
    return result
