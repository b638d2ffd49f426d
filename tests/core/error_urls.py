"""The project's URLs plus views that fail on purpose (tests of the error pages)."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as project_urls


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
