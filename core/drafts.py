"""The draft store: nothing typed is lost when a session expires (issue 9, §2).

When a form arrives after its author's session expired, the request is
anonymous and would be sent to the sign-in page with everything typed
thrown away.  Instead, for views marked `@keeps_draft`:

1. `core.middleware.LoginRequiredMiddleware` (Django's, plus this) sees the
   anonymous POST and the signed *draft-owner* cookie that sign-in set
   (`remember_owner`); it keeps the form data here for that user, encrypted,
   for DRAFT_TTL_SECONDS, and only then redirects to sign-in.
2. After signing in, the person lands on the same page (`next`); the view
   calls `restore_draft(request)`, which hands the data back once — only to
   its owner, only before it expires — and says so with a message.

Why a cookie names the owner: the expired session can no longer say who
was signed in.  The cookie holds only a signed user id, lives as long as
the browser (like the session cookie) and is removed on sign-out; it grants
nothing — a draft is restored only after a real sign-in as that user.  The
form data itself never goes to the browser's storage (shared counter PCs).
"""

from __future__ import annotations

import base64
import json
from datetime import timedelta

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Draft

OWNER_COOKIE = "madoguchi_draft_owner"
_OWNER_SALT = "madoguchi.drafts.owner"
# Never kept: the CSRF token is per session, a password is never stored.
_SKIPPED_FIELDS = {"csrfmiddlewaretoken", "password", "password1", "password2"}
MAX_PAYLOAD_BYTES = 256 * 1024


def ttl_seconds() -> int:
    return int(getattr(settings, "DRAFT_TTL_SECONDS", 30 * 60))


def keeps_draft(view):
    """Mark a view whose POST is kept when the session has expired."""
    view.keeps_draft = True
    return view


def _fernet_for(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"madoguchi-drafts", info=b"fernet-v1").derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def _fernet() -> MultiFernet:
    # The current key encrypts; fallbacks still decrypt after a key rotation.
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet_for(s) for s in secrets])


def encrypt(data: QueryDict) -> bytes:
    lists = {key: values for key, values in data.lists() if key not in _SKIPPED_FIELDS}
    return _fernet().encrypt(json.dumps(lists, ensure_ascii=False).encode())


def decrypt(payload: bytes) -> QueryDict:
    lists = json.loads(_fernet().decrypt(bytes(payload)))
    data = QueryDict(mutable=True)
    for key, values in lists.items():
        data.setlist(key, values)
    data._mutable = False
    return data


# --- the owner cookie -----------------------------------------------------
def remember_owner(request, response) -> None:
    """Set by the middleware on every signed-in response that lacks it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    if owner_id_from(request) == user.pk:
        return
    response.set_signed_cookie(
        OWNER_COOKIE,
        str(user.pk),
        salt=_OWNER_SALT,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def forget_owner(response) -> None:
    response.delete_cookie(OWNER_COOKIE, samesite="Lax")


def owner_id_from(request) -> int | None:
    try:
        value = request.get_signed_cookie(OWNER_COOKIE, salt=_OWNER_SALT)
    except (KeyError, signing.BadSignature):
        return None
    return int(value) if value.isdigit() else None


# --- housekeeping ------------------------------------------------------------
def drafts_purge_expired(*, now=None) -> int:
    """Delete expired drafts (encrypted personal data past its time).  Beat
    runs it (config/celery.py); keeping a draft also clears expired ones."""
    deleted, _ = Draft.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


# --- keep and restore -----------------------------------------------------
def draft_keep(*, owner_id: int, path: str, data: QueryDict) -> Draft | None:
    """Keep the form for its owner; None when there is nothing worth keeping."""
    payload = encrypt(data)
    if len(payload) > MAX_PAYLOAD_BYTES or not any(k not in _SKIPPED_FIELDS for k in data):
        return None
    now = timezone.now()
    Draft.objects.filter(expires_at__lte=now).delete()
    # One draft per person and page: the newest wins.
    Draft.objects.filter(owner_id=owner_id, path=path).delete()
    return Draft.objects.create(
        owner_id=owner_id, path=path[:500], payload=payload, expires_at=now + timedelta(seconds=ttl_seconds())
    )


def draft_take(*, user, path: str) -> QueryDict | None:
    """The owner's unexpired draft of this page, removed as it is handed back."""
    if not user.is_authenticated:
        return None
    draft = Draft.objects.filter(owner=user, path=path, expires_at__gt=timezone.now()).order_by("-created_at").first()
    if draft is None:
        return None
    Draft.objects.filter(owner=user, path=path).delete()
    try:
        return decrypt(draft.payload)
    except (InvalidToken, ValueError):
        return None


def restore_draft(request) -> QueryDict | None:
    """For a view's GET: the kept form of this page, with a message saying so."""
    if request.method != "GET":
        return None
    data = draft_take(user=request.user, path=request.path)
    if data is not None:
        messages.info(
            request,
            _(
                "Your session had expired, so what you entered was kept. It is back in the form below: "
                "check it and save."
            ),
        )
    return data


def keep_expired_post(request, view_func) -> bool:
    """Called for an anonymous request to a sign-in-only view (middleware)."""
    if request.method != "POST" or not getattr(view_func, "keeps_draft", False):
        return False
    owner_id = owner_id_from(request)
    if owner_id is None:
        return False
    if draft_keep(owner_id=owner_id, path=request.path, data=request.POST) is None:
        return False
    messages.warning(
        request,
        _(
            "Your session expired before the form was saved. Nothing is lost: sign in again and "
            "what you entered comes back on the same page."
        ),
    )
    return True
