"""Interpreter bookings (通訳手配, DESIGN §5).

No interpreter is ever double-booked: the database refuses a second
confirmed (or completed) booking of the same person whose period, widened
by the travel buffer of an on-site job, overlaps another one — an exclusion
constraint on a time range (btree_gist), so two coordinators confirming at
the same moment cannot both succeed.  Remote services take many calls at
once and are not constrained.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.db import models
from django.db.models import Func
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from municipalities.roles import Capability
from municipalities.visibility import visible_desks_q

from .roster import Level, Modality

# Statuses that hold the interpreter's time.
HOLDING_STATUSES = ("confirmed", "completed")
MAX_LENGTH = timedelta(days=1)


@deconstructible(path="interpreters.models.bookings.BlockedPeriod")
class BlockedPeriod(Func):
    """tstzrange(starts - buffer, ends + buffer, '[)') from three columns.

    An index expression must be IMMUTABLE, and timestamptz ± interval is
    only STABLE (it depends on the session's time zone for day arithmetic);
    the arithmetic is done in UTC wall time instead (timezone(text, …) and
    make_interval are IMMUTABLE), which for minutes is the same thing."""

    output_field = DateTimeRangeField()

    def __init__(self, starts, ends, buffer_minutes, **extra):
        super().__init__(starts, ends, buffer_minutes, **extra)

    def as_sql(self, compiler, connection, **extra_context):
        starts, ends, buffer = (compiler.compile(e) for e in self.get_source_expressions())
        sql = (
            f"tstzrange(timezone('UTC', timezone('UTC', {starts[0]}) - make_interval(mins => {buffer[0]})), "
            f"timezone('UTC', timezone('UTC', {ends[0]}) + make_interval(mins => {buffer[0]})), '[)')"
        )
        return sql, (*starts[1], *ends[1], *buffer[1], *buffer[1])


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("booking status", "requested")
    CONFIRMED = "confirmed", pgettext_lazy("booking status", "confirmed")
    COMPLETED = "completed", pgettext_lazy("booking status", "completed")
    CANCELLED = "cancelled", pgettext_lazy("booking status", "cancelled")
    NO_SHOW = "no_show", pgettext_lazy("booking status", "no-show")


class BookingQuerySet(models.QuerySet):
    def visible_to(self, user) -> BookingQuerySet:
        """A booking of a case is visible exactly when its case is (a partner
        clerk sees the bookings of the cases they may see); a counter booking
        without a case, when its desk is."""
        from consult.access import visible_cases  # the one answer, with forwarding's grants

        return self.filter(
            models.Q(case__isnull=True, **{"desk_id__in": _visible_desk_subquery(user)})
            | models.Q(case__in=visible_cases(user).values("pk"))
        )

    def holding(self) -> BookingQuerySet:
        return self.filter(status__in=HOLDING_STATUSES, interpreter__isnull=False)

    def overlapping(self, starts_at, ends_at) -> BookingQuerySet:
        """Bookings overlapping [starts_at, ends_at): both ends of starts_at
        bounded (no booking is longer than MAX_LENGTH) so an index on
        (…, starts_at) is scanned over the window only."""
        return self.filter(starts_at__lt=ends_at, starts_at__gt=starts_at - MAX_LENGTH, ends_at__gt=starts_at)


def _visible_desk_subquery(user):
    from municipalities.models import Desk

    return Desk.objects.filter(visible_desks_q(user, capability=Capability.VIEW_CASES)).values("pk")


class Booking(models.Model):
    """An interpreter booking for a consultation, a planned appointment of a
    case, or a counter (desk) without a case yet."""

    desk = models.ForeignKey(
        "municipalities.Desk", verbose_name=_("desk"), on_delete=models.PROTECT, related_name="interpreter_bookings"
    )
    case = models.ForeignKey(
        "consult.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interpreter_bookings",
    )
    consultation = models.ForeignKey(
        "consult.Consultation",
        verbose_name=_("consultation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interpreter_bookings",
    )
    language = models.ForeignKey(
        "consult.Language", verbose_name=_("language"), on_delete=models.PROTECT, related_name="+"
    )
    min_level = models.PositiveSmallIntegerField(_("level needed"), choices=Level.choices, default=Level.CONSULTATION)
    modality = models.CharField(_("modality"), max_length=12, choices=Modality.choices)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    interpreter = models.ForeignKey(
        "interpreters.Interpreter",
        verbose_name=_("interpreter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bookings",
    )
    # Repeats Interpreter.is_remote_service under a composite foreign key
    # (migration 0001), so the exclusion constraint can leave services out
    # without trusting the application to say which rows are services.
    interpreter_is_remote = models.BooleanField(default=False, editable=False)
    travel_buffer_minutes = models.PositiveSmallIntegerField(
        _("travel buffer (minutes)"),
        default=0,
        help_text=_("Kept free before and after an on-site job for travel."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.REQUESTED
    )
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    actual_minutes = models.PositiveSmallIntegerField(_("minutes interpreted"), null=True, blank=True)
    rate_per_minute = models.DecimalField(
        _("rate per minute (yen)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    cost = models.DecimalField(_("cost (yen)"), max_digits=12, decimal_places=2, null=True, blank=True)
    # Cost share (DESIGN §7): the municipality the consultation is counted
    # for — the client's residence then — or "outside the area".
    attributed_municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("attributed to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    attributed_outside_area = models.BooleanField(_("outside the area"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("completed or cancelled"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("interpreter booking")
        verbose_name_plural = _("interpreter bookings")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["desk", "starts_at"], name="booking_desk_start_idx"),
            models.Index(fields=["interpreter", "starts_at"], name="booking_interpreter_start_idx"),
            # Who is busy in a window (suggestions, "who can help now"): people's holding bookings only.
            models.Index(
                fields=["interpreter", "starts_at"],
                condition=models.Q(status__in=HOLDING_STATUSES, interpreter_is_remote=False),
                name="booking_holding_idx",
            ),
            models.Index(fields=["case", "starts_at"], name="booking_case_idx"),
            models.Index(fields=["attributed_municipality", "closed_at"], name="booking_attribution_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(starts_at__lt=models.F("ends_at")), name="booking_ordered"),
            # A job is at most a day long, so "overlaps [lo, hi)" can be asked
            # as starts_at in (lo − 1 day, hi): a bounded index range scan.
            models.CheckConstraint(
                condition=models.Q(ends_at__lte=models.F("starts_at") + MAX_LENGTH), name="booking_at_most_one_day"
            ),
            models.CheckConstraint(
                condition=models.Q(modality="onsite") | models.Q(travel_buffer_minutes=0),
                name="booking_buffer_only_onsite",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["confirmed", "completed", "no_show"])
                | models.Q(interpreter__isnull=False),
                name="booking_held_has_interpreter",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="completed")
                | models.Q(actual_minutes__isnull=False, cost__isnull=False, rate_per_minute__isnull=False),
                name="booking_completed_has_minutes_and_cost",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="cancelled") | ~models.Q(cancel_reason=""),
                name="booking_cancelled_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(actual_minutes__isnull=True) | models.Q(actual_minutes__lte=1440),
                name="booking_minutes_max_one_day",
            ),
            ExclusionConstraint(
                name="booking_no_double_booking",
                index_type="gist",
                expressions=[
                    ("interpreter", RangeOperators.EQUAL),
                    (BlockedPeriod("starts_at", "ends_at", "travel_buffer_minutes"), RangeOperators.OVERLAPS),
                ],
                condition=models.Q(status__in=HOLDING_STATUSES, interpreter__isnull=False, interpreter_is_remote=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.starts_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        self.interpreter_is_remote = bool(self.interpreter_id) and self.interpreter.is_remote_service
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "interpreter_is_remote"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("interpreters:booking_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in (BookingStatus.REQUESTED, BookingStatus.CONFIRMED)
