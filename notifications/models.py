"""What a person must be told (DESIGN §6).

`Notification` is the outbox: a row is written first (in the producer's
transaction or by the periodic tick), the broker only wakes a worker, and the
row says what happened — so a lost or repeated broker message changes
nothing.  `occurrence_key` is unique: a producer that runs twice for the same
reminder occurrence inserts nothing the second time.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    IN_APP = "in_app", _("in the portal only")
    EMAIL = "email", _("in the portal and by e-mail")
    DIGEST = "digest", _("in the portal and in a daily e-mail digest")


class State(models.TextChoices):
    PENDING = "pending", pgettext_lazy("notification state", "due")
    CLAIMED = "claimed", pgettext_lazy("notification state", "being sent")
    SENT = "sent", pgettext_lazy("notification state", "sent")
    FAILED = "failed", pgettext_lazy("notification state", "failed")
    CANCELLED = "cancelled", pgettext_lazy("notification state", "no longer needed")


class NotificationQuerySet(models.QuerySet):
    def for_inbox(self, user, now=None) -> NotificationQuerySet:
        """The person's own notifications that are visible by now."""
        now = now or timezone.now()
        return self.filter(recipient=user, visible_at__lte=now).exclude(state=State.CANCELLED)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
        help_text=_("A staff member; empty for someone outside the portal (e.g. an interpreter), told by e-mail."),
    )
    to_address = models.EmailField(
        _("e-mail address"), blank=True, db_default="", help_text=_("Only for someone outside the portal.")
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        db_default="",
        help_text=_("Only for someone outside the portal: the e-mail's language."),
    )
    kind = models.CharField(_("kind"), max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    desk = models.ForeignKey(
        "municipalities.Desk",
        verbose_name=_("desk"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Whose office hours and closures apply; coordinators of this desk see the row."),
    )
    occurrence_key = models.CharField(
        _("occurrence"), max_length=200, unique=True, help_text=_("One row per reminder occurrence, ever.")
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    visible_at = models.DateTimeField(_("shown from"), default=timezone.now)
    due_at = models.DateTimeField(_("due"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    failure = models.CharField(_("failure"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-visible_at", "-id"]
        indexes = [
            # The claim: pending rows by due time.  Partial, so it holds only
            # the work still to do, never the millions already sent.
            models.Index(fields=["due_at"], condition=models.Q(state="pending"), name="notification_pending_due_idx"),
            # The sweep: claims whose worker died.
            models.Index(fields=["claimed_at"], condition=models.Q(state="claimed"), name="notification_claimed_idx"),
            models.Index(fields=["recipient", "-visible_at", "-id"], name="notification_inbox_idx"),
            models.Index(
                fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread_idx"
            ),
            models.Index(fields=["desk", "state", "-due_at"], name="notification_desk_state_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(to_address=""),
                name="notification_has_a_recipient",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="sent") | models.Q(sent_at__isnull=False), name="notification_sent_has_time"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="claimed") | models.Q(claimed_at__isnull=False),
                name="notification_claimed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id or 'e-mail'} ({self.state})"

    @property
    def email_address(self) -> str:
        return self.recipient.email if self.recipient_id else self.to_address

    @property
    def email_language(self) -> str:
        return (self.recipient.ui_language if self.recipient_id else self.language) or settings.LANGUAGE_CODE

    @property
    def subject_object(self):
        if self.content_type_id is None or self.object_id is None:
            return None
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        return model._default_manager.filter(pk=self.object_id).first() if model else None

    @property
    def kind_definition(self):
        from .registry import kinds

        return kinds.get(self.kind)


class NotificationPreference(models.Model):
    """How one person wants one kind of notification."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=64)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.channel}"


class DeskOfficeHours(models.Model):
    """A desk whose office hours differ from the default (OFFICE_HOURS)."""

    desk = models.OneToOneField(
        "municipalities.Desk", verbose_name=_("desk"), on_delete=models.CASCADE, related_name="office_hours"
    )
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("office hours of a desk")
        verbose_name_plural = _("office hours of desks")
        constraints = [
            models.CheckConstraint(condition=models.Q(opens__lt=models.F("closes")), name="desk_hours_open_first")
        ]

    def __str__(self) -> str:
        return f"{self.desk}: {self.opens:%H:%M}–{self.closes:%H:%M}"
