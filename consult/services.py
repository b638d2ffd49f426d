"""Writes for consultations, cases, clients and follow-ups.

Every function validates, writes inside one transaction, records the audit
trail and (later) enqueues work with transaction.on_commit.  Views call
exactly one of these."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.fiscal import fiscal_year
from municipalities.models import Desk
from municipalities.roles import Capability
from municipalities.visibility import user_can

from .models import (
    Case,
    CaseOutcome,
    CaseStatus,
    Client,
    Consultation,
    ConsultationTopic,
    FollowUp,
    Language,
    Topic,
)


class EditConflict(Exception):
    """Somebody saved the case after this editor loaded it."""

    def __init__(self, case: Case):
        super().__init__(f"case {case.pk} changed since it was loaded")
        self.case = case


def _require(user, capability: str, desk: Desk) -> None:
    if not user_can(user, capability, desk=desk):
        raise PermissionDenied


def _require_client_visible(user, client: Client | None) -> None:
    """A posted client id must be one the user may see (forms can be forged)."""
    if client is not None and not Client.objects.visible_to(user).filter(pk=client.pk).exists():
        raise PermissionDenied


# --- reference numbers -------------------------------------------------------
def case_next_reference(*, desk: Desk, when: datetime | date | None = None) -> str:
    """KRS-2026-00042: per desk and fiscal year, gap-free under concurrency
    (one atomic upsert; rolled back with the transaction that used it)."""
    year = fiscal_year(when)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO consult_casecounter (desk_id, fiscal_year, last_number)
            VALUES (%s, %s, 1)
            ON CONFLICT (desk_id, fiscal_year)
            DO UPDATE SET last_number = consult_casecounter.last_number + 1
            RETURNING last_number
            """,
            [desk.pk, year],
        )
        (number,) = cursor.fetchone()
    return f"{desk.code}-{year}-{number:05d}"


# --- intake ----------------------------------------------------------------
@dataclass(frozen=True)
class FollowUpRequest:
    due_date: date
    note: str
    assignee_id: int | None = None


def consultation_log(
    *,
    by,
    desk: Desk,
    channel: str,
    language: Language,
    topics: list[Topic],
    intake_token: uuid.UUID,
    interpretation_mode: str = "none",
    occurred_at: datetime | None = None,
    minutes: int | None = None,
    notes: str = "",
    actions: list[str] | None = None,
    case: Case | None = None,
    client: Client | None = None,
    outcome: str = "",
    follow_up: FollowUpRequest | None = None,
    sensitive_notes: str = "",
    quick: bool = False,
    new_client: dict | None = None,
    request=None,
) -> Consultation:
    """Log one contact: into `case` (再相談) or a new case.

    `new_client` (fields of CLIENT_FIELDS) registers the person at `desk` in
    the same transaction, so the client exists only if the consultation does.

    Idempotent on `intake_token` (a hidden field of the intake form): a
    double click or a resubmitted form returns the consultation already
    saved instead of creating a second case (or a second client).  The
    unique index on the token decides (see the IntegrityError handler
    below) instead of a look-up first: that saves a query on every intake
    (budget: 15 per POST) and costs a rolled-back transaction only on the
    rare resubmission."""
    _require(by, Capability.LOG_CONSULTATIONS, desk)
    if case is not None:
        _require(by, Capability.LOG_CONSULTATIONS, case.handling_desk)
    if new_client is not None and (client is not None or case is not None):
        raise ValueError("new_client is for a new case without a client")
    _require_client_visible(by, client)
    if sensitive_notes:
        # 要配慮個人情報 has its own permission; a forged form field must not bypass it.
        _require(by, Capability.VIEW_SENSITIVE_NOTES, case.handling_desk if case is not None else desk)
    if not topics:
        raise ValidationError(_("Choose at least one topic."))
    if outcome and outcome not in CaseOutcome.values:
        raise ValidationError(_("Unknown outcome."))
    new_client_obj = _client_build(desk=desk, data=new_client) if new_client is not None else None
    occurred_at = occurred_at or timezone.now()
    try:
        with transaction.atomic():
            if new_client_obj is not None:
                new_client_obj.save()
                audit_log(actor=by, action="create", obj=new_client_obj, desk=desk, request=request)
                client = new_client_obj
            created_case = case is None
            if created_case:
                case = Case.objects.create(
                    reference=case_next_reference(desk=desk, when=occurred_at),
                    handling_desk=desk,
                    client=client,
                    status=CaseStatus.CLOSED if outcome == CaseOutcome.RESOLVED else CaseStatus.OPEN,
                    outcome=outcome,
                    closed_at=occurred_at if outcome == CaseOutcome.RESOLVED else None,
                    is_quick_contact=quick,
                    sensitive_notes=sensitive_notes,
                    title=topics[0].name[:200],
                    assignee=by,
                    opened_at=occurred_at,
                    last_activity_at=occurred_at,
                    created_by=by,
                )
            else:
                updates = {"last_activity_at": max(case.last_activity_at, occurred_at), "version": F("version") + 1}
                if outcome:
                    updates["outcome"] = outcome
                    if outcome == CaseOutcome.RESOLVED:
                        updates.update(status=CaseStatus.CLOSED, closed_at=occurred_at)
                    elif case.status == CaseStatus.CLOSED:
                        updates.update(status=CaseStatus.IN_PROGRESS, closed_at=None)
                elif case.status == CaseStatus.CLOSED:
                    updates.update(status=CaseStatus.IN_PROGRESS, closed_at=None, outcome=CaseOutcome.CONTINUING)
                if sensitive_notes:
                    updates["sensitive_notes"] = (
                        f"{case.sensitive_notes}\n\n{sensitive_notes}" if case.sensitive_notes else sensitive_notes
                    )
                Case.objects.filter(pk=case.pk).update(**updates)
            consultation = Consultation.objects.create(
                case=case,
                desk=desk,
                occurred_at=occurred_at,
                channel=channel,
                language=language,
                interpretation_mode=interpretation_mode,
                minutes=minutes,
                notes=notes,
                actions=list(actions or []),
                intake_token=intake_token,
                created_by=by,
            )
            ConsultationTopic.objects.bulk_create(
                [ConsultationTopic(consultation=consultation, topic=topic) for topic in dict.fromkeys(topics)]
            )
            if follow_up is not None:
                FollowUp.objects.create(
                    case=case,
                    due_date=follow_up.due_date,
                    note=follow_up.note,
                    assignee_id=follow_up.assignee_id or by.pk,
                    created_by=by,
                )
            audit_log(
                actor=by,
                action="create",
                obj=consultation,
                case=case,
                desk=desk,
                summary=("new case" if created_case else "consultation added"),
                request=request,
            )
    except IntegrityError:
        # The same form was submitted before (or concurrently): the unique
        # intake token let exactly one of them in, and everything this call
        # wrote (case, client, reference number) was rolled back.
        existing = Consultation.objects.filter(intake_token=intake_token).select_related("case").first()
        if existing is None:
            raise
        return existing
    return consultation


# --- editing cases ------------------------------------------------------------
EDITABLE_CASE_FIELDS = ("title", "status", "outcome", "assignee", "sensitive_notes")


def case_update(*, case: Case, by, expected_version: int, changes: dict, request=None) -> Case:
    """Save `changes` only if nobody saved the case since `expected_version`
    was read (optimistic locking): a second editor gets EditConflict and
    nothing is silently overwritten."""
    _require(by, Capability.VIEW_CASES, case.handling_desk)
    unknown = set(changes) - set(EDITABLE_CASE_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    if "sensitive_notes" in changes:
        _require(by, Capability.VIEW_SENSITIVE_NOTES, case.handling_desk)
    status = changes.get("status", case.status)
    outcome = changes.get("outcome", case.outcome)
    if status == CaseStatus.CLOSED and not outcome:
        raise ValidationError({"outcome": _("A closed case needs an outcome.")})
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
        diff = {
            name: [_plain(getattr(case, name)), _plain(changes[name])]
            for name in changes
            if name != "sensitive_notes" and _plain(getattr(case, name)) != _plain(changes[name])
        }
        if "sensitive_notes" in changes and changes["sensitive_notes"] != case.sensitive_notes:
            diff["sensitive_notes"] = ["…", "…"]  # never copy sensitive text into the trail
        action = "update"
        if status == CaseStatus.CLOSED and case.status != CaseStatus.CLOSED:
            action = "close"
        elif status != CaseStatus.CLOSED and case.status == CaseStatus.CLOSED:
            action = "reopen"
        audit_log(actor=by, action=action, obj=case, case=case, desk=case.handling_desk, changes=diff, request=request)
    case.refresh_from_db()
    return case


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    return value


def case_close(*, case: Case, by, outcome: str, expected_version: int, request=None) -> Case:
    if outcome not in CaseOutcome.values:
        raise ValidationError({"outcome": _("Choose how the case ended.")})
    return case_update(
        case=case,
        by=by,
        expected_version=expected_version,
        changes={"status": CaseStatus.CLOSED, "outcome": outcome},
        request=request,
    )


def case_promote(*, case: Case, by, client: Client, request=None) -> Case:
    """A quick contact becomes a full case with a client."""
    _require(by, Capability.LOG_CONSULTATIONS, case.handling_desk)
    _require_client_visible(by, client)
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(
            client=client, is_quick_contact=False, version=F("version") + 1, last_activity_at=timezone.now()
        )
        audit_log(
            actor=by,
            action="update",
            obj=case,
            case=case,
            desk=case.handling_desk,
            summary="promoted to a full case",
            changes={"client": [None, client.pk], "is_quick_contact": [True, False]},
            request=request,
        )
    case.refresh_from_db()
    return case


# --- follow-ups ----------------------------------------------------------------
def follow_up_create(*, case: Case, by, due_date: date, note: str, assignee=None, request=None) -> FollowUp:
    _require(by, Capability.VIEW_CASES, case.handling_desk)
    with transaction.atomic():
        follow_up = FollowUp.objects.create(
            case=case, due_date=due_date, note=note, assignee=assignee or by, created_by=by
        )
        Case.objects.filter(pk=case.pk).update(last_activity_at=timezone.now())
        audit_log(
            actor=by,
            action="create",
            obj=follow_up,
            case=case,
            desk=case.handling_desk,
            changes={"due_date": due_date.isoformat()},
            request=request,
        )
    return follow_up


def follow_up_set_status(*, follow_up: FollowUp, by, status: str, request=None) -> FollowUp:
    _require(by, Capability.VIEW_CASES, follow_up.case.handling_desk)
    if status not in (FollowUp.Status.DONE, FollowUp.Status.CANCELLED, FollowUp.Status.OPEN):
        raise ValidationError(_("Unknown follow-up status."))
    with transaction.atomic():
        before = follow_up.status
        follow_up.status = status
        follow_up.completed_at = timezone.now() if status != FollowUp.Status.OPEN else None
        follow_up.save(update_fields=["status", "completed_at"])
        audit_log(
            actor=by,
            action="update",
            obj=follow_up,
            case=follow_up.case,
            desk=follow_up.case.handling_desk,
            changes={"status": [before, status]},
            request=request,
        )
    return follow_up


# --- clients -------------------------------------------------------------------
CLIENT_FIELDS = (
    "name",
    "name_kana",
    "name_latin",
    "birth_year",
    "nationality",
    "preferred_language",
    "residence_status",
    "period_of_stay_expiry",
    "residence_municipality",
    "lives_outside_area",
    "residence_note",
    "age_band",
    "gender",
    "client_type",
    "phone",
    "email",
)


_CLIENT_RELATED_FIELDS = ("preferred_language", "residence_status", "residence_municipality")


def _client_build(*, desk: Desk, data: dict) -> Client:
    """A validated, unsaved client registered at `desk`.

    Related objects handed over as loaded instances are not looked up again,
    and the birth-year check constraint is tested here in Python rather than
    by one query per constraint: the intake POST has a budget of 15 queries.
    The database enforces both anyway."""
    client = Client(registered_desk=desk, **{k: v for k, v in data.items() if k in CLIENT_FIELDS})
    loaded = [name for name in _CLIENT_RELATED_FIELDS if isinstance(data.get(name), Model) and data[name].pk]
    client.full_clean(exclude=["registered_desk", *loaded], validate_constraints=False)
    if client.birth_year is not None and not 1900 <= client.birth_year <= 2100:
        raise ValidationError({"birth_year": _("Enter a year between 1900 and 2100.")})
    return client


def client_create(*, by, desk: Desk, data: dict, request=None) -> Client:
    _require(by, Capability.LOG_CONSULTATIONS, desk)
    client = _client_build(desk=desk, data=data)
    with transaction.atomic():
        client.save()
        audit_log(actor=by, action="create", obj=client, desk=desk, request=request)
    return client


def client_merge(*, keep: Client, merge: Client, by, request=None) -> Client:
    """Merge a duplicate into `keep`: every case follows, blank fields of
    `keep` are filled from the duplicate, and the duplicate stays as a
    tombstone pointing at `keep` (links and the audit trail still resolve)."""
    if keep.pk == merge.pk:
        raise ValidationError(_("A client cannot be merged with itself."))
    if keep.merged_into_id or merge.merged_into_id:
        raise ValidationError(_("One of these clients has already been merged."))
    _require(by, Capability.MERGE_CLIENTS, keep.registered_desk)
    _require(by, Capability.MERGE_CLIENTS, merge.registered_desk)
    with transaction.atomic():
        locked = {c.pk: c for c in Client.objects.select_for_update().filter(pk__in=[keep.pk, merge.pk])}
        keep, merge = locked[keep.pk], locked[merge.pk]
        filled = []
        for field in CLIENT_FIELDS:
            if getattr(keep, field) in ("", None, False) and getattr(merge, field) not in ("", None, False):
                setattr(keep, field, getattr(merge, field))
                filled.append(field)
        keep.save()
        moved = list(Case.objects.filter(client=merge).values_list("pk", flat=True))
        Case.objects.filter(pk__in=moved).update(client=keep, version=F("version") + 1)
        merge.merged_into = keep
        merge.save(update_fields=["merged_into", "updated_at"])
        audit_log(
            actor=by,
            action="merge",
            obj=keep,
            desk=keep.registered_desk,
            summary=f"client {merge.pk} merged into {keep.pk}",
            changes={"merged_client": merge.pk, "cases_moved": moved, "fields_filled": filled},
            request=request,
        )
    return keep


def client_find_matches(
    *,
    user,
    name: str = "",
    name_kana: str = "",
    name_latin: str = "",
    birth_year=None,
    nationality: str = "",
    limit: int = 5,
) -> list[tuple[Client, int]]:
    """Likely duplicates among the clients `user` may see, best first, with a
    score: a name hit in any script or order counts most, then birth year
    and nationality agreeing."""
    from . import names

    candidates: dict[int, Client] = {}
    for value in (name, name_kana, name_latin):
        if not names.query_tokens(value):
            continue
        for client in Client.objects.visible_to(user).search(value)[:20]:
            candidates[client.pk] = client
    scored = []
    for client in candidates.values():
        score = 50
        if birth_year and client.birth_year:
            score += 30 if int(birth_year) == client.birth_year else -30
        if nationality and client.nationality:
            score += 20 if nationality.upper() == client.nationality else -20
        scored.append((client, score))
    scored.sort(key=lambda pair: (-pair[1], pair[0].pk))
    return scored[:limit]


# --- the case page: views and links (再相談) ------------------------------------
VIEW_AUDIT_THROTTLE = timedelta(minutes=5)


def case_record_view(*, case: Case, by, request=None, throttle: timedelta = VIEW_AUDIT_THROTTLE):
    """Record that `by` opened the case page (DESIGN §8: who viewed personal data).

    Throttled: a reload by the same person within `throttle` of their last
    recorded view adds nothing, so the trail shows visits, not refreshes.
    The check reads the trail itself (index audit_case_at_idx), not a cache,
    so it holds across processes.  Returns the new event, or None."""
    from core.models import AuditEvent

    if not getattr(by, "is_authenticated", False):
        return None
    recent = AuditEvent.objects.filter(
        case=case, actor=by, action=AuditEvent.Action.VIEW, at__gte=timezone.now() - throttle
    )
    if recent.exists():
        return None
    return audit_log(actor=by, action="view", obj=case, case=case, desk=case.handling_desk, request=request)


def case_link_earlier(*, case: Case, earlier: Case, by, request=None) -> Case:
    """Link `earlier` to `case` as an earlier matter of the same person (再相談)."""
    _require(by, Capability.VIEW_CASES, case.handling_desk)
    _require(by, Capability.VIEW_CASES, earlier.handling_desk)
    if earlier.pk == case.pk:
        raise ValidationError(_("A case cannot be linked to itself."))
    if earlier.opened_at > case.opened_at:
        raise ValidationError(_("Only a case opened before this one can be linked as an earlier case."))
    if case.earlier_cases.filter(pk=earlier.pk).exists():
        raise ValidationError(_("These cases are already linked."))
    with transaction.atomic():
        case.earlier_cases.add(earlier)
        Case.objects.filter(pk=case.pk).update(last_activity_at=timezone.now())
        audit_log(
            actor=by,
            action="update",
            obj=case,
            case=case,
            desk=case.handling_desk,
            changes={"earlier_cases": [None, earlier.reference]},
            request=request,
        )
    return case


def case_unlink_earlier(*, case: Case, earlier: Case, by, request=None) -> Case:
    _require(by, Capability.VIEW_CASES, case.handling_desk)
    with transaction.atomic():
        case.earlier_cases.remove(earlier)
        audit_log(
            actor=by,
            action="update",
            obj=case,
            case=case,
            desk=case.handling_desk,
            changes={"earlier_cases": [earlier.reference, None]},
            request=request,
        )
    return case
