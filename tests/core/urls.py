"""The project's URLs plus test-only views: ones that fail on purpose (error pages), a form that keeps its draft."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as project_urls
from core.drafts import keeps_draft, restore_draft


@login_not_required
def boom(request):
    raise RuntimeError("internal detail: SECRET_TABLE_NAME")


@login_not_required
def suspicious(request):
    raise SuspiciousOperation("internal detail: SECRET_TABLE_NAME")


def forbidden(request):
    raise PermissionDenied("internal detail: SECRET_TABLE_NAME")


urlpatterns = [
    path("test-errors/500/", boom),
    path("test-errors/400/", suspicious),
    path("test-errors/403/", forbidden),
    *project_urls,
]


@keeps_draft
def draft_form(request):
    """A stand-in for a form page that keeps its draft (the intake marks itself the same way)."""
    data = restore_draft(request)
    if request.method == "POST":
        return HttpResponse("saved " + request.POST.get("notes", ""))
    return HttpResponse("form " + (data.get("notes", "") if data else "(empty)"))


urlpatterns += [path("test-drafts/form/", draft_form)]
