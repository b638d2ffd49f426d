"""Hand-offs (取次, DESIGN §4): one row per referral, transfer or external referral.

* referral (連携依頼): the receiving desk works the case too; both keep it;
* transfer (引継ぎ): the case's handling desk becomes the receiver on acceptance;
* external referral (他機関紹介): to an organisation of the reference table;
  the sending desk records the organisation's answer.

Status: pending → accepted | declined (reason) | cancelled (by the sender);
accepted → completed.  Transitions live in consult/services/handoffs.py, which
locks the row and re-checks the status after the lock.

What travels is chosen by the sender (`shares_*`); the case summary always
travels.  Personal data (client details, notes, sensitive notes) travels only
while `carries_personal_data` — not for an anonymous hand-off, and no longer
once the client withdrew consent (`personal_data_stopped_at`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class HandOffKind(models.TextChoices):
    REFERRAL = "referral", _("referral")
    TRANSFER = "transfer", _("transfer")
    EXTERNAL = "external", _("external referral")


class HandOffStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("hand-off status", "pending")
    ACCEPTED = "accepted", pgettext_lazy("hand-off status", "accepted")
    DECLINED = "declined", pgettext_lazy("hand-off status", "declined")
    CANCELLED = "cancelled", pgettext_lazy("hand-off status", "cancelled")
    COMPLETED = "completed", pgettext_lazy("hand-off status", "completed")


class ConsentBasis(models.TextChoices):
    CONSENT = "consent", _("client's consent")
    ANONYMOUS = "anonymous", _("sent anonymously")
    OVERRIDE = "override", _("override (legal basis recorded)")
    NOT_NEEDED = "not_needed", _("no personal data (anonymous case)")
    SAME_MUNICIPALITY = "same_municipality", _("within the same municipality")


OPEN_STATUSES = (HandOffStatus.PENDING, HandOffStatus.ACCEPTED)
ACCESS_STATUSES = (HandOffStatus.ACCEPTED, HandOffStatus.COMPLETED)


class HandOffQuerySet(models.QuerySet):
    def involving_desks(self, desk_ids) -> HandOffQuerySet:
        ids = sorted(desk_ids)
        return self.filter(models.Q(from_desk_id__in=ids) | models.Q(to_desk_id__in=ids))

    def visible_to(self, user) -> HandOffQuerySet:
        """Hand-offs sent from or to a desk the user sees: a desk that is
        neither sender nor receiver sees nothing (404)."""
        from municipalities.roles import Capability
        from municipalities.visibility import visible_desk_ids

        return self.involving_desks(visible_desk_ids(user, Capability.VIEW_CASES))

    def open(self) -> HandOffQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class HandOff(models.Model):
    case = models.ForeignKey("consult.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="handoffs")
    kind = models.CharField(_("kind"), max_length=10, choices=HandOffKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=HandOffStatus.choices, default=HandOffStatus.PENDING)
    from_desk = models.ForeignKey(
        "municipalities.Desk", verbose_name=_("from desk"), on_delete=models.PROTECT, related_name="handoffs_sent"
    )
    to_desk = models.ForeignKey(
        "municipalities.Desk",
        verbose_name=_("to desk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handoffs_received",
    )
    to_organisation = models.ForeignKey(
        "consult.Organisation",
        verbose_name=_("to organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handoffs",
    )
    message = models.TextField(
        _("message to the receiver"), blank=True, help_text=_("What the receiver should know; no sensitive details.")
    )
    shares_client = models.BooleanField(_("client details"), default=False)
    shares_notes = models.BooleanField(_("consultation notes"), default=False)
    shares_sensitive = models.BooleanField(_("sensitive notes"), default=False)
    basis = models.CharField(_("basis for sharing"), max_length=20, choices=ConsentBasis.choices)
    consent = models.ForeignKey(
        "consult.Consent",
        verbose_name=_("consent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handoffs",
    )
    override_basis = models.TextField(_("legal basis"), blank=True)
    personal_data_stopped_at = models.DateTimeField(
        _("personal data stopped"),
        null=True,
        blank=True,
        help_text=_("Set when the client withdrew consent: from then on only the summary travels."),
    )
    decline_reason = models.TextField(_("reason"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    objects = HandOffQuerySet.as_manager()

    class Meta:
        verbose_name = _("hand-off")
        verbose_name_plural = _("hand-offs")
        ordering = ["-sent_at", "-id"]
        indexes = [
            # The two inboxes: newest first per desk, keyset on (sent_at, id),
            # optionally narrowed by status.
            models.Index(fields=["to_desk", "-sent_at", "-id"], name="handoff_to_desk_idx"),
            models.Index(fields=["from_desk", "-sent_at", "-id"], name="handoff_from_desk_idx"),
            models.Index(fields=["to_desk", "status", "-sent_at", "-id"], name="handoff_to_status_idx"),
            models.Index(fields=["from_desk", "status", "-sent_at", "-id"], name="handoff_from_status_idx"),
            models.Index(fields=["case", "-sent_at"], name="handoff_case_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="external", to_organisation__isnull=False, to_desk__isnull=True)
                    | (
                        models.Q(kind__in=["referral", "transfer"], to_desk__isnull=False, to_organisation__isnull=True)
                        & ~models.Q(to_desk=models.F("from_desk"))
                    )
                ),
                name="handoff_destination_matches_kind",
            ),
            models.CheckConstraint(
                condition=~models.Q(basis="override") | ~models.Q(override_basis=""),
                name="handoff_override_has_legal_basis",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
                name="handoff_decline_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(basis="anonymous")
                | models.Q(shares_client=False, shares_notes=False, shares_sensitive=False),
                name="handoff_anonymous_carries_nothing",
            ),
            # One open hand-off of a case to the same desk at a time.
            models.UniqueConstraint(
                fields=["case", "to_desk"],
                condition=models.Q(status="pending"),
                name="handoff_one_pending_per_desk",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_id} → {self.destination_name}"

    def get_absolute_url(self) -> str:
        return reverse("consult:handoff_detail", args=[self.pk])

    @property
    def destination_name(self) -> str:
        if self.to_desk_id:
            return str(self.to_desk)
        return str(self.to_organisation) if self.to_organisation_id else ""

    @property
    def is_external(self) -> bool:
        return self.kind == HandOffKind.EXTERNAL

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def carries_personal_data(self) -> bool:
        return self.basis in (
            ConsentBasis.CONSENT,
            ConsentBasis.OVERRIDE,
            ConsentBasis.SAME_MUNICIPALITY,
            ConsentBasis.NOT_NEEDED,
        ) and (self.personal_data_stopped_at is None)

    @property
    def travels_client(self) -> bool:
        return self.carries_personal_data and self.shares_client

    @property
    def travels_notes(self) -> bool:
        return self.carries_personal_data and self.shares_notes

    @property
    def travels_sensitive(self) -> bool:
        return self.carries_personal_data and self.shares_sensitive
