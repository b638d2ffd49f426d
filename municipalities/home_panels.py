"""municipalities' panels of the home work queue (core/home.py): what an
administrator administers, and the statistics entry.  They live here, not in
core, because they ask the roles table; registered in ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import home
from core.home import url_or_empty

from .roles import Capability
from .visibility import user_can


def administration_panel(request) -> home.Panel | None:
    """Administrators: what they administer, in the admin site."""
    user = request.user
    can_users = user_can(user, Capability.MANAGE_USERS)
    can_reference = user_can(user, Capability.MANAGE_REFERENCE_DATA)
    can_audit = user_can(user, Capability.VIEW_AUDIT_TRAIL)
    if not (can_users or can_reference or (can_audit and user.is_staff)):
        return None
    links = []
    if can_users:
        links += [
            (_("Staff users"), "admin:accounts_user_changelist"),
            (_("Memberships and roles"), "admin:municipalities_membership_changelist"),
        ]
    if can_reference:
        links += [
            (_("Municipalities"), "admin:municipalities_municipality_changelist"),
            (_("Desks"), "admin:municipalities_desk_changelist"),
            (_("Languages"), "admin:consult_language_changelist"),
            (_("Topics"), "admin:consult_topic_changelist"),
            (_("Residence statuses"), "admin:consult_residencestatus_changelist"),
            (_("Organisations"), "admin:consult_organisation_changelist"),
        ]
    if can_audit:
        links.append((_("Audit trail"), "admin:core_auditevent_changelist"))
    links.append((_("Admin site"), "admin:index"))
    items = [home.Item(label=str(label), url=url) for label, name in links if (url := url_or_empty(name))]
    return home.Panel(
        key="administration",
        title=_("Administration"),
        items=items,
        lead=_("Users, roles, reference data and the audit trail are kept in the admin site."),
    )


# The reports app's dashboard (reports/README.md); until it exists the panel
# says so instead of linking to nothing.  Reports may replace this panel with
# its own (register_panel("statistics", …)).
STATISTICS_URL_NAME = "reports:dashboard"


def statistics_panel(request) -> home.Panel | None:
    if not user_can(request.user, Capability.VIEW_STATISTICS):
        return None
    url = url_or_empty(STATISTICS_URL_NAME)
    return home.Panel(
        key="statistics",
        title=_("Statistics"),
        items=[home.Item(label=str(_("Open the statistics")), url=url)] if url else [],
        empty=_("The statistics pages are not available yet."),
        lead=_("Consultations counted by month, language, topic and municipality for the municipalities you may see."),
    )


def register() -> None:
    home.register_panel("administration", administration_panel, order=900)
    home.register_panel("statistics", statistics_panel, order=800)
