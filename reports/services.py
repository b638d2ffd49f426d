"""Starting and running exports (the task only calls `export_run`)."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.audit import audit_log
from core.dbrouting import replica_reads
from core.tasks import enqueue
from municipalities.roles import Capability
from municipalities.visibility import user_can

from .exporters import get_exporter
from .models import EXPORT_LIFETIME, ExportJob, ExportStatus
from .writers import write_csv, write_xlsx

EXPORT_DIR = "exports"


def _may_export(user: User, exporter_id: str, personal: bool) -> bool:
    exporter = get_exporter(exporter_id)
    if not user.is_active or not user_can(user, exporter.required_capability):
        return False
    return not personal or user_can(user, Capability.EXPORT_PERSONAL_DATA)


def export_start(*, by: User, exporter: str, params: dict, format: str, personal: bool) -> ExportJob:
    """Queue an export.  Personal data needs `export_personal_data`, and
    asking for it is written to the audit trail."""
    if not _may_export(by, exporter, personal):
        raise PermissionDenied
    from .tasks import export_run_task

    with transaction.atomic():
        job = ExportJob.objects.create(
            user=by,
            exporter=exporter,
            params=params,
            format=format,
            personal=personal,
            expires_at=timezone.now() + EXPORT_LIFETIME,
        )
        audit_log(actor=by, action="export", obj=job, summary=f"{exporter} {format}{' personal' if personal else ''}")
        enqueue(export_run_task, str(job.pk))
    return job


def export_run(*, job_id: str) -> ExportJob:
    """Write the file.  The permission is checked again here: a capability
    withdrawn between the request and the worker stops the export."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED).update(status=ExportStatus.RUNNING)
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    if not claimed:
        return job
    if not _may_export(job.user, job.exporter, job.personal):
        job.status, job.error, job.finished_at = ExportStatus.FAILED, "permission", timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        return job
    from django.utils import translation

    exporter = get_exporter(job.exporter)(user=job.user, params=job.params, personal=job.personal)
    # The export's rows from the replica once it has what the requester wrote
    # (core/dbrouting.py); the job row and its progress stay on the primary.
    reads = replica_reads(fresh=True)
    with reads:
        job.rows_total = exporter.count()
    job.save(update_fields=["rows_total"])

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=done)

    name = f"{EXPORT_DIR}/{job.pk}.{job.format}"
    path = Path(default_storage.path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    with translation.override(job.user.ui_language or "ja"), reads:
        if job.format == "csv":
            with path.open("w", encoding="utf-8", newline="") as out:
                done = write_csv(out, exporter.header(), exporter.rows(), progress=progress)
        else:
            done = write_xlsx(
                path, exporter.header(), exporter.rows(), sheet_title=str(exporter.label), progress=progress
            )
    job.rows_done, job.file_name, job.status, job.finished_at = done, name, ExportStatus.DONE, timezone.now()
    job.save(update_fields=["rows_done", "file_name", "status", "finished_at"])
    return job


def exports_purge_expired(*, now=None) -> int:
    """Delete the files of expired exports (beat may call it daily)."""
    now = now or timezone.now()
    count = 0
    for job in ExportJob.objects.filter(expires_at__lte=now).exclude(file_name=""):
        default_storage.delete(job.file_name)
        ExportJob.objects.filter(pk=job.pk).update(file_name="")
        count += 1
    return count
