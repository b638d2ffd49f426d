"""A test client signed in as a demo user for the benchmarks: directly for
roles without MFA, and for roles that require it (accounts/mfa.py) through
the real sign-in — password, then a code of the user's TOTP authenticator
(the published demo secret of seed_demo) — as a person would."""

from __future__ import annotations

import time

from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.mfa import mfa_required


def _unused_code(authenticator) -> str:
    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt
    from django.core.cache import cache

    secret = decrypt(authenticator.data["secret"])
    totp = TOTP(authenticator)
    for _ in range(2):
        now = int(time.time()) // 30
        for counter in (now, now + 1, now - 1):
            code = format_hotp_value(hotp_value(secret, counter))
            if cache.get(totp._get_used_cache_key(code)) is None:
                return code
        time.sleep(30 - time.time() % 30 + 0.5)
    raise RuntimeError("no unused TOTP code")


def signed_in_client(user, *, password: str | None = None, **client_kwargs) -> Client:
    from allauth.mfa.models import Authenticator

    client = Client(**client_kwargs)
    if not mfa_required(user):
        client.force_login(user)
        return client
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    password = password or settings.DEMO_PASSWORD_DEFAULT
    client.post(reverse("account_login"), {"login": user.username, "password": password}, secure=True)
    client.post(reverse("mfa_authenticate"), {"code": _unused_code(authenticator)}, secure=True)
    if str(client.session.get("_auth_user_id")) != str(user.pk):
        raise RuntimeError(f"the benchmark could not sign in as {user.username}")
    return client
