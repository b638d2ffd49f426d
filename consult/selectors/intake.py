"""Reads for the intake screen."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.contrib.postgres.aggregates import ArrayAgg
from django.utils import timezone

from municipalities.models import Desk

from ..models import Case, Client, Consultation, Topic

# Save → Back → save: the second save comes within minutes of the first.
DUPLICATE_WINDOW = timedelta(minutes=15)


def consultation_recent_duplicate(
    *,
    by,
    desk: Desk,
    topics: list[Topic],
    notes: str,
    intake_token: uuid.UUID,
    case: Case | None = None,
    client: Client | None = None,
    new_client: dict | None = None,
) -> Consultation | None:
    """A consultation this person saved a few minutes ago at the same desk
    with the same client, topics and notes — what save, Back and save again
    produces with a fresh form (the same form is caught by its intake token).

    Anonymous contacts without notes are never "duplicates": two residents
    asking about the same topic within minutes is an ordinary morning.
    One indexed query (``consultation_author_time_idx``), topics aggregated in it."""
    if case is None and client is None and new_client is None and not notes:
        return None
    recent = Consultation.objects.filter(
        created_by=by, created_at__gte=timezone.now() - DUPLICATE_WINDOW, desk=desk, notes=notes
    ).exclude(intake_token=intake_token)
    if case is not None:
        recent = recent.filter(case=case)
    elif client is not None:
        recent = recent.filter(case__client=client)
    elif new_client is not None:
        # The first save registered the person: same names as typed now.
        recent = recent.filter(
            case__client__name=new_client.get("name", ""),
            case__client__name_kana=new_client.get("name_kana", ""),
            case__client__name_latin=new_client.get("name_latin", ""),
        )
    else:
        recent = recent.filter(case__client__isnull=True)
    wanted = sorted(topic.pk for topic in topics)
    candidates = (
        recent.annotate(topic_ids=ArrayAgg("topic_links__topic_id", ordering="topic_links__topic_id", default=[]))
        .select_related("case")
        .order_by("-created_at")[:5]
    )
    for candidate in candidates:
        if list(candidate.topic_ids) == wanted:
            return candidate
    return None


def case_intake_defaults(case: Case) -> dict:
    """A 再相談 starts with the client's preferred language (else the language
    of the last consultation) and the last interpretation mode."""
    last = (
        Consultation.objects.filter(case=case)
        .order_by("-occurred_at", "-id")
        .values("language_id", "interpretation_mode")
        .first()
    )
    initial = {}
    language_id = case.client.preferred_language_id if case.client_id else None
    if language_id is None and last:
        language_id = last["language_id"]
    if language_id:
        initial["language"] = language_id
    if last:
        initial["interpretation_mode"] = last["interpretation_mode"]
    return initial
