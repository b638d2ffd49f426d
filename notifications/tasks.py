"""Celery tasks of notifications.  No business logic: they call services.

`tick` is scheduled by beat every NOTIFICATIONS_TICK_SECONDS (config/celery.py)
and carries the id of the beat process that sent it.  Only the beat that
holds the leader lease acts (a Redis key set with NX and a TTL through the
cache), so a second beat started by mistake changes nothing: its ticks are
dropped until the first one stops renewing the lease.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import mailers
from django.utils import timezone

from core.services import heartbeat_record

from . import producers, services

log = logging.getLogger(__name__)

SEND_BATCH = services.CLAIM_BATCH


def _lease_key() -> str:
    # Installations sharing one Redis name their own queue; so do test runs.
    return f"notifications:beat-leader:{settings.CELERY_TASK_DEFAULT_QUEUE}"


def acquire_beat_lease(beat_id: str) -> bool:
    """True when `beat_id` is (or now becomes) the one beat that acts."""
    ttl = max(2, int(settings.NOTIFICATIONS_TICK_SECONDS * 3))
    key = _lease_key()
    if cache.add(key, beat_id, timeout=ttl):
        return True
    if cache.get(key) == beat_id:
        cache.touch(key, timeout=ttl)
        return True
    return False


@shared_task(ignore_result=True)
def tick(beat_id: str = "manual") -> str:
    if not acquire_beat_lease(beat_id):
        log.info("notifications tick from beat %s skipped: another beat holds the lease", beat_id)
        return "skipped"
    heartbeat_record(name=f"notify-tick-{beat_id}"[:50])
    return run_tick()


def run_tick(now=None) -> str:
    """Produce reminders, put back claims whose worker died, claim what is
    due and wake workers with the ids."""
    now = now or timezone.now()
    produced = producers.run_producers(now=now)
    swept = services.notification_sweep_stale_claims(now=now)
    claimed = 0
    while True:
        # Each claim commits before its ids go to the broker: the rows, not
        # the messages, say what is left to do.
        ids = services.notification_claim_due(now=now, limit=SEND_BATCH)
        if not ids:
            break
        claimed += len(ids)
        services.wake(ids)
        if len(ids) < SEND_BATCH:
            break
    summary = f"produced={produced} swept={swept} claimed={claimed}"
    log.info("notifications tick: %s", summary)
    return summary


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def send_notifications(ids: list[int]) -> dict:
    """Deliver these rows; safe to run twice (each row is sent at most once)."""
    outcomes: dict[str, int] = {}
    connection = mailers.default
    batch = services.DeliveryBatch(ids)
    for notification_id in ids:
        outcome = services.notification_deliver(
            notification_id=notification_id, mail_connection=connection, batch=batch
        )
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    log.info("notifications sent batch of %d: %s", len(ids), outcomes)
    return outcomes
