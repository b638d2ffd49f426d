from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from core import views as core_views


@login_not_required
def admin_login(request, extra_context=None):
    """/admin/login goes through allauth's sign-in, so its rate limits apply.

    A signed-in person who may not use the admin gets 403 here: sending them
    to the sign-in page would bounce them straight back (allauth redirects a
    signed-in user to `next`, the admin to its login) in an endless loop.
    """
    if request.user.is_authenticated:
        if not admin.site.has_permission(request):
            raise PermissionDenied
        next_url = request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(next_url)
        return redirect("admin:index")
    return redirect(f"{reverse('account_login')}?{urlencode({'next': request.GET.get('next', '/admin/')})}")


admin.site.login = admin_login
admin.site.site_header = "Madoguchi"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", core_views.switch_language, name="set_language"),
    path("session/extend/", core_views.session_extend, name="session_extend"),
    path("print/<slug:kind>/<int:pk>/", core_views.print_audit, name="print_audit"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("municipalities.urls")),
    path("", include("consult.urls")),
    path("notifications/", include("notifications.urls")),
    path("interpreters/", include("interpreters.urls")),
    path("reports/", include("reports.urls")),
    path("", include("documents.urls")),
]

# Error pages in the portal's layout and language (core/errors.py).
handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
