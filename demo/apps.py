from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Synthetic demo data and benchmark datasets (no models): never imported by the product."""

    name = "demo"
