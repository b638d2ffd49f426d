from celery import Task, shared_task
from django.db import transaction

from .services import heartbeat_record


def enqueue(task: Task, *args, **kwargs) -> None:
    """Send `task` to the broker once the current transaction commits, and
    never if it rolls back (DESIGN §6).  Outside a transaction it is sent at
    once.  Pass ids, not objects: the worker loads fresh rows itself.

        enqueue(send_followup_reminder, followup.pk)
    """
    transaction.on_commit(lambda: task.apply_async(args=args, kwargs=kwargs))


@shared_task(ignore_result=True)
def beat_heartbeat(name: str = "beat") -> None:
    """Scheduled by beat (config/celery.py); run by a worker.  A fresh row
    proves that beat, the broker, a worker and the database all work."""
    heartbeat_record(name=name)


@shared_task(ignore_result=True)
def drafts_purge_expired_task() -> int:
    """Scheduled by beat (config/celery.py): expired drafts are deleted."""
    from .drafts import drafts_purge_expired

    return drafts_purge_expired()


@shared_task(ignore_result=True)
def retention_nightly() -> None:
    """Scheduled nightly by beat (config/celery.py): anonymise what expired,
    drop expired audit partitions, create the months ahead (core/retention.py).
    Idempotent: a second run the same night changes nothing."""
    import logging

    from .retention import retention_run

    for line in retention_run():
        logging.getLogger("madoguchi.retention").info("retention %s: %d records", line.key, line.records)
