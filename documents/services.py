"""Writes of the documents app: reviewing a translation."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.audit import audit_log

from .models import DocumentTranslation


def translation_review(*, translation: DocumentTranslation, by, reviewed: bool = True) -> DocumentTranslation:
    """Mark a translation reviewed by `by` now (or not reviewed), audited."""
    with transaction.atomic():
        translation.reviewed = reviewed
        translation.reviewed_by = by if reviewed else None
        translation.reviewed_at = timezone.now() if reviewed else None
        translation.save(update_fields=["reviewed", "reviewed_by", "reviewed_at", "updated_at"])
        audit_log(
            actor=by,
            action="update",
            obj=translation,
            summary=f"{translation.text.key} [{translation.language_code}] reviewed={reviewed}",
        )
    return translation


def translation_edited(*, translation: DocumentTranslation, by, text_changed: bool, reviewed: bool) -> None:
    """After an administrator saved a translation: who reviewed it and when
    follows the checkbox; changed words need a new review by whoever saved
    them with the box ticked."""
    if reviewed and (text_changed or not translation.reviewed_by_id):
        translation.reviewed_by = by
        translation.reviewed_at = timezone.now()
    elif not reviewed:
        translation.reviewed_by = None
        translation.reviewed_at = None
