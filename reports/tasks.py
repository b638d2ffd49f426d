from celery import shared_task

from .aggregates import rebuild_buckets
from .services import export_run, exports_purge_expired


@shared_task(ignore_result=True)
def aggregates_rebuild_task(buckets: list[list]) -> None:
    """[[month ISO date, desk id], …] — see reports/signals.py."""
    from datetime import date

    rebuild_buckets([(date.fromisoformat(month), desk) for month, desk in buckets])


@shared_task(ignore_result=True)
def export_run_task(job_id: str) -> None:
    export_run(job_id=job_id)


@shared_task(ignore_result=True)
def exports_purge_expired_task() -> int:
    """Scheduled by beat (config/celery.py): files of expired exports are deleted."""
    return exports_purge_expired()
