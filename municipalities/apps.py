from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "municipalities"
    verbose_name = _("Consortium and municipalities")

    def ready(self) -> None:
        from accounts.audit import register_audit_writer
        from accounts.mfa import register_role_source
        from core.audit import audit_auth_event

        from . import calendar, home_panels
        from .visibility import user_roles

        home_panels.register()
        calendar.connect_signals()
        # Which roles require MFA is accounts' policy; the roles are ours.
        register_role_source(user_roles)
        # accounts and core are independent peers: their meeting point is here.
        register_audit_writer(audit_auth_event)
