"""Reads for the case page: consultations, follow-ups, changes, links (再相談),
and the timeline that merges them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Exists, Expression, OuterRef, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext

from accounts.models import User
from core.models import AuditEvent

from .. import timeline
from ..models import Action, Case, Client, Consent, Consultation, ConsultationTopic, FollowUp, HandOff, Topic
from ..reference_cache import reference_by_pk


@dataclass
class TimelineEntry:
    at: datetime
    kind: str  # "consultation" | "follow_up" | "change" | "handoff", or a registered source's kind
    actor: Any
    obj: Any = None  # Consultation, FollowUp or AuditEvent
    event: AuditEvent | None = None  # for "change"
    changes: list[tuple[str, str, str]] | None = None  # (field label, before, after)
    template: str | None = None  # entries from consult.timeline sources render themselves


# AuditEvent actions shown as "changes" on the timeline; views are in the
# audit trail only, and creations are the consultations/follow-ups themselves.
_TIMELINE_ACTIONS = ("update", "close", "reopen", "merge", "forward")


# --- what the case has, read with the case (issue 13) -------------------------
# Most cases have no hand-off, no link (再相談), no interpreter booking and
# often no follow-up, yet the page asked for each: a query apiece, most of
# whose cost is building it in Python.  The case page reads the case with
# these flags (one EXISTS each, an index probe) and skips the read of what
# is known to be absent; any other caller, which has no flag, reads as
# before.
_PRESENCE_PREFIX = "present_"
# …and the one thing the page shows of the client's consent.
_CONSENT_READ = "current_consent_withdrawn_on"


def page_presence() -> dict[str, Expression]:
    """Annotations for `get_case_for_user(annotate=…)` on the case page:
    the presence flags and the current consent's withdrawal day."""
    through = Case.earlier_cases.through
    flags = {
        "handoffs": Exists(HandOff.objects.filter(case_id=OuterRef("pk"))),
        "follow_ups": Exists(FollowUp.objects.filter(case_id=OuterRef("pk"))),
        "earlier_links": Exists(through.objects.filter(from_case_id=OuterRef("pk"))),
        "later_links": Exists(through.objects.filter(to_case_id=OuterRef("pk"))),
        **timeline.presence_expressions(),
    }
    return {
        **{_PRESENCE_PREFIX + name: expression for name, expression in flags.items()},
        _CONSENT_READ: Subquery(_withdrawn_on_of_current_consent(OuterRef("client_id"))[:1]),
    }


def is_absent(case: Case, name: str) -> bool:
    """True only when `case` was read with `page_presence()` and has none of `name`."""
    return getattr(case, _PRESENCE_PREFIX + name, True) is False


def case_consultations(case: Case) -> list[Consultation]:
    """The case's consultations, newest first, each with `topic_list` (its
    topics by sort order) and `action_labels`.  One query (issue 13): the
    topic ids come with each row as an array; the topics themselves from
    the per-process reference cache (consult.reference_cache), and only a
    topic no longer active is read, once for all of them."""
    topic_ids = (
        ConsultationTopic.objects.filter(consultation_id=OuterRef("pk"))
        .order_by("topic__sort_order", "topic_id")
        .values("topic_id")
    )
    consultations = list(
        Consultation.objects.filter(case=case)
        .select_related("language", "desk", "created_by")
        .annotate(topic_ids=ArraySubquery(topic_ids))
        .order_by("-occurred_at", "-id")
    )
    active = reference_by_pk("topics")
    missing = {pk for consultation in consultations for pk in consultation.topic_ids if pk not in active}
    retired = {t.pk: t for t in Topic.objects.filter(pk__in=missing).select_related("parent")} if missing else {}
    labels = dict(Action.choices)
    for consultation in consultations:
        consultation.topic_list = [active.get(pk) or retired[pk] for pk in consultation.topic_ids]
        consultation.action_labels = [labels.get(code, code) for code in consultation.actions]
    return consultations


def case_follow_ups(case: Case) -> list[FollowUp]:
    if is_absent(case, "follow_ups"):
        return []
    return list(FollowUp.objects.filter(case=case).select_related("assignee", "created_by").order_by("due_date", "id"))


def case_change_events(case: Case, *, limit: int = 500) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(case=case, action__in=_TIMELINE_ACTIONS)
        .exclude(object_type__in=timeline.object_types_shown_by_sources())
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )


def case_audit_trail(case: Case, *, limit: int = 200) -> list[AuditEvent]:
    """Everything recorded about the case, newest first (VIEW_AUDIT_TRAIL only)."""
    return list(AuditEvent.objects.filter(case=case).select_related("actor").order_by("-at", "-id")[:limit])


def case_links(case: Case, *, user: User) -> tuple[list[Case], list[Case]]:
    """(earlier cases, later cases) linked to `case` (再相談) that `user` may
    see: a link never reveals a case at a desk outside the viewer's scope."""
    # Both directions in one query (issue 13): a row of the link table
    # (from_case → to_case) says "to_case is an earlier case of from_case".
    # The linked ids come from a UNION on the link table's two indexes; an OR
    # of the two EXISTS made PostgreSQL test every visible case (0.5 s at 1M).
    if is_absent(case, "earlier_links") and is_absent(case, "later_links"):
        return [], []
    through = Case.earlier_cases.through
    links = through.objects
    table = through._meta.db_table
    linked_ids = RawSQL(  # noqa: S611 - %s parameters; the table name is the model's own
        f"SELECT to_case_id FROM {table} WHERE from_case_id = %s "  # noqa: S608 - the model's own table name
        f"UNION SELECT from_case_id FROM {table} WHERE to_case_id = %s",
        [case.pk, case.pk],
    )
    linked = list(
        Case.objects.visible_to(user)
        .filter(pk__in=linked_ids)
        .annotate(
            is_earlier=Exists(links.filter(from_case_id=case.pk, to_case_id=OuterRef("pk"))),
            is_later=Exists(links.filter(from_case_id=OuterRef("pk"), to_case_id=case.pk)),
        )
        .select_related("client")
        .defer("sensitive_notes")
        .order_by("-opened_at", "-id")
    )
    return [c for c in linked if c.is_earlier], [c for c in linked if c.is_later]


def _withdrawn_on_of_current_consent(client_id) -> QuerySet:
    return (
        Consent.objects.current()
        .filter(client_id=client_id)
        .order_by("-recorded_at", "-id")
        .values_list("withdrawn_on", flat=True)
    )


def case_consent_withdrawn_on(case: Case) -> date | None:
    """The day the client withdrew their current consent (None: no client,
    no consent, or a consent in force) — all the case page shows of it, in
    one query (issue 13; the consent with its municipalities and
    organisations took three), or none when the case was read with it
    (`page_presence`)."""
    if case.client_id is None:
        return None
    if _CONSENT_READ in case.__dict__:
        return case.__dict__[_CONSENT_READ]
    return _withdrawn_on_of_current_consent(case.client_id).first()


def _field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a key of an older event still shows
        return name


def _value_label(
    model, name: str, value, users: dict, visible_references: set[str], clients: dict | None = None
) -> str:
    if value in (None, ""):
        return "—"
    if name == "earlier_cases" and value not in visible_references:
        return gettext("a case at a desk you cannot see")
    if name == "assignee":
        return str(users.get(value, f"#{value}"))
    if name == "sensitive_notes":
        return gettext("(not shown)")
    if name == "client":
        # A name, never an internal id; a client the viewer may not see stays unnamed.
        client = (clients or {}).get(value)
        return client.display_name if client is not None else gettext("a client you cannot see")
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
    *,
    user: User,
    consultations: list[Consultation],
    follow_ups: list[FollowUp],
    events: list[AuditEvent],
    case: Case | None = None,
    linked_cases: Iterable[Case] = (),
    handoffs: Iterable[HandOff] = (),
) -> list[TimelineEntry]:
    """Consultations, follow-ups and recorded changes of one case, newest
    first, with the entries of the sources registered in consult.timeline
    (e.g. interpreter bookings) when `case` is given.  At most three extra
    queries, only when such changes exist: the people named in assignee
    changes, the clients named in client changes (by name, never by id), and
    which linked cases (再相談) the viewer may see — a reference at a desk
    outside their scope is not shown.  `linked_cases`: the case's links
    already read through the same scope (`case_links`), whose references
    need no query; `handoffs`: the case's hand-offs the viewer may see, read
    already (`handoffs.case_handoffs`), likewise."""
    user_ids = {value for value in _changed_values(events, "assignee") if isinstance(value, int)}
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=user_ids)} if user_ids else {}
    references = {value for value in _changed_values(events, "earlier_cases") if isinstance(value, str)}
    visible_references = {c.reference for c in linked_cases} & references
    if references - visible_references:
        visible_references |= set(
            Case.objects.visible_to(user)
            .filter(reference__in=references - visible_references)
            .values_list("reference", flat=True)
        )
    client_ids = {value for value in _changed_values(events, "client") if isinstance(value, int)}
    clients = {c.pk: c for c in Client.objects.visible_to(user).filter(pk__in=client_ids)} if client_ids else {}
    follow_up_by_id = {str(f.pk): f for f in follow_ups}
    handoff_ids = {int(e.object_id) for e in events if e.object_type == "consult.handoff" and e.object_id.isdigit()}
    handoff_by_id = {str(h.pk): h for h in handoffs if h.pk in handoff_ids}
    unread_ids = {pk for pk in handoff_ids if str(pk) not in handoff_by_id}
    if unread_ids:
        handoff_by_id.update(
            (str(h.pk), h)
            for h in HandOff.objects.visible_to(user)
            .filter(pk__in=unread_ids)
            .select_related("from_desk", "to_desk", "to_organisation")
        )
    entries = [TimelineEntry(at=c.occurred_at, kind="consultation", actor=c.created_by, obj=c) for c in consultations]
    entries += [TimelineEntry(at=f.created_at, kind="follow_up", actor=f.created_by, obj=f) for f in follow_ups]
    for event in events:
        if event.object_type == "consult.handoff":
            # A step of a hand-off (取次): shown with its kind, route and new status.
            statuses = [pair for field, pair in (event.changes or {}).items() if field == "status"]
            handoff = handoff_by_id.get(event.object_id)
            if handoff is None:
                continue  # a hand-off between desks the viewer does not see
            entries.append(
                TimelineEntry(
                    at=event.at,
                    kind="handoff",
                    actor=event.actor,
                    obj=handoff,
                    event=event,
                    changes=[
                        (
                            _field_label(HandOff, "status"),
                            _value_label(HandOff, "status", pair[0], users, visible_references),
                            _value_label(HandOff, "status", pair[1], users, visible_references),
                        )
                        for pair in statuses
                        if isinstance(pair, list) and len(pair) == 2
                    ],
                )
            )
            continue
        model = FollowUp if event.object_type == "consult.followup" else Case
        changes = [
            (
                _field_label(model, field),
                _value_label(model, field, pair[0], users, visible_references, clients),
                _value_label(model, field, pair[1], users, visible_references, clients),
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
    if case is not None:
        entries += timeline.extra_entries(case=case, user=user, absent=lambda flag: is_absent(case, flag))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries
