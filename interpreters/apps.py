from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterpretersConfig(AppConfig):
    name = "interpreters"
    verbose_name = _("Interpreters")

    def ready(self) -> None:
        # Lower layers show interpreters' fragments through registries, never
        # by importing this app (CONVENTIONS "Layout").
        from core.panels import Panel, register_panel
        from municipalities.roles import Capability

        who = Panel(
            key="who-can-help-now",
            title=_("Who can help now"),
            url_name="interpreters:who_can_help_now",
            capability=Capability.VIEW_CASES,
        )
        register_panel("home", who)
        register_panel("intake", who)

        from consult import timeline

        from . import hooks

        timeline.register_timeline_source(
            hooks.booking_timeline_entries, object_types=("interpreters.booking",), present=hooks.case_has_bookings
        )
        timeline.register_case_link(hooks.case_booking_link)
        timeline.register_consultation_link(hooks.consultation_booking_link)

        # Booking reminders, registered with notifications (a lower layer).
        from . import reminders

        reminders.register()
