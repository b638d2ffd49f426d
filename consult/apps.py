from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultConfig(AppConfig):
    name = "consult"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from .reference_cache import connect_signals

        connect_signals()
        # consult's notification kinds (follow-ups, period of stay), registered
        # with notifications, which sits below consult and cannot import it.
        from . import reminders

        reminders.register()
