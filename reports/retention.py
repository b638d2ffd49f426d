"""Exports under retention (core/retention.py, issue 12 point 11).

An export is a copy, not a record: once its class's retention ended the
file (normally gone after 7 days already) and the job row with its
parameters (which may hold a searched name) are deleted.  That the export
happened stays in the audit trail, which has its own retention."""

from __future__ import annotations

from datetime import datetime

from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from core.retention import RecordClass, register

from .models import ExportJob


def pending(cutoff: datetime) -> int:
    return ExportJob.objects.filter(created_at__lt=cutoff).count()


def anonymise(cutoff: datetime) -> int:
    jobs = ExportJob.objects.filter(created_at__lt=cutoff)
    for name in jobs.exclude(file_name="").values_list("file_name", flat=True):
        default_storage.delete(name)
    deleted, _by_model = jobs.delete()
    return deleted


register(RecordClass(key="exports", label=_("exports"), pending=pending, anonymise=anonymise, order=30))
