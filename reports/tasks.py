from celery import shared_task

from .aggregates import rebuild_buckets
from .services import export_run


@shared_task(ignore_result=True)
def aggregates_rebuild_task(buckets: list[list]) -> None:
    """[[month ISO date, desk id], …] — see reports/signals.py."""
    from datetime import date

    rebuild_buckets([(date.fromisoformat(month), desk) for month, desk in buckets])


@shared_task(ignore_result=True)
def export_run_task(job_id: str) -> None:
    export_run(job_id=job_id)
