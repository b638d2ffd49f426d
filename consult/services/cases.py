"""Writes on a case: reference numbers, edits with lost-update protection,
close/reopen, promotion of a quick contact, views recorded, links (再相談)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_log, view_mark_key, view_mark_read, view_mark_set
from core.fiscal import fiscal_year
from municipalities.models import Desk

from ..models import (
    Case,
    CaseCounter,
    CaseOutcome,
    CaseStatus,
    Client,
)
from ._permissions import require_case


class EditConflict(Exception):
    """Somebody saved the case after this editor loaded it."""

    def __init__(self, case: Case):
        super().__init__(f"case {case.pk} changed since it was loaded")
        self.case = case


# --- reference numbers -------------------------------------------------------
def case_next_reference(*, desk: Desk, when: datetime | date | None = None) -> str:
    """KRS-2026-00042: per desk and fiscal year, gap-free under concurrency
    (one atomic upsert; rolled back with the transaction that used it)."""
    year = fiscal_year(when)
    number = CaseCounter.objects.take_numbers(desk=desk, fiscal_year=year)
    return f"{desk.code}-{year}-{number:05d}"


# --- editing cases ------------------------------------------------------------
EDITABLE_CASE_FIELDS = ("title", "status", "outcome", "assignee", "sensitive_notes")


def case_update(*, case: Case, by: User, expected_version: int, changes: dict) -> Case:
    """Save `changes` only if nobody saved the case since `expected_version`
    was read (optimistic locking): a second editor gets EditConflict and
    nothing is silently overwritten."""
    status = _check_case_update(case=case, by=by, changes=changes)
    values = dict(changes)
    if "assignee" in values:
        values["assignee_id"] = values.pop("assignee").pk if values["assignee"] else None
    if status == CaseStatus.CLOSED and case.status != CaseStatus.CLOSED:
        values["closed_at"] = timezone.now()
    elif status != CaseStatus.CLOSED:
        values["closed_at"] = None
    with transaction.atomic():
        updated = Case.objects.filter(pk=case.pk, version=expected_version).update(
            **values, version=F("version") + 1, last_activity_at=timezone.now()
        )
        if updated == 0:
            raise EditConflict(Case.objects.get(pk=case.pk))
        audit_log(
            actor=by,
            action=_status_action(case.status, status),
            obj=case,
            case=case,
            desk=case.handling_desk,
            changes=_diff(case, changes),
        )
    case.refresh_from_db()
    return case


def _check_case_update(*, case: Case, by: User, changes: dict) -> str:
    """Validate an edit and check it against case_access; returns the
    status the case will have."""
    require_case(by, case, "can_edit")
    unknown = set(changes) - set(EDITABLE_CASE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    if "sensitive_notes" in changes:
        require_case(by, case, "can_see_sensitive_notes")
    status = changes.get("status", case.status)
    if (status == CaseStatus.CLOSED) != (case.status == CaseStatus.CLOSED):
        require_case(by, case, "can_close")
    if status == CaseStatus.CLOSED and not changes.get("outcome", case.outcome):
        raise ValidationError({"outcome": _("A closed case needs an outcome.")})
    return status


def _diff(case: Case, changes: dict) -> dict:
    diff = {
        name: [_plain(getattr(case, name)), _plain(changes[name])]
        for name in changes
        if name != "sensitive_notes" and _plain(getattr(case, name)) != _plain(changes[name])
    }
    if "sensitive_notes" in changes and changes["sensitive_notes"] != case.sensitive_notes:
        diff["sensitive_notes"] = ["…", "…"]  # never copy sensitive text into the trail
    return diff


def _status_action(before: str, after: str) -> str:
    if after == CaseStatus.CLOSED and before != CaseStatus.CLOSED:
        return "close"
    if after != CaseStatus.CLOSED and before == CaseStatus.CLOSED:
        return "reopen"
    return "update"


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    return value


def case_close(*, case: Case, by: User, outcome: str, expected_version: int) -> Case:
    if outcome not in CaseOutcome.values:
        raise ValidationError({"outcome": _("Choose how the case ended.")})
    return case_update(
        case=case,
        by=by,
        expected_version=expected_version,
        changes={"status": CaseStatus.CLOSED, "outcome": outcome},
    )


def case_promote(*, case: Case, by: User, client: Client) -> Case:
    """A quick contact becomes a full case with a client."""
    require_case(by, case, "can_log_consultation")
    from .clients import client_lock_live

    with transaction.atomic():
        client_lock_live(client, by=by)
        # Conditional: of two people promoting the same quick contact at
        # once, one wins and the other is told, instead of the second
        # silently re-pointing the case at another client.
        promoted = Case.objects.filter(pk=case.pk, is_quick_contact=True).update(
            client=client, is_quick_contact=False, version=F("version") + 1, last_activity_at=timezone.now()
        )
        if not promoted:
            raise ValidationError(_("This contact has already been made a full case."))
        audit_log(
            actor=by,
            action="update",
            obj=case,
            case=case,
            desk=case.handling_desk,
            summary="promoted to a full case",
            changes={"client": [None, client.pk], "is_quick_contact": [True, False]},
        )
    case.refresh_from_db()
    return case


# --- the case page: views and links (再相談) ------------------------------------
VIEW_AUDIT_THROTTLE = timedelta(minutes=5)


def _view_mark_key(case: Case, by: User) -> str:
    return view_mark_key(by, "consult.case-page", [str(case.pk)])


def case_record_view(*, case: Case, by: User, throttle: timedelta = VIEW_AUDIT_THROTTLE):
    """Record that `by` opened the case page (DESIGN §8: who viewed personal data).

    Throttled: a reload by the same person within `throttle` of their last
    recorded view adds nothing, so the trail shows visits, not refreshes.
    The trail decides (index audit_case_at_idx), across processes.  To spare
    a reload that read (issue 13), a mark in the shared cache (Redis) says
    "this person's view of this case is in the trail, recorded at T" until
    T + throttle.  It is set only for an event that is in the trail: one
    found there at once, one written here once its transaction commits (a
    rolled-back view leaves no mark).  No mark (a first visit, an expired
    or lost key, no cache): the trail is read as before.  Returns the new
    event, or None."""
    from core.models import AuditEvent

    if not getattr(by, "is_authenticated", False):
        return None
    key = _view_mark_key(case, by)
    now = timezone.now()
    marked_at = view_mark_read(key)
    if marked_at is not None and now.timestamp() - marked_at < throttle.total_seconds():
        return None
    last = (
        AuditEvent.objects.filter(case=case, actor=by, action=AuditEvent.Action.VIEW, at__gte=now - throttle)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if last is not None:
        view_mark_set(key, last, throttle)
        return None
    event = audit_log(actor=by, action="view", obj=case, case=case, desk=case.handling_desk)
    transaction.on_commit(lambda: view_mark_set(key, event.at, throttle))
    return event


def case_link_earlier(*, case: Case, earlier: Case, by: User) -> Case:
    """Link `earlier` to `case` as an earlier matter of the same person (再相談)."""
    require_case(by, case, "can_edit")
    require_case(by, earlier, "can_see_details")
    if earlier.pk == case.pk:
        raise ValidationError(_("A case cannot be linked to itself."))
    if earlier.opened_at > case.opened_at:
        raise ValidationError(_("Only a case opened before this one can be linked as a related case."))
    with transaction.atomic():
        # Lock the case first, then decide "already linked": two identical
        # requests at once must not both pass the check and log twice.
        Case.objects.select_for_update(no_key=True).filter(pk=case.pk).values_list("pk").first()
        if case.earlier_cases.filter(pk=earlier.pk).exists():
            raise ValidationError(_("These cases are already linked."))
        case.earlier_cases.add(earlier)
        Case.objects.filter(pk=case.pk).update(last_activity_at=timezone.now())
        audit_log(
            actor=by,
            action="update",
            obj=case,
            case=case,
            desk=case.handling_desk,
            changes={"earlier_cases": [None, earlier.reference]},
        )
    return case


def case_unlink_earlier(*, case: Case, earlier: Case, by: User) -> Case:
    """Remove the link to `earlier`.  A removal that removed nothing (no
    such link, or a concurrent request removed it first) writes nothing to
    the audit trail: the trail records changes that happened."""
    require_case(by, case, "can_edit")
    with transaction.atomic():
        through = Case.earlier_cases.through
        source, target = Case.earlier_cases.field.m2m_field_name(), Case.earlier_cases.field.m2m_reverse_field_name()
        removed, _counts = through.objects.filter(**{source: case.pk, target: earlier.pk}).delete()
        if removed:
            audit_log(
                actor=by,
                action="update",
                obj=case,
                case=case,
                desk=case.handling_desk,
                changes={"earlier_cases": [earlier.reference, None]},
            )
    return case
