"""Error pages (400, 403, 404, 500) and the CSRF failure page.

They render in the portal's layout and the reader's language, say what
happened and where to go next, and never show internal detail (no
exception text, no URL list, no path echoed back).  config/urls.py names
them as Django's handler400/403/404/500; settings.CSRF_FAILURE_VIEW names
`csrf_failure`.
"""

from __future__ import annotations

import logging

from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

PAGES = {
    400: {
        "title": _("The request could not be understood"),
        "lead": _("The browser sent something the portal could not read. Go back and try again."),
    },
    403: {
        "title": _("You may not do this"),
        "lead": _(
            "Your role does not allow this action or page. If you need it for your work, "
            "ask your coordinator or administrator."
        ),
    },
    404: {
        "title": _("Page not found"),
        "lead": _(
            "The page does not exist, or it is outside the desks you can see. "
            "Check the address or start again from the home page."
        ),
    },
    500: {
        "title": _("Something went wrong on the server"),
        "lead": _(
            "The portal could not finish this request. Nothing you did caused it; it has been recorded. "
            "Try again in a moment; if it keeps happening, tell your administrator the time it happened."
        ),
    },
    "csrf": {
        "title": _("The form had expired"),
        "lead": _(
            "For your protection, a form can only be sent from a page opened recently in this browser. "
            "Go back, reload the page and send it again."
        ),
    },
}

# When even the template cannot render (the database is down, a template
# error), this is what the reader gets: bilingual, no detail, no assets.
_BARE_500 = (
    '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>500</title></head>'
    "<body><h1>サーバーでエラーが発生しました / Server error</h1>"
    "<p>しばらくしてからもう一度お試しください。 Please try again in a moment.</p>"
    '<p><a href="/">ホーム / Home</a></p></body></html>'
)


def _render(request, status, key=None) -> HttpResponse:
    page = PAGES[key or status]
    context = {"status": status, "title": page["title"], "lead": page["lead"], "is_csrf": key == "csrf"}
    template = loader.get_template("errors/error.html")
    return HttpResponse(template.render(context, request), status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _render(request, 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return _render(request, 403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return _render(request, 404)


@requires_csrf_token
def server_error(request):
    try:
        return _render(request, 500)
    except Exception:  # the page that reports an error must not fail itself
        logger.exception("the 500 page could not render")
        return HttpResponse(_BARE_500, status=500)


def csrf_failure(request, reason=""):
    # `reason` is Django's internal explanation: logged at debug level, never shown.
    logger.debug("CSRF failure")
    return _render(request, 403, "csrf")
