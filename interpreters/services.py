"""Writes of the interpreters app (CONVENTIONS "services").

Every function validates, writes inside `transaction.atomic`, and records
the audit trail.  The database has the last word on double-booking: a
confirmation that would overlap another confirmed booking of the same
person fails on the exclusion constraint `booking_no_double_booking`, and
`booking_confirm` turns that into `BookingClash`, which names the clash.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consult.models import Case, Consultation, Language
from core.audit import audit_log
from municipalities.models import Desk

from .models import (
    AvailabilityException,
    Booking,
    BookingStatus,
    Interpreter,
    InterpreterExclusion,
    Modality,
)
from .models.bookings import HOLDING_STATUSES, BlockedPeriod

EXCLUSION_CONSTRAINT = "booking_no_double_booking"


def travel_buffer_minutes(modality: str) -> int:
    """Minutes kept free around an on-site job (settings.INTERPRETER_TRAVEL_BUFFER_MINUTES)."""
    if modality != Modality.ONSITE:
        return 0
    return int(getattr(settings, "INTERPRETER_TRAVEL_BUFFER_MINUTES", 30))


class BookingClash(Exception):
    """The interpreter already holds a booking that overlaps this one."""

    def __init__(self, *, booking: Booking, interpreter: Interpreter, clash: Booking | None):
        self.booking = booking
        self.interpreter = interpreter
        self.clash = clash
        super().__init__(f"booking {booking.pk}: interpreter {interpreter.pk} clashes with {clash and clash.pk}")


@dataclass(frozen=True)
class Attribution:
    municipality_id: int | None
    outside_area: bool


def clashing_bookings(*, interpreter_ids, starts_at: datetime, ends_at: datetime, buffer_minutes: int):
    """Holding bookings of these (non-remote) interpreters whose blocked
    period overlaps [starts_at − buffer, ends_at + buffer) — the same
    expression as the exclusion constraint."""
    from datetime import timedelta

    from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

    widened = DateTimeTZRange(
        starts_at - timedelta(minutes=buffer_minutes), ends_at + timedelta(minutes=buffer_minutes), "[)"
    )
    longest_buffer = max(buffer_minutes, int(getattr(settings, "INTERPRETER_TRAVEL_BUFFER_MINUTES", 30)), 0)
    slack = timedelta(minutes=longest_buffer + buffer_minutes)
    return (
        Booking.objects.filter(
            interpreter_id__in=interpreter_ids,
            interpreter_is_remote=False,
            status__in=HOLDING_STATUSES,
        )
        # A plain, bounded range on starts_at first (btree index), then the exact test.
        .overlapping(starts_at - slack, ends_at + slack)
        .alias(blocked=BlockedPeriod("starts_at", "ends_at", "travel_buffer_minutes"))
        .filter(blocked__overlap=widened)
    )


def _constraint_name(error: IntegrityError) -> str | None:
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


def _check_interpreter_fits(booking: Booking, interpreter: Interpreter, client_id: int | None) -> None:
    errors = []
    if not interpreter.active:
        errors.append(_("%(name)s is not active.") % {"name": interpreter})
    if interpreter.consortium_id != booking.desk.municipality.consortium_id:
        errors.append(_("%(name)s is not on this desk's roster.") % {"name": interpreter})
    day = timezone.localtime(booking.starts_at).date()
    if not interpreter.under_contract_on(day):
        errors.append(_("%(name)s is not under contract on that day.") % {"name": interpreter})
    if booking.modality not in interpreter.modalities:
        errors.append(
            _("%(name)s does not offer %(modality)s.")
            % {"name": interpreter, "modality": booking.get_modality_display()}
        )
    level = interpreter.languages.filter(language_id=booking.language_id).values_list("level", flat=True).first()
    if level is None:
        errors.append(_("%(name)s does not speak %(language)s.") % {"name": interpreter, "language": booking.language})
    elif level < booking.min_level:
        errors.append(
            _("%(name)s does not speak %(language)s at the level needed.")
            % {"name": interpreter, "language": booking.language}
        )
    if client_id and InterpreterExclusion.objects.filter(client_id=client_id, interpreter=interpreter).exists():
        errors.append(_("The client asked not to be served by %(name)s.") % {"name": interpreter})
    if AvailabilityException.objects.filter(
        interpreter=interpreter, starts_at__lt=booking.ends_at, ends_at__gt=booking.starts_at
    ).exists():
        errors.append(_("%(name)s is absent (leave or training) at that time.") % {"name": interpreter})
    if errors:
        raise ValidationError(errors)


def _booking_client_id(booking: Booking) -> int | None:
    return booking.case.client_id if booking.case_id else None


def booking_request(
    *,
    desk: Desk,
    language: Language,
    modality: str,
    starts_at: datetime,
    ends_at: datetime,
    by,
    case: Case | None = None,
    consultation: Consultation | None = None,
    place: str = "",
    min_level: int = 2,
    notes: str = "",
) -> Booking:
    """A new booking, requested (依頼中), with no interpreter yet."""
    if consultation is not None:
        case = consultation.case
    if case is not None:
        desk = case.handling_desk
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    with transaction.atomic():
        booking = Booking.objects.create(
            desk=desk,
            case=case,
            consultation=consultation,
            language=language,
            modality=modality,
            min_level=min_level,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place,
            notes=notes,
            travel_buffer_minutes=travel_buffer_minutes(modality),
            requested_by=by,
        )
        audit_log(
            actor=by, action="create", obj=booking, case=case, desk=desk, summary=f"interpreter booking {booking.pk}"
        )
    return booking


def booking_confirm(*, booking: Booking, interpreter: Interpreter, by) -> Booking:
    """Give the booking to `interpreter` (確定).  Raises ValidationError when
    the interpreter does not fit (language, level, modality, contract,
    absence, the client's exclusion) and BookingClash when they already hold
    an overlapping booking — decided by the database, so of two people
    confirming at the same moment exactly one succeeds."""
    with transaction.atomic():
        locked = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("desk__municipality", "case")
            .get(pk=booking.pk)
        )
        if locked.status not in (BookingStatus.REQUESTED, BookingStatus.CONFIRMED):
            raise ValidationError(_("Only a requested or confirmed booking can be given to an interpreter."))
        _check_interpreter_fits(locked, interpreter, _booking_client_id(locked))
        before = locked.interpreter_id
        locked.interpreter = interpreter
        locked.status = BookingStatus.CONFIRMED
        locked.confirmed_by = by
        locked.confirmed_at = timezone.now()
        locked.travel_buffer_minutes = travel_buffer_minutes(locked.modality)
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError as error:
            if _constraint_name(error) != EXCLUSION_CONSTRAINT:
                raise
            clash = (
                clashing_bookings(
                    interpreter_ids=[interpreter.pk],
                    starts_at=locked.starts_at,
                    ends_at=locked.ends_at,
                    buffer_minutes=locked.travel_buffer_minutes,
                )
                .exclude(pk=locked.pk)
                .select_related("case", "desk")
                .order_by("starts_at")
                .first()
            )
            raise BookingClash(booking=locked, interpreter=interpreter, clash=clash) from error
        audit_log(
            actor=by,
            action="update",
            obj=locked,
            case=locked.case,
            desk=locked.desk,
            summary=f"interpreter booking {locked.pk} confirmed",
            changes={"interpreter": [before, interpreter.pk], "status": ["requested", "confirmed"]},
        )
    return locked


def attribution_for(booking: Booking) -> Attribution:
    """The municipality the consultation is counted for (DESIGN §7): the
    client's residence municipality, "outside the area" when they live
    outside the consortium; for an anonymous client, the desk's municipality."""
    desk_municipality = booking.desk.municipality
    client = booking.case.client if booking.case_id and booking.case.client_id else None
    if client is None:
        return Attribution(desk_municipality.pk, False)
    residence = client.residence_municipality
    if client.lives_outside_area or (
        residence is not None and residence.consortium_id != desk_municipality.consortium_id
    ):
        return Attribution(residence.pk if residence else None, True)
    if residence is None:
        return Attribution(desk_municipality.pk, False)
    return Attribution(residence.pk, False)


def booking_complete(*, booking: Booking, actual_minutes: int, by) -> Booking:
    """実施済: the minutes actually interpreted, the cost at the interpreter's
    rate, and the municipality it is attributed to — stored as columns so the
    cost share adds them up in SQL."""
    if actual_minutes is None or actual_minutes < 1 or actual_minutes > 1440:
        raise ValidationError({"actual_minutes": _("Enter the minutes interpreted (1–1440).")})
    with transaction.atomic():
        # Not the interpreter in this query: a confirmation may change it while
        # this waits for the row lock, and after the wait PostgreSQL re-checks
        # the locked row against the rows already joined — the old interpreter
        # no longer matches and would come back as None.  Read after the lock,
        # it is the interpreter the booking has now.
        locked = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("desk__municipality", "case__client__residence_municipality")
            .get(pk=booking.pk)
        )
        if locked.status != BookingStatus.CONFIRMED:
            raise ValidationError(_("Only a confirmed booking can be completed."))
        rate = locked.interpreter.rate_per_minute
        attribution = attribution_for(locked)
        locked.status = BookingStatus.COMPLETED
        locked.actual_minutes = actual_minutes
        locked.rate_per_minute = rate
        locked.cost = (rate * Decimal(actual_minutes)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        locked.attributed_municipality_id = attribution.municipality_id
        locked.attributed_outside_area = attribution.outside_area
        locked.closed_at = timezone.now()
        locked.save()
        audit_log(
            actor=by,
            action="update",
            obj=locked,
            case=locked.case,
            desk=locked.desk,
            summary=f"interpreter booking {locked.pk} completed",
            changes={"status": ["confirmed", "completed"], "actual_minutes": [None, actual_minutes]},
        )
    return locked


def booking_cancel(*, booking: Booking, reason: str, by) -> Booking:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    return _booking_close(
        booking=booking,
        by=by,
        status=BookingStatus.CANCELLED,
        allowed=lambda locked: locked.is_open,
        refusal=_("Only a requested or confirmed booking can be cancelled."),
        summary="cancelled",
        cancel_reason=reason[:300],
    )


def booking_no_show(*, booking: Booking, by) -> Booking:
    """不実施: the confirmed booking did not take place."""
    return _booking_close(
        booking=booking,
        by=by,
        status=BookingStatus.NO_SHOW,
        allowed=lambda locked: locked.status == BookingStatus.CONFIRMED,
        refusal=_("Only a confirmed booking can be marked as not carried out."),
        summary="not carried out",
    )


def _booking_close(
    *, booking: Booking, by, status: str, allowed: Callable[[Booking], bool], refusal, summary: str, **fields
) -> Booking:
    """Close a booking that did not take place (取消 / 不実施): under a row
    lock, refuse unless `allowed(locked)`, set the status, `fields` and the
    closing time, and record the change in the audit trail."""
    with transaction.atomic():
        locked = Booking.objects.select_for_update(of=("self",)).select_related("desk", "case").get(pk=booking.pk)
        if not allowed(locked):
            raise ValidationError(refusal)
        before = locked.status
        locked.status = status
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.closed_at = timezone.now()
        locked.save()
        audit_log(
            actor=by,
            action="update",
            obj=locked,
            case=locked.case,
            desk=locked.desk,
            summary=f"interpreter booking {locked.pk} {summary}",
            changes={"status": [before, str(status)]},
        )
    return locked


# --- roster ---------------------------------------------------------------------
def interpreter_save(*, interpreter: Interpreter, by, formsets=(), created: bool = False) -> Interpreter:
    """Save an interpreter edited through the roster form and its formsets
    (languages, weekly hours) in one transaction."""
    with transaction.atomic():
        interpreter.save()
        for formset in formsets:
            formset.instance = interpreter
            formset.save()
        audit_log(
            actor=by,
            action="create" if created else "update",
            obj=interpreter,
            summary=f"interpreter {interpreter.pk}",
        )
    return interpreter


def absence_add(
    *, interpreter: Interpreter, kind: str, starts_at: datetime, ends_at: datetime, note: str, by
) -> AvailabilityException:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    with transaction.atomic():
        absence = AvailabilityException.objects.create(
            interpreter=interpreter, kind=kind, starts_at=starts_at, ends_at=ends_at, note=note, created_by=by
        )
        audit_log(actor=by, action="create", obj=absence, summary=f"absence of interpreter {interpreter.pk}")
    return absence


def exclusion_add(*, client, interpreter: Interpreter, note: str, by) -> InterpreterExclusion:
    """Record a client's "not this interpreter"; idempotent."""
    with transaction.atomic():
        exclusion, created = InterpreterExclusion.objects.get_or_create(
            client=client, interpreter=interpreter, defaults={"note": note, "created_by": by}
        )
        if created:
            audit_log(actor=by, action="create", obj=exclusion, summary=f"client excludes interpreter {interpreter.pk}")
    return exclusion
