from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.http import urlencode

from core import views as core_views


@login_not_required
def admin_login(request, extra_context=None):
    """/admin/login goes through allauth's sign-in, so its rate limits apply."""
    return redirect(f"{reverse('account_login')}?{urlencode({'next': request.GET.get('next', '/admin/')})}")


admin.site.login = admin_login
admin.site.site_header = "Madoguchi"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", core_views.switch_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("municipalities.urls")),
]
