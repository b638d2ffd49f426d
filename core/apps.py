from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _forget_draft_owner(sender, request, user, **kwargs):
    # Signing out on purpose: no form of this person is kept any more
    # (core/drafts.py); the middleware removes the cookie from the response.
    if request is not None:
        request._forget_draft_owner = True


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Portal")

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        user_logged_out.connect(_forget_draft_owner, dispatch_uid="core.forget_draft_owner")

        from django.db.models.signals import post_migrate

        from .retention import install_audit_keep_years

        # The years of audit trail the database keeps: written by the owner of
        # the tables at every migrate (docs/decisions/0016).
        post_migrate.connect(install_audit_keep_years, sender=self, dispatch_uid="core.audit_keep_years")
        from .sessions import connect_signals

        connect_signals()
