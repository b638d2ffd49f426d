"""'Who can help now' (DESIGN §5, issue 8): for the language just picked,
which means are available right now.  Served as an htmx fragment to the
intake screen and the home page (consult and core sit below interpreters
and never import it), and as a page of its own."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from consult.models import Language

from .. import selectors
from ..access import require_case_worker


@require_GET
def who_can_help_now(request):
    user = request.user
    require_case_worker(user)
    language = None
    language_id = request.GET.get("language") or ""
    if language_id.isdigit():
        language = Language.objects.active().filter(pk=int(language_id)).first()
    answers = selectors.who_can_help_now(user=user, language=language) if language is not None else None
    context = {"language": language, "answers": answers, "languages": Language.objects.active()}
    slot = request.GET.get("slot")
    if slot == "home":  # the home page's panel: its own language picker
        return render(request, "interpreters/partials/who_can_help_now_panel.html", context)
    if slot == "intake" or request.headers.get("HX-Request"):  # the intake screen has picked the language
        return render(request, "interpreters/partials/who_can_help_now.html", context)
    return render(request, "interpreters/who_can_help_now.html", context)


urlpatterns = [path("now/", who_can_help_now, name="who_can_help_now")]
