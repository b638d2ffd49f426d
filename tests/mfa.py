"""A second factor for tests: TOTP codes computed from the secret as an
authenticator app does (RFC 6238, written out here rather than borrowed from
the code under test), and enrolment through allauth's own TOTP API.

`tests.factories.as_user` and the browser `sign_in` fixture use these to
sign in for real — password, then the code — everyone whose role requires
MFA (accounts/mfa.py)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

PERIOD = 30
DIGITS = 6


def totp_at(secret: str, counter: int) -> str:
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**DIGITS:0{DIGITS}d}"


def totp_now(secret: str) -> str:
    return totp_at(secret, int(time.time()) // PERIOD)


def totp_authenticator(user):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()


def totp_secret(user) -> str:
    """The user's TOTP secret; enrols a new authenticator (allauth's API)
    when the user has none."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from allauth.mfa.utils import decrypt

    authenticator = totp_authenticator(user)
    if authenticator is None:
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        return secret
    return decrypt(authenticator.data["secret"])


def fresh_code(user, secret: str) -> str:
    """A code the server will take now: allauth accepts the current step
    and one either side (MFA_TOTP_TOLERANCE) but each code only once.  The
    suite signs one person in far more often than a person could (several
    times in 30 s); rather than wait for a new step, it clears allauth's
    used-code marker, as it clears the sign-in rate limit.  The replay guard
    itself is tested without this helper.

    Only the next step's code or the current one is ever given: the
    previous step's code stops being accepted the moment the clock crosses
    into a new step, which happened between this function and the server's
    check in one CI run ("second factor refused").  The next step's code
    stays valid for at least 30 s from now, so it is the one cleared and
    reused when both are taken."""
    from allauth.mfa.totp.internal.auth import TOTP
    from django.core.cache import cache

    authenticator = TOTP(totp_authenticator(user))
    now = int(time.time()) // PERIOD
    for counter in (now + 1, now):
        code = totp_at(secret, counter)
        if cache.get(authenticator._get_used_cache_key(code)) is None:
            return code
    code = totp_at(secret, now + 1)
    cache.delete(authenticator._get_used_cache_key(code))
    return code


def clear_sign_in_rate_limit() -> None:
    """allauth allows 30 sign-ins a minute from one address; the suite signs
    people in faster than a counter does, always from 127.0.0.1."""
    from allauth.core import ratelimit
    from django.test import RequestFactory

    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="127.0.0.1")
    ratelimit.clear(request, action="login")
