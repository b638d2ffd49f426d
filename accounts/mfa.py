"""Who must use a second factor, and whether this session has (issue 12 point 8).

Administrators and coordinators must have signed in with a second factor
(TOTP, a security key/passkey or a recovery code) before any page with
personal data; `settings.MFA_REQUIRED_ROLES` adds other roles.  Django
superusers and `is_staff` users (the admin site) always must.

Roles live in municipalities, a layer above accounts: municipalities
registers how to read a person's roles (`register_role_source`), as the
layers rule asks of a lower layer that needs a higher one."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest

_role_sources: list[Callable[[object], Iterable[str]]] = []


def register_role_source(source: Callable[[object], Iterable[str]]) -> None:
    """`source(user)` → the roles the user holds now (active memberships)."""
    if source not in _role_sources:
        _role_sources.append(source)


def required_roles() -> frozenset[str]:
    return frozenset(settings.MFA_REQUIRED_ROLES) | frozenset(settings.MFA_ALWAYS_REQUIRED_ROLES)


def mfa_required(user) -> bool:
    """Must this person use a second factor before seeing personal data?"""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    wanted = required_roles()
    return any(role in wanted for source in _role_sources for role in source(user))


def has_authenticator(user) -> bool:
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user)


def session_used_second_factor(request: HttpRequest) -> bool:
    """Did this session's person prove a second factor (at sign-in, in a
    re-authentication, or by setting one up after a password
    re-authentication)?  Read from allauth's authentication records in the
    session, so it costs no query."""
    from allauth.account.internal.flows.login import get_authentication_records

    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def record_second_factor(request: HttpRequest, user, *, type: str, id: int | None = None) -> None:
    """Setting up an authenticator proves it (a code or a key) right after a
    password re-authentication: the session counts as signed in with MFA."""
    from allauth.account.internal.flows.login import record_authentication

    record_authentication(request, user, method="mfa", type=type, id=id)
