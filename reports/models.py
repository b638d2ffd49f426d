"""Export jobs: a large export run by a Celery worker, with progress and a
download link that expires after 7 days."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import format_short

EXPORT_LIFETIME = timedelta(days=7)


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel (XLSX)"


class ExportJobQuerySet(models.QuerySet):
    def of(self, user) -> ExportJobQuerySet:
        """A job is its requester's alone."""
        return self.filter(user=user)


class ExportJob(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    exporter = models.CharField(_("export"), max_length=50)
    params = models.JSONField(default=dict, blank=True)
    format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    personal = models.BooleanField(_("with personal data"), default=False)
    status = models.CharField(_("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="exportjob_user_idx")]

    def __str__(self) -> str:
        return f"{self.exporter_label} {format_short(self.created_at)}"

    @property
    def exporter_label(self) -> str:
        """The exporter's label in the current language ("操作記録"), not its
        identifier ("audit_trail"); an exporter since removed keeps its id."""
        from .exporters import EXPORTERS

        exporter = EXPORTERS.get(self.exporter)
        return str(exporter.label) if exporter else self.exporter

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return min(99, self.rows_done * 100 // self.rows_total) if self.rows_total else 0

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at


class ConsultationCount(models.Model):
    """Aggregate: consultations per month × desk × the dashboard's dimensions.
    Rebuilt per (month, desk) bucket from raw rows (reports/aggregates.py)."""

    month = models.DateField()
    desk = models.ForeignKey("municipalities.Desk", on_delete=models.CASCADE, related_name="+")
    language = models.ForeignKey("consult.Language", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=20)
    interpretation_mode = models.CharField(max_length=20)
    residence = models.CharField(max_length=20)  # municipality id, "outside" or "unknown"
    outcome = models.CharField(max_length=12)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month", "desk"], name="consultationcount_bucket_idx")]

    def __str__(self) -> str:
        return f"{self.month} {self.desk_id}: {self.n}"


class TopicCount(models.Model):
    """Aggregate: per-topic counts (rule 2 of counting.py) per month × desk."""

    month = models.DateField()
    desk = models.ForeignKey("municipalities.Desk", on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey("consult.Topic", on_delete=models.CASCADE, related_name="+")
    language = models.ForeignKey("consult.Language", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=20)
    interpretation_mode = models.CharField(max_length=20)
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month", "desk"], name="topiccount_bucket_idx")]

    def __str__(self) -> str:
        return f"{self.month} {self.desk_id} {self.topic_id}: {self.n}"


class DimensionCount(models.Model):
    """Aggregate: the marginals per month × desk — for each dimension
    ("all", language, interpretation mode, channel, residence, outcome, and
    the client dimensions recorded on each consultation: nationality,
    residence status, age band, client type; "topic": top-level topics) one
    row per key with the consultations (n) and the per-topic counts
    (n_topics, counting rule 2).  What an unfiltered fiscal year reads; kept
    by the same bucket rebuild as ConsultationCount."""

    month = models.DateField()
    desk = models.ForeignKey("municipalities.Desk", on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=30)
    key = models.CharField(max_length=20)
    n = models.PositiveIntegerField()
    n_topics = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month", "desk"], name="dimensioncount_bucket_idx")]

    def __str__(self) -> str:
        return f"{self.month} {self.desk_id} {self.dimension}={self.key}: {self.n}"


class CaseCount(models.Model):
    """Aggregate: the cases that had a consultation at a desk in a month.
    Distinct cases are not additive across months or desks, so the case ids
    themselves are kept (one narrow row per case × month × desk, against a
    consultation row's dozens of columns) and counted distinct."""

    month = models.DateField()
    desk = models.ForeignKey("municipalities.Desk", on_delete=models.CASCADE, related_name="+")
    case_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month", "desk", "case_id"], name="casecount_bucket_idx")]

    def __str__(self) -> str:
        return f"{self.month} {self.desk_id} case {self.case_id}"


class ShareMethod(models.TextChoices):
    CONSULTATIONS = "consultations", _("in proportion to consultations")
    INTERPRETER_COST = "interpreter_cost", _("in proportion to interpreter cost")
    BASE_PLUS_USAGE = "base_plus_usage", _("a fixed base plus usage")


class UsageBasis(models.TextChoices):
    CONSULTATIONS = "consultations", _("consultations")
    INTERPRETER_COST = "interpreter_cost", _("interpreter cost")


class CostShareRule(models.Model):
    """How a consortium splits its costs among its municipalities for one
    fiscal year (reports/costshare.py).  Kept by administrators (Django admin,
    reference data)."""

    consortium = models.ForeignKey(
        "municipalities.Consortium", verbose_name=_("consortium"), on_delete=models.CASCADE, related_name="+"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    method = models.CharField(_("rule"), max_length=20, choices=ShareMethod.choices, default=ShareMethod.CONSULTATIONS)
    amount = models.PositiveBigIntegerField(
        _("amount to share (yen)"),
        null=True,
        blank=True,
        help_text=_("Empty: the interpreter cost of the fiscal year."),
    )
    base_amount = models.PositiveBigIntegerField(
        _("fixed base per municipality (yen)"), default=0, help_text=_("Only for a fixed base plus usage.")
    )
    usage_basis = models.CharField(
        _("usage measured by"),
        max_length=20,
        choices=UsageBasis.choices,
        default=UsageBasis.CONSULTATIONS,
        help_text=_("Only for a fixed base plus usage."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("cost-share rule")
        verbose_name_plural = _("cost-share rules")
        ordering = ["consortium", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["consortium", "fiscal_year"], name="costsharerule_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.consortium} FY{self.fiscal_year}: {self.get_method_display()}"


class CaseTally(models.Model):
    """Aggregate: distinct cases per fiscal year for one municipality (its
    desks) or for a whole consortium — the dashboard's case total without
    counting ~200,000 case ids per request.  Recounted from CaseCount when a
    bucket of that fiscal year and municipality is rebuilt."""

    fiscal_year = models.PositiveSmallIntegerField()
    municipality = models.ForeignKey(
        "municipalities.Municipality", null=True, on_delete=models.CASCADE, related_name="+"
    )
    consortium = models.ForeignKey("municipalities.Consortium", null=True, on_delete=models.CASCADE, related_name="+")
    n = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["fiscal_year"], name="casetally_year_idx")]

    def __str__(self) -> str:
        return f"FY{self.fiscal_year} {self.municipality_id or self.consortium_id}: {self.n}"
