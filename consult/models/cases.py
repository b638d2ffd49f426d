"""Cases (相談案件) and their reference numbers (DESIGN §3)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.roles import Capability
from municipalities.visibility import visible_desks_q

if TYPE_CHECKING:
    from municipalities.models import Desk


class CaseStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    WAITING = "waiting", _("waiting")
    CLOSED = "closed", _("closed")


class CaseOutcome(models.TextChoices):
    RESOLVED = "resolved", _("resolved")
    REFERRED = "referred", _("referred")
    CONTINUING = "continuing", _("continuing")


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user, *, extra: models.Q | None = None) -> CaseQuerySet:
        """Cases handled at a desk `user` sees, plus `extra`: the cases a
        feature grants on its own terms (consult.access.extra_case_scope,
        e.g. forwarded to the user's desk), OR-ed in by the one visibility
        function."""
        return self.filter(
            visible_desks_q(user, capability=Capability.VIEW_CASES, desk_field="handling_desk_id", extra=extra)
        )

    def open(self) -> CaseQuerySet:
        return self.exclude(status=CaseStatus.CLOSED)

    def with_overdue_follow_ups(self, today=None) -> CaseQuerySet:
        today = today or timezone.localdate()
        from .follow_ups import FollowUp

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
        "consult.Client",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    title = models.CharField(_("subject"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    outcome = models.CharField(_("outcome"), max_length=12, choices=CaseOutcome.choices, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    earlier_cases = models.ManyToManyField(
        "self", verbose_name=_("related cases"), symmetrical=False, blank=True, related_name="later_cases"
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
    # What the case list filters by, kept on the case by the database
    # (migration 0016): the languages and the topics of the case's
    # consultations.  A filter reads one array instead of checking every
    # counted case against its consultations (docs/decisions/0018, fifth
    # pass).  Never set or read them in Python: a BEFORE trigger recomputes
    # both on every insert and update of the case.
    language_ids = ArrayField(models.BigIntegerField(), default=list, editable=False)
    topic_ids = ArrayField(models.BigIntegerField(), default=list, editable=False)

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
            # The list's "active" filter (status ≠ closed, the counter's usual view): its
            # bounded count is an index-only scan and its page walks this index, instead of
            # filtering the closed majority out of case_desk_activity_idx (54 → 5 ms at 1M).
            models.Index(
                fields=["handling_desk", "-last_activity_at", "-id"],
                condition=~models.Q(status="closed"),
                name="case_open_desk_activity_idx",
            ),
            # The list's language and topic filters (the arrays above).
            GinIndex(fields=["language_ids"], name="case_language_ids_gin"),
            GinIndex(fields=["topic_ids"], name="case_topic_ids_gin"),
            # The home queue: cases waiting for an answer at a desk, newest activity first.
            models.Index(
                fields=["handling_desk", "-last_activity_at"],
                condition=models.Q(status="waiting"),
                name="case_waiting_desk_idx",
            ),
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
        return reverse("consult:case_detail", args=[self.pk])


class CaseCounterManager(models.Manager):
    def take_numbers(self, *, desk: Desk, fiscal_year: int, count: int = 1) -> int:
        """Reserve the next `count` reference numbers of `desk` in `fiscal_year`
        and return the last of them (the first is ``last - count + 1``).

        The one place that moves a counter: one atomic upsert, so numbers are
        gap-free under concurrency and rolled back with the transaction that
        took them.  Intake takes one (``case_next_reference``); the demo data
        and the benchmark take a desk's whole year at once."""
        if count < 1:
            raise ValueError("count must be at least 1")
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {table} (desk_id, fiscal_year, last_number)
                VALUES (%s, %s, %s)
                ON CONFLICT (desk_id, fiscal_year)
                DO UPDATE SET last_number = {table}.last_number + EXCLUDED.last_number
                RETURNING last_number
                """,  # noqa: S608 - the model's own table name
                [desk.pk, fiscal_year, count],
            )
            (last,) = cursor.fetchone()
        return last


class CaseCounter(models.Model):
    """Last reference number used per desk and fiscal year (KRS-2026-00042);
    moved only by ``CaseCounter.objects.take_numbers``."""

    desk = models.ForeignKey("municipalities.Desk", on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    objects = CaseCounterManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["desk", "fiscal_year"], name="case_counter_unique")]

    def __str__(self) -> str:
        return f"{self.desk_id}/{self.fiscal_year}: {self.last_number}"
