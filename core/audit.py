"""Write to the append-only audit trail (DESIGN §8)."""

from __future__ import annotations

from .models import AuditEvent


def _client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_log(
    *,
    actor,
    action: str,
    obj,
    case=None,
    desk=None,
    summary: str = "",
    changes: dict | None = None,
    request=None,
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
