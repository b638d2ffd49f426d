"""Permission checks shared by the services.  Forms can be forged, so every
service checks again what the view already checked — on a case through
``case_access`` (consult/access.py), the one answer; on a desk or a client
(a new case, a new client, a merge) through the capability at that desk."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.models import User
from municipalities.models import Desk
from municipalities.visibility import user_can

from ..access import case_access
from ..models import Case, Client


def require_case(by: User, case: Case, *rights: str) -> None:
    """403 unless `case_access(by, case)` grants every one of `rights`
    (attribute names of CaseAccess, e.g. "can_edit")."""
    access = case_access(by, case)
    if not all(getattr(access, right) for right in rights):
        raise PermissionDenied


def require_at_desk(by: User, capability: str, desk: Desk) -> None:
    if not user_can(by, capability, desk=desk):
        raise PermissionDenied


def require_client_visible(by: User, client: Client | None) -> None:
    """A posted client id must be one the user may see (forms can be forged)."""
    if client is not None and not Client.objects.visible_to(by).filter(pk=client.pk).exists():
        raise PermissionDenied
