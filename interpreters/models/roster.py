"""The roster (DESIGN §5): interpreters — people and remote services — with
their languages, modalities, weekly availability and exceptions, and the
clients who asked not to be served by one of them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from municipalities.roles import Capability
from municipalities.visibility import visible_consortium_ids


class Modality(models.TextChoices):
    ONSITE = "onsite", _("on-site")
    VIDEO = "video", _("video")
    PHONE = "phone", pgettext_lazy("modality", "phone")
    THREE_WAY = "three_way", _("three-way call")


class Level(models.IntegerChoices):
    CONVERSATION = 1, _("everyday conversation")
    CONSULTATION = 2, _("consultation level")
    SPECIALIST = 3, _("specialist (medical, legal)")


class InterpreterQuerySet(models.QuerySet):
    def visible_to(self, user, capability: str = Capability.VIEW_CASES) -> InterpreterQuerySet:
        """The rosters of the consortia whose desks `user` sees (a partner
        clerk books from the same roster as the hub)."""
        return self.filter(consortium_id__in=sorted(visible_consortium_ids(user, capability)))

    def active(self) -> InterpreterQuerySet:
        return self.filter(active=True)


class Interpreter(models.Model):
    """A person who interprets (a bilingual counsellor at a desk, a
    contracted interpreter) or a remote service (an operator with many
    interpreters, its service hours and a per-minute rate)."""

    class Kind(models.TextChoices):
        COUNSELLOR = "counsellor", _("bilingual counsellor")
        INTERPRETER = "interpreter", _("interpreter")
        REMOTE_SERVICE = "remote_service", _("remote interpretation service")

    consortium = models.ForeignKey(
        "municipalities.Consortium",
        verbose_name=_("consortium"),
        on_delete=models.PROTECT,
        related_name="interpreters",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # A remote service takes many calls at once; a person takes one.  Kept
    # as its own column (equal to kind == remote_service) because the
    # booking table repeats it under a composite foreign key, and the
    # no-double-booking constraint applies to people only (migration 0001).
    is_remote_service = models.BooleanField(_("remote service"), default=False, editable=False)
    name = models.CharField(_("name"), max_length=200)
    name_latin = models.CharField(_("name in Latin letters"), max_length=200, blank=True)
    modalities = ArrayField(
        models.CharField(max_length=12, choices=Modality.choices), verbose_name=_("modalities"), default=list
    )
    home_desk = models.ForeignKey(
        "municipalities.Desk",
        verbose_name=_("home base"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interpreters",
        help_text=_("The desk this person usually works from, if any."),
    )
    rate_per_minute = models.DecimalField(
        _("rate per minute (yen)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("Charged per minute interpreted; 0 for desk staff."),
    )
    business_days_only = models.BooleanField(
        _("business days only"),
        default=True,
        help_text=_("Weekly hours apply on business days only (not on holidays or the year-end closure)."),
    )
    contract_from = models.DateField(_("contract from"), null=True, blank=True)
    contract_to = models.DateField(_("contract until"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(
        _("e-mail"),
        blank=True,
        help_text=_("Booking reminders are sent here the business day before (none when empty)."),
    )
    email_language = models.CharField(
        _("language of e-mails"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="ja",
    )
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = InterpreterQuerySet.as_manager()

    class Meta:
        verbose_name = _("interpreter")
        verbose_name_plural = _("interpreters")
        ordering = ["kind", "name", "id"]
        indexes = [models.Index(fields=["consortium", "active", "kind"], name="interpreter_consortium_idx")]
        constraints = [
            # Target of the bookings' composite foreign key (id, is_remote_service).
            models.UniqueConstraint(fields=["id", "is_remote_service"], name="interpreter_id_remote_unique"),
            models.CheckConstraint(
                condition=models.Q(kind="remote_service", is_remote_service=True)
                | (~models.Q(kind="remote_service") & models.Q(is_remote_service=False)),
                name="interpreter_remote_flag_matches_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(contract_from__isnull=True)
                | models.Q(contract_to__isnull=True)
                | models.Q(contract_from__lte=models.F("contract_to")),
                name="interpreter_contract_range",
            ),
            models.CheckConstraint(condition=models.Q(rate_per_minute__gte=0), name="interpreter_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.is_remote_service = self.kind == self.Kind.REMOTE_SERVICE
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "is_remote_service"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("interpreters:interpreter_detail", args=[self.pk])

    def modality_labels(self) -> list[str]:
        labels = dict(Modality.choices)
        return [str(labels.get(m, m)) for m in self.modalities]

    def under_contract_on(self, day) -> bool:
        return (self.contract_from is None or self.contract_from <= day) and (
            self.contract_to is None or day <= self.contract_to
        )


class InterpreterLanguage(models.Model):
    interpreter = models.ForeignKey(Interpreter, on_delete=models.CASCADE, related_name="languages")
    language = models.ForeignKey(
        "consult.Language", verbose_name=_("language"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, default=Level.CONSULTATION)

    class Meta:
        verbose_name = _("language of an interpreter")
        verbose_name_plural = _("languages of interpreters")
        constraints = [
            models.UniqueConstraint(fields=["interpreter", "language"], name="interpreter_language_unique"),
        ]
        indexes = [models.Index(fields=["language", "level"], name="interpreter_lang_level_idx")]

    def __str__(self) -> str:
        return f"{self.language} ({self.get_level_display()})"


class WeeklySlot(models.Model):
    """When a person is available, or a service answers (its service hours),
    week after week, in Asia/Tokyo local time."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    interpreter = models.ForeignKey(Interpreter, on_delete=models.CASCADE, related_name="weekly_slots")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("weekly hours")
        verbose_name_plural = _("weekly hours")
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(condition=models.Q(starts__lt=models.F("ends")), name="weekly_slot_ordered"),
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="weekly_slot_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class AvailabilityException(models.Model):
    """A period in which the interpreter is not available (leave, training)."""

    class Kind(models.TextChoices):
        LEAVE = "leave", _("leave")
        TRAINING = "training", _("training")
        OTHER = "other", pgettext_lazy("absence", "other")

    interpreter = models.ForeignKey(Interpreter, on_delete=models.CASCADE, related_name="exceptions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LEAVE)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["interpreter", "starts_at"], name="interp_exception_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(starts_at__lt=models.F("ends_at")), name="absence_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%Y-%m-%d %H:%M}"


class InterpreterExclusion(models.Model):
    """A client's "not this interpreter" (e.g. someone from their own
    community).  Honoured by suggestions, "who can help now" and confirming."""

    client = models.ForeignKey("consult.Client", verbose_name=_("client"), on_delete=models.CASCADE, related_name="+")
    interpreter = models.ForeignKey(
        Interpreter, verbose_name=_("interpreter"), on_delete=models.CASCADE, related_name="exclusions"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("client's exclusion of an interpreter")
        verbose_name_plural = _("clients' exclusions of interpreters")
        constraints = [
            models.UniqueConstraint(fields=["client", "interpreter"], name="interpreter_exclusion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} ✕ {self.interpreter_id}"
