"""Write to the append-only audit trail (DESIGN §8)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import AuditEvent

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Model
    from django.http import HttpRequest


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


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
    request: HttpRequest | None = None,
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
        ip_address=_client_ip(request),
    )
