from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """One row per periodic signal (e.g. "beat"): when it last ran.  Written
    by a worker from a beat-scheduled task, so a fresh row proves that the
    database, broker, beat and a worker all work.  /healthz reads it."""

    name = models.CharField(_("name"), max_length=50, primary_key=True)
    last_seen = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_seen:%Y-%m-%d %H:%M:%S}"


class AuditEvent(models.Model):
    """Who viewed, changed, forwarded or exported what, and when.

    Append-only: the database refuses UPDATE and DELETE on this table
    (trigger in migration 0004), so not even a bug or the admin can rewrite
    history.  No personal data in `summary` or `changes` beyond field names
    and the values staff typed into case fields."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        CLOSE = "close", _("closed")
        REOPEN = "reopen", _("reopened")
        MERGE = "merge", _("merged")
        FORWARD = "forward", _("forwarded")
        EXPORT = "export", _("exported")
        PRINT = "print", _("printed")
        # Authentication events (issue 12 point 9; accounts/audit.py).
        LOGIN = "login", _("signed in")
        LOGIN_FAILED = "login_fail", _("sign-in failed")
        LOCKOUT = "lockout", _("sign-in locked")
        LOGOUT = "logout", _("signed out")
        SESSION_END = "sess_end", _("session ended")
        MFA_FAILED = "mfa_fail", _("second factor failed")
        MFA_ADDED = "mfa_add", _("authenticator added")
        MFA_REMOVED = "mfa_remove", _("authenticator removed")
        MFA_RESET = "mfa_reset", _("recovery codes renewed")
        REAUTH = "reauth", _("re-authenticated")
        PASSWORD = "password", _("password changed")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        "accounts.User", verbose_name=_("who"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=50)
    object_id = models.CharField(_("object id"), max_length=40)
    case = models.ForeignKey(
        "consult.Case",
        verbose_name=_("case"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    desk = models.ForeignKey(
        "municipalities.Desk",
        verbose_name=_("desk"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case", "-at"], name="audit_case_at_idx"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.object_type}:{self.object_id}"


class Draft(models.Model):
    """A form that arrived after its author's session had expired (core/drafts.py).

    Kept for its owner only, for a short time, encrypted at rest (Fernet,
    key derived from SECRET_KEY): a shared counter PC's browser never holds
    it, and a database dump does not reveal what the resident said."""

    owner = models.ForeignKey("accounts.User", verbose_name=_("owner"), on_delete=models.CASCADE, related_name="+")
    path = models.CharField(_("page"), max_length=500)
    payload = models.BinaryField(_("encrypted form data"))
    created_at = models.DateTimeField(_("kept at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("kept form")
        verbose_name_plural = _("kept forms")
        indexes = [models.Index(fields=["owner", "path", "-created_at"], name="draft_owner_path_idx")]

    def __str__(self) -> str:
        return f"{self.owner_id} {self.path}"
