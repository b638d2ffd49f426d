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
