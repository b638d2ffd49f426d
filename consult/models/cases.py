"""Clients, cases, consultations and follow-ups (DESIGN §3)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from consult import names
from municipalities.roles import Capability
from municipalities.visibility import visible_desks_q


class AgeBand(models.TextChoices):
    UNDER_18 = "u18", _("under 18")
    AGE_18_29 = "18-29", _("18–29")
    AGE_30_39 = "30-39", _("30–39")
    AGE_40_49 = "40-49", _("40–49")
    AGE_50_64 = "50-64", _("50–64")
    AGE_65_PLUS = "65+", _("65 and over")
    UNKNOWN = "unknown", _("unknown")


class Gender(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    OTHER = "other", pgettext_lazy("gender", "other")
    UNANSWERED = "unanswered", _("not answered")


class ClientType(models.TextChoices):
    SELF = "self", _("the person concerned (本人)")
    FAMILY = "family", _("family member")
    SUPPORTER = "supporter", _("supporter")
    EMPLOYER = "employer", _("employer or receiving organisation")
    AGENCY = "agency", _("related agency")


class ClientQuerySet(models.QuerySet):
    def visible_to(self, user) -> ClientQuerySet:
        """Clients registered at a desk the user sees, or with a case there
        (`desk_ids` holds both, maintained by the database — see the field)."""
        return self.filter(merged_into__isnull=True).filter(
            visible_desks_q(user, capability=Capability.VIEW_CASES, desk_field="desk_ids", lookup="overlap")
        )

    def search(self, query: str) -> ClientQuerySet:
        """Name search: GIN-indexed bigram containment, then exact re-check."""
        grams = names.query_grams(query)
        if not grams:
            return self.none()
        qs = self.filter(name_grams__contains=grams)
        for token in names.query_tokens(query):
            qs = qs.filter(search_text__contains=token)
        return qs


class Client(models.Model):
    """A person who consults (相談者).  Optional: many consultations are anonymous."""

    registered_desk = models.ForeignKey(
        "municipalities.Desk", verbose_name=_("registered at"), on_delete=models.PROTECT, related_name="clients"
    )
    name = models.CharField(
        _("name as given"), max_length=200, blank=True, help_text=_("Any script, any order, as the person writes it.")
    )
    name_kana = models.CharField(_("reading (katakana)"), max_length=200, blank=True)
    name_latin = models.CharField(_("name in Latin letters"), max_length=200, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True, help_text=_("ISO 3166 country code."))
    preferred_language = models.ForeignKey(
        "consult.Language",
        verbose_name=_("preferred language"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    residence_status = models.ForeignKey(
        "consult.ResidenceStatus",
        verbose_name=_("residence status"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    period_of_stay_expiry = models.DateField(_("period of stay expires"), null=True, blank=True)
    residence_municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("municipality of residence"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resident_clients",
    )
    lives_outside_area = models.BooleanField(
        _("lives outside the consortium"), default=False, help_text=_("Counted as “outside the area” in statistics.")
    )
    residence_note = models.CharField(
        _("place of residence (outside the area)"), max_length=100, blank=True, help_text=_("e.g. 岡山市")
    )
    age_band = models.CharField(_("age band"), max_length=8, choices=AgeBand.choices, blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    client_type = models.CharField(_("client type"), max_length=12, choices=ClientType.choices, default=ClientType.SELF)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # almost always NULL: a partial index (Meta) holds only the tombstones
    )
    desk_ids = ArrayField(
        models.BigIntegerField(),
        editable=False,
        default=list,
        help_text="Registered desk and every desk handling one of the client's cases. Maintained by triggers "
        "(migration 0004) so that name search can lead with the tenant in one GIN index; never set it in Python.",
    )
    search_text = models.TextField(editable=False, default="")
    name_grams = ArrayField(models.CharField(max_length=2), editable=False, default=list)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        indexes = [
            # Name search within the desks a person sees, in one index scan:
            # a partner clerk's query does not pay for the whole consortium.
            GinIndex(fields=["name_grams", "desk_ids"], name="client_name_desks_gin"),
            models.Index(fields=["registered_desk", "-created_at"], name="client_desk_created_idx"),
            models.Index(
                fields=["merged_into"], condition=models.Q(merged_into__isnull=False), name="client_merged_into_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(merged_into=models.F("pk")), name="client_not_merged_into_self"),
            models.CheckConstraint(
                condition=models.Q(birth_year__isnull=True) | models.Q(birth_year__gte=1900, birth_year__lte=2100),
                name="client_birth_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        self.refresh_search_fields()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "name_grams"}
        super().save(*args, **kwargs)

    def refresh_search_fields(self) -> None:
        self.search_text = names.search_text(self.name, self.name_kana, self.name_latin)
        self.name_grams = sorted(names.grams_of(self.search_text))

    @property
    def display_name(self) -> str:
        parts = [p for p in (self.name, self.name_latin or self.name_kana) if p]
        if len(parts) == 2 and parts[0] != parts[1]:
            return f"{parts[0]} ({parts[1]})"
        return parts[0] if parts else str(_("(no name)"))


class CaseStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    WAITING = "waiting", _("waiting")
    CLOSED = "closed", _("closed")


class CaseOutcome(models.TextChoices):
    RESOLVED = "resolved", _("resolved at the desk (information given)")
    REFERRED = "referred", _("referred to another organisation")
    CONTINUING = "continuing", _("continuing")


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> CaseQuerySet:
        return self.filter(visible_desks_q(user, capability=Capability.VIEW_CASES, desk_field="handling_desk_id"))

    def open(self) -> CaseQuerySet:
        return self.exclude(status=CaseStatus.CLOSED)

    def with_overdue_follow_ups(self, today=None) -> CaseQuerySet:
        today = today or timezone.localdate()
        return self.filter(
            pk__in=FollowUp.objects.filter(status=FollowUp.Status.OPEN, due_date__lt=today).values("case_id")
        )


class Case(models.Model):
    """One matter of one client (or anonymous) — 相談案件."""

    reference = models.CharField(_("reference number"), max_length=32, unique=True, editable=False)
    handling_desk = models.ForeignKey(
        "municipalities.Desk", verbose_name=_("handling desk"), on_delete=models.PROTECT, related_name="cases"
    )
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    title = models.CharField(_("subject"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    outcome = models.CharField(_("outcome"), max_length=12, choices=CaseOutcome.choices, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    earlier_cases = models.ManyToManyField(
        "self", verbose_name=_("earlier cases"), symmetrical=False, blank=True, related_name="later_cases"
    )
    is_quick_contact = models.BooleanField(
        _("quick contact"), default=False, help_text=_("Logged anonymously in seconds; can be promoted to a full case.")
    )
    sensitive_notes = models.TextField(
        _("sensitive notes"),
        blank=True,
        help_text=_("要配慮個人情報: health, DV, crime victim, disability. Visible only with its own permission."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now, db_index=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            # The case list: newest activity first, keyset on (last_activity_at, id),
            # for one desk or the whole consortium.
            models.Index(fields=["handling_desk", "-last_activity_at", "-id"], name="case_desk_activity_idx"),
            models.Index(fields=["-last_activity_at", "-id"], name="case_activity_idx"),
            # Case list sorted by opening date, and its keyset condition.
            models.Index(fields=["-opened_at", "-id"], name="case_opened_idx"),
            # Reference search "KRS-2026-000…": LIKE 'prefix%' needs pattern ops
            # (the unique index follows the database collation).
            models.Index(fields=["reference"], opclasses=["varchar_pattern_ops"], name="case_reference_prefix_idx"),
            models.Index(fields=["client"], name="case_client_idx"),
            models.Index(fields=["assignee", "status"], name="case_assignee_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_at__isnull=False),
                name="case_closed_has_closed_at",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | ~models.Q(outcome=""),
                name="case_closed_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("case_detail", args=[self.pk])


class CaseCounter(models.Model):
    """Last reference number used per desk and fiscal year (KRS-2026-00042)."""

    desk = models.ForeignKey("municipalities.Desk", on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["desk", "fiscal_year"], name="case_counter_unique")]

    def __str__(self) -> str:
        return f"{self.desk_id}/{self.fiscal_year}: {self.last_number}"


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("walk-in (来所)")
    PHONE = "phone", pgettext_lazy("channel", "phone")
    THREE_WAY_PHONE = "three_way_phone", _("three-way phone call")
    EMAIL = "email", pgettext_lazy("channel", "e-mail")
    SNS = "sns", _("SNS / LINE")
    ONLINE = "online", _("online (video)")
    OUTREACH = "outreach", _("outreach visit")


class InterpretationMode(models.TextChoices):
    NONE = "none", _("none (Japanese or the client's language directly)")
    BILINGUAL_COUNSELLOR = "bilingual", _("bilingual counsellor")
    ONSITE_INTERPRETER = "onsite", _("on-site interpreter")
    TABLET_VIDEO = "tablet_video", _("tablet video interpretation")
    PHONE_TWO_PARTY = "phone_two_party", _("phone interpretation (two-party)")
    THREE_WAY_PHONE = "three_way_phone", _("three-way phone interpretation")
    DEVICE = "device", _("translation device")
    WRITTEN = "written", _("written translation")


class Action(models.TextChoices):
    INFORMATION = "information", _("information given")
    LISTENING = "listening", _("listened (傾聴)")
    REFERRAL = "referral", _("referred to an organisation")
    ACCOMPANIED = "accompanied", _("accompanied to the responsible section")
    INTERPRETATION = "interpretation", _("interpretation")
    TRANSLATION = "translation", _("translation")


class ConsultationQuerySet(models.QuerySet):
    def visible_to(self, user) -> ConsultationQuerySet:
        return self.filter(visible_desks_q(user, capability=Capability.VIEW_CASES, desk_field="case__handling_desk_id"))


class Consultation(models.Model):
    """One contact in a case (相談受付).  Counted in statistics by `desk`, the
    desk that took it, once — never once per municipality."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="consultations")
    desk = models.ForeignKey(
        "municipalities.Desk", verbose_name=_("taken at"), on_delete=models.PROTECT, related_name="consultations"
    )
    occurred_at = models.DateTimeField(_("date and time"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    language = models.ForeignKey(
        "consult.Language", verbose_name=_("language used"), on_delete=models.PROTECT, related_name="consultations"
    )
    interpretation_mode = models.CharField(
        _("interpretation"), max_length=20, choices=InterpretationMode.choices, default=InterpretationMode.NONE
    )
    topics = models.ManyToManyField(
        "consult.Topic", verbose_name=_("topics"), through="ConsultationTopic", related_name="consultations"
    )
    minutes = models.PositiveSmallIntegerField(_("minutes spent"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    actions = ArrayField(
        models.CharField(max_length=20, choices=Action.choices),
        verbose_name=_("actions taken"),
        default=list,
        blank=True,
    )
    intake_token = models.UUIDField(
        _("intake token"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Makes a resubmitted form a no-op."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("logged by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["case", "-occurred_at"], name="consultation_case_idx"),
            models.Index(fields=["desk", "occurred_at"], name="consultation_desk_time_idx"),
            models.Index(fields=["language", "occurred_at"], name="consultation_lang_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__isnull=True) | models.Q(minutes__lte=1440),
                name="consultation_minutes_max_one_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} {self.occurred_at:%Y-%m-%d %H:%M}"


class ConsultationTopic(models.Model):
    """A consultation × topic row: the grant report counts these (相談内容ごとに計上)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="topic_links")
    topic = models.ForeignKey("consult.Topic", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "topic"], name="consultation_topic_unique"),
        ]
        indexes = [models.Index(fields=["topic", "consultation"], name="consultation_topic_topic_idx")]

    def __str__(self) -> str:
        return f"{self.consultation_id} × {self.topic_id}"


class FollowUp(models.Model):
    """Something to do for a case by a date (フォローアップ)."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("follow-up status", "open")
        DONE = "done", pgettext_lazy("follow-up status", "done")
        CANCELLED = "cancelled", pgettext_lazy("follow-up status", "cancelled")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="follow_ups")
    due_date = models.DateField(_("due date"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    note = models.CharField(_("what to do"), max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="followup_status_due_idx"),
            models.Index(fields=["case", "status"], name="followup_case_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.due_date}: {self.note[:40]}"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_date < timezone.localdate()
