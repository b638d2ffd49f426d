"""Authentication events in the audit trail (issue 12 point 9): sign-in,
failure, lock-out, sign-out, second factor, authenticators, password and
e-mail changes, sessions ended.  Written through core's audit API; the
object is the staff member concerned, the actor whoever was signed in (none
for a failed or locked sign-in).  Nothing a person typed is recorded — not
even the user name of a failed sign-in, which is often a mistyped password."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from core.audit import audit_log
from core.models import AuditEvent

Action = AuditEvent.Action


def audit_auth(*, action: str, user=None, actor=None, summary: str = "", changes: dict | None = None) -> None:
    obj = user if user is not None else get_user_model()()
    audit_log(actor=actor, action=action, obj=obj, summary=summary, changes=changes)


def known_user(username: str | None):
    """The active staff member with this user name, if any (case-insensitive,
    as allauth signs in)."""
    if not username:
        return None
    return get_user_model().objects.filter(username__iexact=username).order_by("pk").first()
