from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from municipalities.roles import Capability
from municipalities.visibility import user_can, user_memberships, visible_desk_ids

from . import home as home_panels
from . import printing
from .audit import audit_log
from .health import CHECKS
from .panels import panels_for


@require_GET
def home(request):
    """A work queue: the panels the apps registered (core/home.py)."""
    memberships = user_memberships(request.user)
    # Only desks the person may open: a statistics viewer's membership may
    # name a desk, but its page would answer 404.
    openable = visible_desk_ids(request.user, Capability.VIEW_DESKS)
    desks = sorted({m.desk for m in memberships if m.desk_id in openable}, key=lambda d: d.code)
    return render(
        request,
        "core/home.html",
        {
            "memberships": memberships,
            "desks": desks,
            "today": timezone.localdate(),
            "panels": home_panels.panels_for(request),
            "fragments": panels_for("home", holds=lambda cap: user_can(request.user, cap)),
        },
    )


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """For a load balancer: 200 when the database, the broker and a recent
    beat tick are all fine, else 503.  No personal data, no versions."""
    results = {name: check() for name, check in CHECKS.items()}
    healthy = all(ok for ok, _ in results.values())
    body = {
        "status": "ok" if healthy else "fail",
        "checks": {k: {"ok": ok, "detail": d} for k, (ok, d) in results.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)


@login_not_required
@require_POST
def switch_language(request):
    """Django's set_language, plus: a signed-in person keeps the choice (it
    is also the language of the notifications they receive)."""
    response = set_language(request)
    language = request.POST.get("language")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES) and user.ui_language != language:
        user.ui_language = language
        user.save(update_fields=["ui_language"])
    return response


@require_POST
def session_extend(request):
    """The session warning's "stay signed in" button (static/js/session.js).

    Any signed-in request restarts the idle timeout (SESSION_SAVE_EVERY_REQUEST);
    this one does nothing else.  An expired session never gets here: the
    sign-in middleware answers first, which the script reads as "expired"."""
    request.session.modified = True
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"idle_seconds": settings.SESSION_COOKIE_AGE})
    next_url = request.POST.get("next", "")
    # A path on this site only; redirect() would try any other string as a URL name.
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(next_url)
    return redirect("home")


@require_POST
def print_audit(request, kind: str, pk: int):
    """Recorded when a case or client page is printed (core/printing.py)."""
    fetch = printing.fetcher(kind)
    if fetch is None:
        raise Http404
    obj, case, desk = fetch(request.user, pk)
    audit_log(actor=request.user, action="print", obj=obj, case=case, desk=desk)
    return HttpResponse(status=204)
