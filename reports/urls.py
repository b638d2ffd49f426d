"""Mounted at /reports/ (config/urls.py).  Empty until the reports issue
lands: the dashboard, the grant report, the cost share and exports (README)."""

app_name = "reports"

urlpatterns: list = []
