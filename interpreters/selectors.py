"""Reads of the interpreters app: who is free (suggestions, "who can help
now"), the roster, calendars.

Suggestions and "who can help now" share one loader (`_RosterWindow`):
five small queries — the interpreters of a consortium who speak the
language, their weekly hours, absences, holding bookings and the client's
exclusions in the time window — then everything is decided in Python for
the few dozen people concerned.  That keeps both under a few milliseconds
with hundreds of interpreters and 100,000 bookings (bench_interpreters).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consult.models import Language
from core.calendar import is_business_day
from municipalities.models import Desk
from municipalities.visibility import visible_consortium_ids

from .models import (
    AvailabilityException,
    Booking,
    Interpreter,
    InterpreterExclusion,
    InterpreterLanguage,
    Level,
    Modality,
    WeeklySlot,
)
from .models.bookings import HOLDING_STATUSES


def _buffer_for(modality: str) -> int:
    if modality != Modality.ONSITE:
        return 0
    return int(getattr(settings, "INTERPRETER_TRAVEL_BUFFER_MINUTES", 30))


def _hm(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _when(starts_at: datetime, ends_at: datetime) -> str:
    local = timezone.localtime(starts_at)
    return f"{date_format(local, 'MONTH_DAY_FORMAT')} {_hm(starts_at)}–{_hm(ends_at)}"


def describe_clash(clash: Booking | None, *, interpreter: Interpreter, user, visible: bool | None = None) -> str:
    """Who, when, and the case only if `user` may see it ("X is already
    booked 12月3日 10:00–11:00 for case KRS-2026-00012"); `visible` when the
    caller already knows."""
    if clash is None:
        return _("%(name)s already holds a booking at that time.") % {"name": interpreter}
    if visible is None:
        visible = Booking.objects.visible_to(user).filter(pk=clash.pk).exists()
    if clash.case_id and visible:
        where = _("for case %(reference)s") % {"reference": clash.case.reference}
    elif clash.case_id:
        where = _("for a case at a desk you cannot see")
    elif visible:
        where = _("at %(desk)s") % {"desk": clash.desk}
    else:
        where = _("at a desk you cannot see")
    return _("%(name)s is already booked %(when)s %(where)s.") % {
        "name": interpreter,
        "when": _when(clash.starts_at, clash.ends_at),
        "where": where,
    }


@dataclass
class Candidate:
    interpreter: Interpreter
    level: int
    reasons: list[str] = field(default_factory=list)  # why offered / why not
    clash: Booking | None = None
    load: int = 0

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)


@dataclass
class Suggestions:
    offered: list[Candidate]
    not_offered: list[Candidate]
    others: int  # active interpreters of the roster who do not speak the language


_LAST_MINUTE = time(23, 59)


def _to_midnight(slot) -> bool:
    """A slot ending at 23:59 or later is read as "until midnight"."""
    return slot.ends >= _LAST_MINUTE


class _RosterWindow:
    """Everything needed to decide who is free between `lo` and `hi`."""

    def __init__(self, *, consortium_ids, language_id: int, lo: datetime, hi: datetime, client_id=None):
        self.rows = list(
            InterpreterLanguage.objects.filter(
                language_id=language_id,
                interpreter__consortium_id__in=consortium_ids,
                interpreter__active=True,
            )
            .select_related("interpreter")
            .order_by("interpreter__name", "interpreter_id")
        )
        ids = [row.interpreter_id for row in self.rows]
        self.slots: dict[int, list[WeeklySlot]] = defaultdict(list)
        self.absences: dict[int, list[AvailabilityException]] = defaultdict(list)
        self.bookings: dict[int, list[Booking]] = defaultdict(list)
        self.excluded: set[int] = set()
        if not ids:
            return
        for slot in WeeklySlot.objects.filter(interpreter_id__in=ids):
            self.slots[slot.interpreter_id].append(slot)
        for absence in AvailabilityException.objects.filter(interpreter_id__in=ids, starts_at__lt=hi, ends_at__gt=lo):
            self.absences[absence.interpreter_id].append(absence)
        slack = timedelta(minutes=2 * _buffer_for(Modality.ONSITE))
        for booking in (
            Booking.objects.filter(interpreter_id__in=ids, interpreter_is_remote=False, status__in=HOLDING_STATUSES)
            .overlapping(lo - slack, hi + slack)
            .select_related("case", "desk")
            .only(
                "id",
                "interpreter_id",
                "starts_at",
                "ends_at",
                "travel_buffer_minutes",
                "case__id",
                "case__reference",
                "desk__id",
                "desk__name",
                "desk__name_ja",
                "desk__name_en",
            )
        ):
            self.bookings[booking.interpreter_id].append(booking)
        if client_id:
            self.excluded = set(
                InterpreterExclusion.objects.filter(client_id=client_id, interpreter_id__in=ids).values_list(
                    "interpreter_id", flat=True
                )
            )

    # --- the rules, one reason each ---------------------------------------------
    def hours_reason(self, interpreter: Interpreter, starts_at: datetime, ends_at: datetime) -> str | None:
        start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
        remote = interpreter.is_remote_service
        if interpreter.business_days_only and not is_business_day(start.date()):
            return _("no service on that day (not a business day)") if remote else _("not working that day")
        last = end - timedelta(microseconds=1)
        slots = [s for s in self.slots.get(interpreter.pk, []) if s.weekday == start.weekday()]
        if self._within_hours(interpreter, start, last):
            return None
        hours = ", ".join(f"{s.starts:%H:%M}–{s.ends:%H:%M}" for s in slots)
        if remote:
            return (
                _("outside its service hours (%(hours)s)") % {"hours": hours}
                if hours
                else _("no service hours that day")
            )
        return _("outside their hours (%(hours)s)") % {"hours": hours} if hours else _("not working that day")

    def _within_hours(self, interpreter: Interpreter, start: datetime, last: datetime) -> bool:
        """From `start` to `last` (local) inside the weekly hours, day by day.
        A slot that ends at 23:59 or later runs to midnight, so a session
        that crosses midnight (a round-the-clock phone service at 23:40)
        fits when the next day's hours begin at 00:00."""
        slots = self.slots.get(interpreter.pk, [])
        day, since = start.date(), start.time()
        while True:
            todays = [s for s in slots if s.weekday == day.weekday()]
            if day == last.date():
                return any(s.starts <= since and (last.time() < s.ends or _to_midnight(s)) for s in todays)
            if not any(s.starts <= since and _to_midnight(s) for s in todays):
                return False
            day, since = day + timedelta(days=1), time.min
            if interpreter.business_days_only and not is_business_day(day):
                return False

    def absence_reason(self, interpreter_id: int, starts_at: datetime, ends_at: datetime) -> str | None:
        for absence in self.absences.get(interpreter_id, []):
            if absence.starts_at < ends_at and absence.ends_at > starts_at:
                return _("%(kind)s %(when)s") % {
                    "kind": absence.get_kind_display(),
                    "when": _when(absence.starts_at, absence.ends_at),
                }
        return None

    def clash(self, interpreter: Interpreter, starts_at, ends_at, buffer: int, exclude_id=None) -> Booking | None:
        if interpreter.is_remote_service:
            return None
        lo, hi = starts_at - timedelta(minutes=buffer), ends_at + timedelta(minutes=buffer)
        for booking in self.bookings.get(interpreter.pk, []):
            if booking.pk == exclude_id:
                continue
            b = timedelta(minutes=booking.travel_buffer_minutes)
            if booking.starts_at - b < hi and booking.ends_at + b > lo:
                return booking
        return None

    def load_on(self, interpreter_id: int, day: date, exclude_id=None) -> int:
        return sum(
            1
            for b in self.bookings.get(interpreter_id, [])
            if b.pk != exclude_id and timezone.localtime(b.starts_at).date() == day
        )

    def evaluate(
        self,
        row: InterpreterLanguage,
        *,
        modalities,
        min_level: int,
        starts_at: datetime,
        ends_at: datetime,
        buffer: int,
        user,
        exclude_booking_id=None,
    ) -> Candidate:
        interpreter = row.interpreter
        candidate = Candidate(interpreter=interpreter, level=row.level)
        reasons = candidate.reasons
        if interpreter.pk in self.excluded:
            reasons.append(_("the client asked not to be served by this interpreter"))
        if row.level < min_level:
            reasons.append(_("level: %(level)s") % {"level": candidate.level_label})
        offered_modalities = [m for m in modalities if m in interpreter.modalities]
        if not offered_modalities:
            labels = dict(Modality.choices)
            reasons.append(
                _("does not offer %(modality)s") % {"modality": " / ".join(str(labels[m]) for m in modalities)}
            )
        if not interpreter.under_contract_on(timezone.localtime(starts_at).date()):
            reasons.append(_("not under contract on that day"))
        absence = self.absence_reason(interpreter.pk, starts_at, ends_at)
        if absence:
            reasons.append(absence)
        hours = self.hours_reason(interpreter, starts_at, ends_at)
        if hours:
            reasons.append(hours)
        clash = self.clash(interpreter, starts_at, ends_at, buffer, exclude_booking_id)
        if clash is not None:
            candidate.clash = clash
            reasons.append(_CLASH)  # worded by name_clashes(), once for all candidates
        candidate.load = self.load_on(interpreter.pk, timezone.localtime(starts_at).date(), exclude_booking_id)
        return candidate


_CLASH = "\u0000clash"


def name_clashes(candidates: list[Candidate], *, user) -> None:
    """Word the clash reasons, asking once which of the clashing bookings
    `user` may see (their case is named only then)."""
    clashing = [c for c in candidates if c.clash is not None]
    if not clashing:
        return
    visible = (
        set(Booking.objects.visible_to(user).filter(pk__in=[c.clash.pk for c in clashing]).values_list("pk", flat=True))
        if user is not None
        else set()
    )
    for candidate in clashing:
        text = describe_clash(
            candidate.clash, interpreter=candidate.interpreter, user=user, visible=candidate.clash.pk in visible
        )
        candidate.reasons = [text if reason == _CLASH else reason for reason in candidate.reasons]


def _yen(amount) -> str:
    """50.00 → "50", 45.50 → "45.5", 1200 → "1,200"."""
    text = f"{amount:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _why_offered(candidate: Candidate) -> list[str]:
    interpreter = candidate.interpreter
    why = [candidate.level_label]
    if interpreter.rate_per_minute:
        why.append(_("¥%(rate)s per minute") % {"rate": _yen(interpreter.rate_per_minute)})
    else:
        why.append(_("no charge (desk staff)"))
    if candidate.load:
        why.append(_("%(count)s other bookings that day") % {"count": candidate.load})
    else:
        why.append(_("no other booking that day"))
    return why


def _rank(candidate: Candidate) -> tuple:
    """Best first: no charge before charged, then cheaper, then the more
    skilled, then the less busy that day."""
    return (candidate.interpreter.rate_per_minute, -candidate.level, candidate.load, candidate.interpreter.name)


def suggestions(
    *,
    consortium_id: int,
    language: Language,
    modality: str,
    starts_at: datetime,
    ends_at: datetime,
    min_level: int = Level.CONSULTATION,
    client_id: int | None = None,
    exclude_booking_id: int | None = None,
    current_interpreter_id: int | None = None,
    user=None,
) -> Suggestions:
    """Who can take this job, best first, and why the others cannot."""
    day_start = timezone.localtime(starts_at).replace(hour=0, minute=0, second=0, microsecond=0)
    window = _RosterWindow(
        consortium_ids=[consortium_id],
        language_id=language.pk,
        lo=min(day_start, starts_at),
        hi=max(day_start + timedelta(days=1), ends_at),
        client_id=client_id,
    )
    buffer = _buffer_for(modality)
    offered, not_offered = [], []
    for row in window.rows:
        if row.interpreter_id == current_interpreter_id:
            continue  # already holds this booking
        candidate = window.evaluate(
            row,
            modalities=[modality],
            min_level=min_level,
            starts_at=starts_at,
            ends_at=ends_at,
            buffer=buffer,
            user=user,
            exclude_booking_id=exclude_booking_id,
        )
        if candidate.reasons:
            not_offered.append(candidate)
        else:
            candidate.reasons = _why_offered(candidate)
            offered.append(candidate)
    offered.sort(key=_rank)
    name_clashes(not_offered, user=user)
    speakers = {row.interpreter_id for row in window.rows}
    others = (
        Interpreter.objects.filter(consortium_id=consortium_id, active=True).exclude(pk__in=speakers).count()
        if speakers
        else Interpreter.objects.filter(consortium_id=consortium_id, active=True).count()
    )
    return Suggestions(offered=offered, not_offered=not_offered, others=others)


def booking_suggestions(booking: Booking, *, user) -> Suggestions:
    return suggestions(
        consortium_id=booking.desk.municipality.consortium_id,
        language=booking.language,
        modality=booking.modality,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        min_level=booking.min_level,
        client_id=booking.case.client_id if booking.case_id else None,
        exclude_booking_id=booking.pk,
        current_interpreter_id=booking.interpreter_id,
        user=user,
    )


# --- "who can help now" -------------------------------------------------------------
@dataclass(frozen=True)
class Means:
    code: str
    label: str
    modalities: tuple[str, ...]
    kinds: tuple[str, ...]
    minutes: int
    book_modality: str
    prefer_remote: bool = False


MEANS = (
    Means(
        "counsellor",
        gettext_lazy("Bilingual counsellor on duty"),
        (Modality.ONSITE,),
        (Interpreter.Kind.COUNSELLOR,),
        30,
        Modality.ONSITE,
    ),
    Means(
        "onsite",
        gettext_lazy("On-site interpreter free for the next hour"),
        (Modality.ONSITE,),
        (Interpreter.Kind.INTERPRETER,),
        60,
        Modality.ONSITE,
    ),
    Means(
        "video",
        gettext_lazy("Video interpretation"),
        (Modality.VIDEO,),
        (Interpreter.Kind.REMOTE_SERVICE, Interpreter.Kind.INTERPRETER),
        30,
        Modality.VIDEO,
        prefer_remote=True,
    ),
    Means(
        "phone",
        gettext_lazy("Phone interpretation"),
        (Modality.PHONE, Modality.THREE_WAY),
        (Interpreter.Kind.REMOTE_SERVICE, Interpreter.Kind.INTERPRETER),
        30,
        Modality.PHONE,
        prefer_remote=True,
    ),
)


@dataclass
class MeansAnswer:
    means: Means
    available: list[Candidate]
    starts_at: datetime
    ends_at: datetime


def who_can_help_now(*, user, language: Language, now: datetime | None = None, client_id=None) -> list[MeansAnswer]:
    """For `language`, right now: which means are available, each with the
    people or services who can take it (best first, at most 3)."""
    now = now or timezone.now()
    now = now.replace(second=0, microsecond=0)
    consortium_ids = sorted(visible_consortium_ids(user))
    longest = max(m.minutes for m in MEANS)
    window = _RosterWindow(
        consortium_ids=consortium_ids,
        language_id=language.pk,
        lo=now,
        hi=now + timedelta(minutes=longest),
        client_id=client_id,
    )
    answers = []
    for means in MEANS:
        ends = now + timedelta(minutes=means.minutes)
        available = []
        for row in window.rows:
            if row.interpreter.kind not in means.kinds:
                continue
            candidate = window.evaluate(
                row,
                modalities=means.modalities,
                min_level=Level.CONSULTATION,
                starts_at=now,
                ends_at=ends,
                buffer=0,
                user=None,
            )
            if not candidate.reasons:
                candidate.reasons = _why_offered(candidate)
                available.append(candidate)
        # A remote service inside its hours is the quickest way to a video
        # or phone interpreter; people who offer it follow.
        available.sort(key=lambda c: (means.prefer_remote and not c.interpreter.is_remote_service, *_rank(c)))
        answers.append(MeansAnswer(means=means, available=available[:3], starts_at=now, ends_at=ends))
    return answers


# --- calendars --------------------------------------------------------------------
@dataclass
class CalendarDay:
    day: date
    entries: list  # Booking and AvailabilityException, in time order
    is_business_day: bool


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def calendar_days(*, user, first: date, days: int, interpreter: Interpreter | None = None, desk: Desk | None = None):
    """Bookings (and, for an interpreter, absences) from `first` for `days`
    days.  Bookings the viewer may not see are shown as "busy" only."""
    tz = timezone.get_current_timezone()
    lo = datetime.combine(first, time(0), tzinfo=tz)
    hi = lo + timedelta(days=days)
    bookings = Booking.objects.overlapping(lo, hi).select_related("interpreter", "language", "case", "desk")
    if interpreter is not None:
        bookings = bookings.filter(interpreter=interpreter).exclude(status="cancelled")
    if desk is not None:
        bookings = bookings.filter(desk=desk)
    bookings = list(bookings.order_by("starts_at", "id"))
    visible = set(Booking.objects.visible_to(user).filter(pk__in=[b.pk for b in bookings]).values_list("pk", flat=True))
    for booking in bookings:
        booking.viewer_may_see = booking.pk in visible
        booking.is_absence = False
    if desk is not None:
        bookings = [b for b in bookings if b.viewer_may_see]
    absences = (
        list(AvailabilityException.objects.filter(interpreter=interpreter, starts_at__lt=hi, ends_at__gt=lo))
        if interpreter is not None
        else []
    )
    for absence in absences:
        absence.is_absence = True
    result = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        d_lo = datetime.combine(day, time(0), tzinfo=tz)
        d_hi = d_lo + timedelta(days=1)
        entries = [b for b in bookings if b.starts_at < d_hi and b.ends_at > d_lo]
        entries += [a for a in absences if a.starts_at < d_hi and a.ends_at > d_lo]
        entries.sort(key=lambda e: e.starts_at)
        result.append(CalendarDay(day=day, entries=entries, is_business_day=is_business_day(day)))
    return result
