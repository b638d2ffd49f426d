from django.utils import translation


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


class AuditContextMiddleware:
    """Makes the client address of this request available to the audit
    trail (core/audit.py) for as long as the request is served, so services
    need not be handed the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .audit import reset_client_address, set_client_address

        token = set_client_address(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            reset_client_address(token)
