from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultConfig(AppConfig):
    name = "consult"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from .reference_cache import connect_signals

        connect_signals()

        from . import home

        home.register()

        from .selectors.handoffs import register_handoff_grant

        register_handoff_grant()

        # consult's notification kinds (follow-ups, period of stay), registered
        # with notifications, which sits below consult and cannot import it.
        from . import reminders

        reminders.register()
