"""Logging a consultation (相談受付): into an existing case or a new one,
with a new client registered in the same transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_log
from municipalities.models import Desk
from municipalities.roles import Capability

from ..models import (
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
from ..models.consultations import client_snapshot
from ._permissions import require_at_desk, require_case
from .cases import case_next_reference
from .clients import _client_build, client_lock_live


@dataclass(frozen=True)
class FollowUpRequest:
    due_date: date
    note: str
    assignee_id: int | None = None


def consultation_log(
    *,
    by: User,
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
    _check_consultation(
        by=by, desk=desk, case=case, client=client, new_client=new_client, sensitive_notes=sensitive_notes
    )
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
                audit_log(actor=by, action="create", obj=new_client_obj, desk=desk)
                client = new_client_obj
            elif client is not None:
                client_lock_live(client, by=by)
            created_case = case is None
            if created_case:
                case = _case_open(
                    by=by,
                    desk=desk,
                    client=client,
                    outcome=outcome,
                    occurred_at=occurred_at,
                    quick=quick,
                    sensitive_notes=sensitive_notes,
                    title=topics[0].name[:200],
                )
            else:
                Case.objects.filter(pk=case.pk).update(
                    **_case_updates(case, outcome=outcome, occurred_at=occurred_at, sensitive_notes=sensitive_notes)
                )
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
                outcome=outcome,
                **client_snapshot(case.client if case.client_id else None),
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


def _check_consultation(
    *, by: User, desk: Desk, case: Case | None, client: Client | None, new_client: dict | None, sensitive_notes: str
) -> None:
    require_at_desk(by, Capability.LOG_CONSULTATIONS, desk)
    if case is not None:
        require_case(by, case, "can_log_consultation")
    if new_client is not None and (client is not None or case is not None):
        raise ValueError("new_client is for a new case without a client")
    # A posted client is checked (visible, not merged away) inside the
    # transaction, under a lock: consultation_log → client_lock_live.
    if sensitive_notes:
        # 要配慮個人情報 has its own permission; a forged form field must not bypass it.
        if case is not None:
            require_case(by, case, "can_see_sensitive_notes")
        else:
            require_at_desk(by, Capability.VIEW_SENSITIVE_NOTES, desk)


def _case_open(
    *,
    by: User,
    desk: Desk,
    client: Client | None,
    outcome: str,
    occurred_at: datetime,
    quick: bool,
    sensitive_notes: str,
    title: str,
) -> Case:
    resolved = outcome == CaseOutcome.RESOLVED
    return Case.objects.create(
        reference=case_next_reference(desk=desk, when=occurred_at),
        handling_desk=desk,
        client=client,
        status=CaseStatus.CLOSED if resolved else CaseStatus.OPEN,
        outcome=outcome,
        closed_at=occurred_at if resolved else None,
        is_quick_contact=quick,
        sensitive_notes=sensitive_notes,
        title=title,
        assignee=by,
        opened_at=occurred_at,
        last_activity_at=occurred_at,
        created_by=by,
    )


def _case_updates(case: Case, *, outcome: str, occurred_at: datetime, sensitive_notes: str) -> dict:
    """What another consultation changes on its case: the latest activity,
    the outcome if one was chosen (resolved closes; anything else reopens a
    closed case), appended sensitive notes."""
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
    return updates
