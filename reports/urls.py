"""Mounted at /reports/ (config/urls.py)."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("grant/", views.grant_report, name="grant"),
]
