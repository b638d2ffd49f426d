"""Roles and their explicit capabilities (like pretix's Team.can_* flags).

A membership answers `Membership.has(cap)`; a person is asked through
`visibility.user_can(user, cap, municipality=…, desk=…)`.  Adding a role or
capability means editing this table, nothing else.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    COUNTER_STAFF = "counter_staff", pgettext_lazy("role", "Counter staff")
    PARTNER_CLERK = "partner_clerk", pgettext_lazy("role", "Partner clerk")
    COORDINATOR = "coordinator", pgettext_lazy("role", "Coordinator")
    ADMINISTRATOR = "administrator", pgettext_lazy("role", "Administrator")
    STATISTICS_VIEWER = "statistics_viewer", pgettext_lazy("role", "Statistics viewer")


class Capability(models.TextChoices):
    VIEW_CASES = "view_cases", _("See and work on cases")
    LOG_CONSULTATIONS = "log_consultations", _("Log consultations")
    FORWARD_CASES = "forward_cases", _("Forward cases")
    ASSIGN_WORK = "assign_work", _("Assign work to colleagues")
    MERGE_CLIENTS = "merge_clients", _("Merge duplicate clients")
    VIEW_SENSITIVE_NOTES = "view_sensitive_notes", _("See sensitive notes")
    VIEW_AUDIT_TRAIL = "view_audit_trail", _("See the audit trail")
    MANAGE_INTERPRETERS = "manage_interpreters", _("Manage interpreters and bookings")
    OVERRIDE_CONSENT = "override_consent", _("Override missing consent (legal basis recorded)")
    VIEW_STATISTICS = "view_statistics", _("See statistics")
    EXPORT_ANONYMISED = "export_anonymised", _("Export anonymised data")
    EXPORT_PERSONAL_DATA = "export_personal_data", _("Export personal data")
    MANAGE_USERS = "manage_users", _("Manage staff and roles")
    MANAGE_REFERENCE_DATA = "manage_reference_data", _("Manage reference data")
    VIEW_DESKS = "view_desks", _("See desks and colleagues")


C = Capability
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.COUNTER_STAFF: frozenset(
        {C.VIEW_CASES, C.LOG_CONSULTATIONS, C.FORWARD_CASES, C.VIEW_SENSITIVE_NOTES, C.VIEW_DESKS}
    ),
    # Partner clerks hold sensitive notes for their own desk's cases (DESIGN
    # §3): without it, DV or health details end up in ordinary notes.
    Role.PARTNER_CLERK: frozenset(
        {C.VIEW_CASES, C.LOG_CONSULTATIONS, C.FORWARD_CASES, C.VIEW_SENSITIVE_NOTES, C.VIEW_DESKS}
    ),
    Role.COORDINATOR: frozenset(
        {
            C.VIEW_CASES,
            C.LOG_CONSULTATIONS,
            C.FORWARD_CASES,
            C.ASSIGN_WORK,
            C.MERGE_CLIENTS,
            C.VIEW_SENSITIVE_NOTES,
            C.VIEW_AUDIT_TRAIL,
            C.MANAGE_INTERPRETERS,
            C.OVERRIDE_CONSENT,
            C.VIEW_STATISTICS,
            C.EXPORT_ANONYMISED,
            # Personal-data exports (audited, MFA re-authentication) of the
            # cases the coordinator already sees: docs/decisions/0014.
            C.EXPORT_PERSONAL_DATA,
            C.VIEW_DESKS,
        }
    ),
    Role.ADMINISTRATOR: frozenset(
        {
            C.VIEW_STATISTICS,
            C.EXPORT_ANONYMISED,
            C.MANAGE_USERS,
            C.MANAGE_REFERENCE_DATA,
            C.VIEW_AUDIT_TRAIL,
            C.VIEW_DESKS,
        }
    ),
    Role.STATISTICS_VIEWER: frozenset({C.VIEW_STATISTICS}),
}

# Roles whose holders work cases: at the consortium's hub municipality they
# see every desk of the consortium, elsewhere their own municipality's desks.
CASE_ROLES = frozenset(role for role, caps in ROLE_CAPABILITIES.items() if C.VIEW_CASES in caps)
