from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "municipalities"
    verbose_name = _("Consortium and municipalities")

    def ready(self) -> None:
        from accounts.mfa import register_role_source

        from . import home_panels
        from .visibility import user_roles

        home_panels.register()
        # Which roles require MFA is accounts' policy; the roles are ours.
        register_role_source(user_roles)
