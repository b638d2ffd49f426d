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
        ]

    def __str__(self) -> str:
        return f"{self.due_date}: {self.note[:40]}"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_date < timezone.localdate()
