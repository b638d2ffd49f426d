"""Follow-ups (フォローアップ): create and change status."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_log

from ..models import (
    Case,
    FollowUp,
)
from ._permissions import require_case


def follow_up_create(*, case: Case, by: User, due_date: date, note: str, assignee: User | None = None) -> FollowUp:
    require_case(by, case, "can_edit")
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
        )
    return follow_up


def follow_up_set_status(*, follow_up: FollowUp, by: User, status: str) -> FollowUp:
    require_case(by, follow_up.case, "can_edit")
    if status not in (FollowUp.Status.DONE, FollowUp.Status.CANCELLED, FollowUp.Status.OPEN):
        raise ValidationError(_("Unknown follow-up status."))
    with transaction.atomic():
        # The status "before" is read under the row lock, so two people
        # closing the same follow-up at once log what really changed.
        before = FollowUp.objects.select_for_update().values_list("status", flat=True).get(pk=follow_up.pk)
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
        )
    return follow_up
