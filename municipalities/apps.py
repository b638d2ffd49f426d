from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "municipalities"
    verbose_name = _("Consortium and municipalities")

    def ready(self) -> None:
        from . import home_panels

        home_panels.register()
