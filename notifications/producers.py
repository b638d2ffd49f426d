"""Runs every registered kind's producer: each returns the reminder
occurrences due by `now`; rows that exist already are left alone."""

from __future__ import annotations

import logging

from django.utils import timezone

from .registry import kinds
from .services import notification_schedule

log = logging.getLogger(__name__)


def run_producers(*, now=None, only: list[str] | None = None) -> int:
    now = now or timezone.now()
    created = 0
    for kind in kinds.all():
        if kind.produce is None or (only is not None and kind.key not in only):
            continue
        try:
            created += notification_schedule(kind=kind.key, drafts=kind.produce(now), now=now)
        except Exception:
            # One broken producer must not stop the others (or the sending).
            log.exception("notifications: producer of %s failed", kind.key)
    return created
