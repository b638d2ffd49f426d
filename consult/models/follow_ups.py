"""Follow-ups (フォローアップ): something to do for a case by a date."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FollowUp(models.Model):
    """Something to do for a case by a date (フォローアップ)."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("follow-up status", "open")
        DONE = "done", pgettext_lazy("follow-up status", "done")
        CANCELLED = "cancelled", pgettext_lazy("follow-up status", "cancelled")

    case = models.ForeignKey(
        "consult.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    due_date = models.DateField(_("due date"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
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
            # The home queue: my open follow-ups by due date (consult/selectors/home.py).
            models.Index(
                fields=["assignee", "due_date"],
                condition=models.Q(status="open"),
                name="followup_open_assignee_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.due_date}: {self.note[:40]}"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_date < timezone.localdate()


class FollowUpTemplate(models.Model):
    """The follow-up a topic usually needs (e.g. 在留期間更新 → call back in 5
    business days), kept by administrators.  The intake screen proposes it,
    pre-filled, when the topic is chosen; staff may change or clear it."""

    topic = models.OneToOneField(
        "consult.Topic", verbose_name=_("topic"), on_delete=models.CASCADE, related_name="follow_up_template"
    )
    note = models.CharField(pgettext_lazy("follow-up", "what to do"), max_length=500)
    business_days = models.PositiveSmallIntegerField(
        _("due in business days"), help_text=_("Counted from the day of the consultation, in business days.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("follow-up template")
        verbose_name_plural = _("follow-up templates")
        ordering = ["topic__sort_order", "topic__code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(business_days__gte=1, business_days__lte=250), name="follow_up_template_days_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic}: {self.business_days}"
