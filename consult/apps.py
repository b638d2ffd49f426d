from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultConfig(AppConfig):
    name = "consult"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from .reference_cache import connect_signals

        connect_signals()

        from core.home import register_home_panel

        from .selectors.handoffs import register_handoff_grant
        from .views.handoffs import home_panel

        register_home_panel("consult.handoffs", home_panel)
        register_handoff_grant()
