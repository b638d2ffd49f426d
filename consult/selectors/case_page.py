"""Reads for the case page: consultations, follow-ups, changes, links (再相談),
and the timeline that merges them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch
from django.utils.translation import gettext

from accounts.models import User
from core.models import AuditEvent

from ..models import Action, Case, Consultation, FollowUp, Topic


@dataclass
class TimelineEntry:
    at: datetime
    kind: str  # "consultation" | "follow_up" | "change"
    actor: Any
    obj: Any = None  # Consultation, FollowUp or AuditEvent
    event: AuditEvent | None = None  # for "change"
    changes: list[tuple[str, str, str]] | None = None  # (field label, before, after)


# AuditEvent actions shown as "changes" on the timeline; views are in the
# audit trail only, and creations are the consultations/follow-ups themselves.
_TIMELINE_ACTIONS = ("update", "close", "reopen", "merge", "forward")


def case_consultations(case: Case) -> list[Consultation]:
    consultations = list(
        Consultation.objects.filter(case=case)
        .select_related("language", "desk", "created_by")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.select_related("parent").order_by("sort_order")))
        .order_by("-occurred_at", "-id")
    )
    labels = dict(Action.choices)
    for consultation in consultations:
        consultation.action_labels = [labels.get(code, code) for code in consultation.actions]
    return consultations


def case_follow_ups(case: Case) -> list[FollowUp]:
    return list(FollowUp.objects.filter(case=case).select_related("assignee", "created_by").order_by("due_date", "id"))


def case_change_events(case: Case, *, limit: int = 500) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(case=case, action__in=_TIMELINE_ACTIONS)
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )


def case_audit_trail(case: Case, *, limit: int = 200) -> list[AuditEvent]:
    """Everything recorded about the case, newest first (VIEW_AUDIT_TRAIL only)."""
    return list(AuditEvent.objects.filter(case=case).select_related("actor").order_by("-at", "-id")[:limit])


def case_links(case: Case, *, user: User) -> tuple[list[Case], list[Case]]:
    """(earlier cases, later cases) linked to `case` (再相談) that `user` may
    see: a link never reveals a case at a desk outside the viewer's scope."""
    visible = Case.objects.visible_to(user).select_related("client").defer("sensitive_notes")
    earlier = list(visible.filter(later_cases=case).order_by("-opened_at", "-id"))
    later = list(visible.filter(earlier_cases=case).order_by("-opened_at", "-id"))
    return earlier, later


def _field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a key of an older event still shows
        return name


def _value_label(model, name: str, value, users: dict, visible_references: set[str]) -> str:
    if value in (None, ""):
        return "—"
    if name == "earlier_cases" and value not in visible_references:
        return gettext("a case at a desk you cannot see")
    if name == "assignee":
        return str(users.get(value, f"#{value}"))
    if name == "sensitive_notes":
        return gettext("(not shown)")
    if name == "client":
        return gettext("client #%(id)s") % {"id": value}
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    try:
        choices = dict(model._meta.get_field(name).flatchoices)
    except FieldDoesNotExist:
        choices = {}
    return str(choices.get(value, value))


def _changed_values(events: list[AuditEvent], field_name: str) -> set:
    return {
        value
        for event in events
        for field, pair in (event.changes or {}).items()
        if field == field_name and isinstance(pair, list)
        for value in pair
        if value not in (None, "")
    }


def case_timeline(
    *, user: User, consultations: list[Consultation], follow_ups: list[FollowUp], events: list[AuditEvent]
) -> list[TimelineEntry]:
    """Consultations, follow-ups and recorded changes of one case, newest
    first.  At most two extra queries, only when such changes exist: the
    people named in assignee changes, and which linked cases (再相談) the
    viewer may see — a reference at a desk outside their scope is not shown."""
    user_ids = {value for value in _changed_values(events, "assignee") if isinstance(value, int)}
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=user_ids)} if user_ids else {}
    references = {value for value in _changed_values(events, "earlier_cases") if isinstance(value, str)}
    visible_references = (
        set(Case.objects.visible_to(user).filter(reference__in=references).values_list("reference", flat=True))
        if references
        else set()
    )
    follow_up_by_id = {str(f.pk): f for f in follow_ups}
    entries = [TimelineEntry(at=c.occurred_at, kind="consultation", actor=c.created_by, obj=c) for c in consultations]
    entries += [TimelineEntry(at=f.created_at, kind="follow_up", actor=f.created_by, obj=f) for f in follow_ups]
    for event in events:
        model = FollowUp if event.object_type == "consult.followup" else Case
        changes = [
            (
                _field_label(model, field),
                _value_label(model, field, pair[0], users, visible_references),
                _value_label(model, field, pair[1], users, visible_references),
            )
            for field, pair in (event.changes or {}).items()
            if isinstance(pair, list) and len(pair) == 2
        ]
        entries.append(
            TimelineEntry(
                at=event.at,
                kind="change",
                actor=event.actor,
                obj=follow_up_by_id.get(event.object_id) if model is FollowUp else None,
                event=event,
                changes=changes,
            )
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries
