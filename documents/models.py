"""Texts of the documents handed to the client, kept as data (issue 14).

Every sentence of the appointment slip, the referral letter, the consent
explanation and the language card is a `DocumentText` row: the Japanese
original and its やさしい日本語 version (furigana are generated when it is
shown).  Each client language has a `DocumentTranslation` row per text,
kept by administrators and marked reviewed by a named person at a time.
A document is shown in a client language only when every text it uses has
a reviewed translation; otherwise it falls back to やさしい日本語 + English and
says so (documents/texts.py, docs/decisions/0020).

Languages are referred to by their BCP 47 code (consult.Language.code), so
the shipped translations load with `migrate` before the reference data.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    COMMON = "common", _("all documents")
    SLIP = "slip", _("appointment slip")
    REFERRAL = "referral", _("referral letter")
    CONSENT = "consent", _("consent explanation")
    CARD = "card", _("language card")


class DocumentText(models.Model):
    key = models.SlugField(_("key"), max_length=80, unique=True)
    document = models.CharField(_("document"), max_length=10, choices=DocumentKind.choices)
    japanese = models.TextField(_("Japanese"))
    easy_japanese = models.TextField(
        _("easy Japanese"), help_text=_("やさしい日本語: short sentences; furigana are added when it is shown.")
    )
    context = models.CharField(
        _("note for translators"), max_length=300, blank=True, help_text=_("Where the text appears, placeholders.")
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("document text")
        verbose_name_plural = _("document texts")
        ordering = ["document", "sort_order", "key"]

    def __str__(self) -> str:
        return self.key


class DocumentTranslation(models.Model):
    text = models.ForeignKey(
        DocumentText, verbose_name=_("text"), on_delete=models.CASCADE, related_name="translations"
    )
    language_code = models.CharField(_("language (BCP 47)"), max_length=20)
    translation = models.TextField(_("translation"))
    reviewed = models.BooleanField(_("reviewed"), default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("document translation")
        verbose_name_plural = _("document translations")
        ordering = ["language_code", "text__document", "text__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["text", "language_code"], name="document_translation_unique"),
            models.CheckConstraint(
                condition=models.Q(reviewed=False) | models.Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="document_translation_reviewed_by_whom",
            ),
        ]
        indexes = [models.Index(fields=["language_code", "reviewed"], name="doc_translation_lang_idx")]

    def __str__(self) -> str:
        return f"{self.text_id} [{self.language_code}]"


class OpeningHours(models.Model):
    """When an outside organisation receives people, for the referral letter.
    Days and times are data, so the letter writes them in the client's
    language (weekday names from CLDR)."""

    organisation = models.OneToOneField(
        "consult.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="opening_hours",
    )
    weekdays = ArrayField(
        models.PositiveSmallIntegerField(),
        verbose_name=_("open on"),
        default=list,
        help_text=_("0 = Monday … 6 = Sunday."),
    )
    opens_at = models.TimeField(_("opens"))
    closes_at = models.TimeField(_("closes"))
    note = models.CharField(_("note (Japanese)"), max_length=200, blank=True, help_text=_("e.g. 祝日・年末年始は休み"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("closes_at")), name="opening_hours_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(weekdays__contained_by=[0, 1, 2, 3, 4, 5, 6]), name="opening_hours_weekdays"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.opens_at}-{self.closes_at}"
