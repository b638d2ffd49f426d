from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from municipalities.roles import Capability
from municipalities.visibility import user_can, user_memberships, visible_desk_ids

from .health import CHECKS
from .panels import panels_for


@require_GET
def home(request):
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
            "panels": panels_for("home", holds=lambda cap: user_can(request.user, cap)),
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
