import re

from django.contrib.auth.middleware import LoginRequiredMiddleware as _DjangoLoginRequiredMiddleware
from django.http import QueryDict
from django.utils import translation

from core import drafts


class UserLanguageMiddleware:
    """A signed-in person's saved interface language wins over the browser's,
    unless they just picked one with the language switch (cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.ui_language
        ):
            translation.activate(user.ui_language)
            request.LANGUAGE_CODE = user.ui_language
        return self.get_response(request)


class LoginRequiredMiddleware(_DjangoLoginRequiredMiddleware):
    """Django's deny-by-default middleware, plus the draft store: a form sent
    after the session expired is kept for its owner before the redirect to
    sign-in (core/drafts.py).  Also keeps the draft-owner cookie current."""

    def __call__(self, request):
        response = super().__call__(request)
        if getattr(request, "_forget_draft_owner", False):
            drafts.forget_owner(response)
        else:
            drafts.remember_owner(request, response)
        return response

    def handle_no_permission(self, request, view_func):
        drafts.keep_expired_post(request, view_func)
        return super().handle_no_permission(request, view_func)


def client_address(request) -> str | None:
    """The client's address as the sign-in rate limits see it: allauth's
    reading of TRUSTED_PROXY_COUNT / TRUSTED_CLIENT_IP_HEADER (settings), so
    the audit trail and the rate limits agree.  A header that does not fit
    the configuration (fewer X-Forwarded-For entries than trusted proxies)
    falls back to the direct peer rather than failing the request."""
    from allauth.account.adapter import get_adapter
    from django.core.exceptions import ImproperlyConfigured, PermissionDenied

    try:
        return get_adapter(request).get_client_ip(request)
    except (ImproperlyConfigured, PermissionDenied):
        return request.META.get("REMOTE_ADDR")


class AuditContextMiddleware:
    """Makes the client address of this request available to the audit
    trail (core/audit.py) for as long as the request is served, so services
    need not be handed the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .audit import reset_client_address, set_client_address

        token = set_client_address(client_address(request))
        try:
            return self.get_response(request)
        finally:
            reset_client_address(token)


# NUL and the other C0/C1 control characters except tab, line feed and
# carriage return.  PostgreSQL refuses NUL in text (a 500 on any query or
# insert), and the rest have no business in a name, a note or a search.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_control_characters(value: str) -> str:
    return _CONTROL_CHARACTERS.sub("", value)


def _cleaned(query_dict: QueryDict) -> QueryDict:
    if not any(_CONTROL_CHARACTERS.search(key + "".join(values)) for key, values in query_dict.lists()):
        return query_dict
    cleaned = QueryDict(mutable=True, encoding=query_dict.encoding)
    for key, values in query_dict.lists():
        cleaned.setlist(strip_control_characters(key), [strip_control_characters(v) for v in values])
    cleaned._mutable = False
    return cleaned


class InputSanitizingMiddleware:
    """Strips control characters from every GET and POST parameter at the
    boundary (issue 12 point 5), so that no view, form or query downstream
    sees a NUL byte: `?q=a%00b` searches for "ab" instead of answering 500.
    Uploaded files are left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _cleaned(request.GET)
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request.POST = _cleaned(request.POST)
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """`Cache-Control: no-store` (with private, no-cache, max-age=0) on every
    response to a signed-in person: pages, htmx partials and downloads may
    hold personal data, and counter PCs are shared, so no browser or proxy
    may keep a copy (issue 12 point 6).  Static files never get here
    (WhiteNoise answers first); the anonymous sign-in pages stay cacheable
    by the rules Django already applies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils.cache import add_never_cache_headers

        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
