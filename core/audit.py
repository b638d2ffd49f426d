"""Write to the append-only audit trail (DESIGN §8).

The client address of the request being served comes from a context
variable that `core.middleware.AuditContextMiddleware` sets for each request,
so that services record it without being handed the request.  Outside a
request (tasks, commands, tests calling services) it is empty."""

from __future__ import annotations

from contextvars import ContextVar, Token
from typing import TYPE_CHECKING

from .models import AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Model

_client_address: ContextVar[str | None] = ContextVar("audit_client_address", default=None)


def set_client_address(address: str | None) -> Token:
    """Set the address recorded by audit_log in this context; returns the
    token to `reset_client_address` with."""
    return _client_address.set(address or None)


def reset_client_address(token: Token) -> None:
    _client_address.reset(token)


def current_client_address() -> str | None:
    return _client_address.get()


def audit_log(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    obj: Model,
    # A consult Case and a municipalities Desk: core sits below both.
    case: Model | None = None,
    desk: Model | None = None,
    summary: str = "",
    changes: dict | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        case=case,
        desk=desk,
        summary=summary[:300],
        changes=changes or {},
        ip_address=current_client_address(),
    )
