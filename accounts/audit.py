"""Authentication events for the audit trail (issue 12 point 9): sign-in,
failure, lock-out, sign-out, second factor, authenticators, password and
e-mail changes, sessions ended.  The object is the staff member concerned,
the actor whoever was signed in (none for a failed or locked sign-in).
Nothing a person typed is recorded — not even the user name of a failed
sign-in, which is often a mistyped password.

core (the audit trail) and accounts are independent peers in the layers
(.importlinter): accounts offers this registry, and municipalities, which
sits above both, registers core's writer (`core.audit.audit_auth_event`)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model


class Action:
    """The audit actions of authentication events (core.models.AuditEvent.Action)."""

    LOGIN = "login"
    LOGIN_FAILED = "login_fail"
    LOCKOUT = "lockout"
    LOGOUT = "logout"
    SESSION_END = "sess_end"
    MFA_FAILED = "mfa_fail"
    MFA_ADDED = "mfa_add"
    MFA_REMOVED = "mfa_remove"
    MFA_RESET = "mfa_reset"
    REAUTH = "reauth"
    PASSWORD = "password"  # noqa: S105 - an audit action, not a secret
    UPDATE = "update"


_writers: list[Callable[..., object]] = []


def register_audit_writer(writer: Callable[..., object]) -> None:
    """`writer(action=…, user=…, actor=…, summary=…, changes=…)`."""
    if writer not in _writers:
        _writers.append(writer)


def audit_auth(*, action: str, user=None, actor=None, summary: str = "", changes: dict | None = None) -> None:
    for writer in _writers:
        writer(action=action, user=user, actor=actor, summary=summary, changes=changes or {})


def known_user(username: str | None):
    """The staff member with this user name, if any (case-insensitive, as
    allauth signs in)."""
    if not username:
        return None
    return get_user_model().objects.filter(username__iexact=username).order_by("pk").first()
