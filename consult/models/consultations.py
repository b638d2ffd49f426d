"""Consultations (相談受付): one contact in a case, and its topics (DESIGN §3)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from municipalities.roles import Capability
from municipalities.visibility import visible_desks_q


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
    REFERRAL = "referral", _("external referral")
    ACCOMPANIED = "accompanied", _("accompanied to the responsible section")
    INTERPRETATION = "interpretation", _("interpretation")
    TRANSLATION = "translation", _("translation")


class ConsultationQuerySet(models.QuerySet):
    def visible_to(self, user) -> ConsultationQuerySet:
        return self.filter(visible_desks_q(user, capability=Capability.VIEW_CASES, desk_field="case__handling_desk_id"))


class Consultation(models.Model):
    """One contact in a case (相談受付).  Counted in statistics by `desk`, the
    desk that took it, once — never once per municipality."""

    case = models.ForeignKey(
        "consult.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="consultations"
    )
    desk = models.ForeignKey(
        "municipalities.Desk", verbose_name=_("taken at"), on_delete=models.PROTECT, related_name="consultations"
    )
    occurred_at = models.DateTimeField(_("date and time"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    language = models.ForeignKey(
        "consult.Language", verbose_name=_("language used"), on_delete=models.PROTECT, related_name="consultations"
    )
    interpretation_mode = models.CharField(
        _("interpretation mode"), max_length=20, choices=InterpretationMode.choices, default=InterpretationMode.NONE
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
    # What was true then (DESIGN §3): the client's dimensions copied when the
    # consultation is logged, so editing the client (or a status change next
    # year) never rewrites a past year's statistics.  Blank/NULL = not known
    # (anonymous consultation, or not recorded on the client at the time).
    # Database defaults too: bulk loaders that write SQL (consult/bench.py)
    # leave them blank, and the backfill (consult/snapshots.py) fills them.
    client_residence_municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("municipality of residence (then)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    client_outside_area = models.BooleanField(_("lived outside the consortium (then)"), default=False, db_default=False)
    client_residence_status = models.ForeignKey(
        "consult.ResidenceStatus",
        verbose_name=_("residence status (then)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    client_nationality = models.CharField(_("nationality (then)"), max_length=2, blank=True, db_default="")
    client_age_band = models.CharField(_("age band (then)"), max_length=8, blank=True, db_default="")
    client_type = models.CharField(_("client type (then)"), max_length=12, blank=True, db_default="")
    outcome = models.CharField(_("outcome"), max_length=12, blank=True, db_default="")
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
            # Back-and-save: this person's consultations of the last minutes (consult/selectors/intake.py).
            models.Index(fields=["created_by", "-created_at"], name="consultation_author_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__isnull=True) | models.Q(minutes__lte=1440),
                name="consultation_minutes_max_one_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference} {self.occurred_at:%Y-%m-%d %H:%M}"

    def snapshot_client(self, client) -> None:
        """Copy the client's statistical dimensions onto this consultation
        (what was true then).  `client` None: anonymous, all unknown."""
        for field, value in client_snapshot(client).items():
            setattr(self, field, value)


def client_snapshot(client) -> dict:
    """The snapshot fields of a consultation for `client` (None = anonymous)."""
    if client is None:
        return {
            "client_residence_municipality_id": None,
            "client_outside_area": False,
            "client_residence_status_id": None,
            "client_nationality": "",
            "client_age_band": "",
            "client_type": "",
        }
    return {
        "client_residence_municipality_id": client.residence_municipality_id,
        "client_outside_area": client.lives_outside_area,
        "client_residence_status_id": client.residence_status_id,
        "client_nationality": client.nationality,
        "client_age_band": client.age_band,
        "client_type": client.client_type,
    }


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
