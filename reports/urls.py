"""Mounted at /reports/ (config/urls.py)."""

from django.urls import path

from . import audit_views, views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("grant/", views.grant_report, name="grant"),
    path("cost-share/", views.cost_share, name="cost_share"),
    path("exports/", views.export_list, name="export_list"),
    path("exports/<uuid:pk>/", views.export_detail, name="export_detail"),
    path("exports/<uuid:pk>/download/", views.export_download, name="export_download"),
    path("audit/", audit_views.audit_list, name="audit_list"),
    path("audit/export/", audit_views.audit_export, name="audit_export"),
]
