"""Writes of the consult app, one module per feature (CONVENTIONS "Where
logic lives"): ``intake`` (consultation_log), ``cases`` (edit, close,
promote, links, recorded views, reference numbers), ``follow_ups``,
``clients`` (create, merge).

Every function validates, checks ``case_access`` (consult/access.py), writes
inside one transaction and records the audit trail.  The names are
re-exported here because the demo data, the benchmark and many tests call
``consult.services.<name>``; product code imports from the modules."""

from .cases import (
    EDITABLE_CASE_FIELDS,
    VIEW_AUDIT_THROTTLE,
    EditConflict,
    case_close,
    case_link_earlier,
    case_next_reference,
    case_promote,
    case_record_view,
    case_unlink_earlier,
    case_update,
)
from .clients import CLIENT_FIELDS, client_create, client_merge
from .follow_ups import follow_up_create, follow_up_set_status
from .intake import FollowUpRequest, consultation_log

__all__ = [
    "CLIENT_FIELDS",
    "EDITABLE_CASE_FIELDS",
    "VIEW_AUDIT_THROTTLE",
    "EditConflict",
    "FollowUpRequest",
    "case_close",
    "case_link_earlier",
    "case_next_reference",
    "case_promote",
    "case_record_view",
    "case_unlink_earlier",
    "case_update",
    "client_create",
    "client_merge",
    "consultation_log",
    "follow_up_create",
    "follow_up_set_status",
]
