"""Permission checks shared by the services (forms can be forged: every
service checks again what the view already checked)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from municipalities.models import Desk
from municipalities.visibility import user_can

from ..models import Client


def _require(user, capability: str, desk: Desk) -> None:
    if not user_can(user, capability, desk=desk):
        raise PermissionDenied


def _require_client_visible(user, client: Client | None) -> None:
    """A posted client id must be one the user may see (forms can be forged)."""
    if client is not None and not Client.objects.visible_to(user).filter(pk=client.pk).exists():
        raise PermissionDenied
