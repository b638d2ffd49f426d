"""The client's consent to provide personal data (個人情報の提供に関する同意, DESIGN §4).

History is kept: recording a new consent supersedes the current one (its
`superseded_at` is set), it never overwrites it; a withdrawal (同意の撤回)
dates the current consent and leaves it in place, so every hand-off can
still show which consent covered it and that it was withdrawn later.

A client has at most one *current* consent row (not superseded) — a partial
unique index keeps it so under concurrency.  It is in force when it is not
withdrawn.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .consultations import InterpretationMode
from .reference import Organisation


class ConsentQuerySet(models.QuerySet):
    def current(self) -> ConsentQuerySet:
        """The latest consent of each client (in force or withdrawn)."""
        return self.filter(superseded_at__isnull=True)

    def in_force(self) -> ConsentQuerySet:
        return self.current().filter(withdrawn_on__isnull=True)


class Consent(models.Model):
    client = models.ForeignKey(
        "consult.Client", verbose_name=_("client"), on_delete=models.CASCADE, related_name="consents"
    )
    municipalities = models.ManyToManyField(
        "municipalities.Municipality",
        verbose_name=_("municipalities of the consortium"),
        blank=True,
        related_name="+",
        help_text=_("Municipalities whose desks may receive the client's personal data."),
    )
    organisations = models.ManyToManyField(
        "consult.Organisation",
        verbose_name=_("outside organisations"),
        blank=True,
        related_name="+",
    )
    organisation_kinds = ArrayField(
        models.CharField(max_length=20, choices=Organisation.Kind.choices),
        verbose_name=_("kinds of organisation"),
        default=list,
        blank=True,
        help_text=_("Every organisation of these kinds is covered."),
    )
    contact_by_desk = models.BooleanField(
        _("contact by the desk"),
        default=False,
        help_text=_("The desk may contact the client, e.g. before the period of stay expires."),
    )
    given_on = models.DateField(_("date of consent"), default=timezone.localdate)
    explanation_language = models.ForeignKey(
        "consult.Language",
        verbose_name=_("language of the explanation shown"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    interpretation_mode = models.CharField(
        _("interpreted by"),
        max_length=20,
        choices=InterpretationMode.choices,
        default=InterpretationMode.NONE,
        help_text=_("How the explanation was interpreted, if it was."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    withdrawn_on = models.DateField(_("date of withdrawal"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawal recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=models.Q(superseded_at__isnull=True), name="consent_one_current_per_client"
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True) | models.Q(withdrawn_by__isnull=False),
                name="consent_withdrawal_has_recorder",
            ),
        ]
        indexes = [models.Index(fields=["client", "-recorded_at"], name="consent_client_idx")]

    def __str__(self) -> str:
        return f"{self.client_id} {self.given_on}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def in_force(self) -> bool:
        return self.superseded_at is None and self.withdrawn_on is None

    @property
    def organisation_kind_labels(self) -> list[str]:
        labels = dict(Organisation.Kind.choices)
        return [str(labels.get(kind, kind)) for kind in self.organisation_kinds]

    def covers_contact(self) -> bool:
        """The client may be contacted by the desk (e.g. the period-of-stay reminder)."""
        return self.in_force and self.contact_by_desk

    def covers_municipality(self, municipality) -> bool:
        return self.in_force and self.municipalities.filter(pk=municipality.pk).exists()

    def covers_organisation(self, organisation) -> bool:
        if not self.in_force:
            return False
        return organisation.kind in self.organisation_kinds or self.organisations.filter(pk=organisation.pk).exists()
