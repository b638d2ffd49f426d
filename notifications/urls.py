"""Mounted at /notifications/ (config/urls.py).  Empty until the reminders
issue lands: the in-app list and the operator view (README)."""

app_name = "notifications"

urlpatterns: list = []
