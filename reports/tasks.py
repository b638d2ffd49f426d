from celery import shared_task

from .services import export_run


@shared_task(ignore_result=True)
def export_run_task(job_id: str) -> None:
    export_run(job_id=job_id)
