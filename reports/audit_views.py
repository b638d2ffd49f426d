"""/reports/audit/: the audit trail for the auditor (issue 12 point 10).

Access: capability `view_audit_trail` (administrators; coordinators for
their desks); without it 404, as for anything outside one's scope.  Looking
at the trail is itself recorded (one event per person per 5 minutes, as the
case page coalesces).  Export: through the export jobs (reports/services.py),
which check the capability again in the worker and audit the export."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.audit import audit_views
from municipalities.roles import Capability
from municipalities.visibility import user_can

from .audit_trail import AuditFilterForm, audit_events, page_after
from .models import ExportFormat
from .services import export_start


def _require_audit(user) -> None:
    if not user_can(user, Capability.VIEW_AUDIT_TRAIL):
        raise Http404


@require_GET
def audit_list(request):
    _require_audit(request.user)
    form = AuditFilterForm(request.GET or None)
    filters = form.filters()
    rows, next_cursor = page_after(audit_events(request.user, filters), request.GET.get("after"))
    audit_views(actor=request.user, shown=[(request.user, None, None)], summary="audit trail viewed")
    params = request.GET.copy()
    params.pop("after", None)
    return render(
        request,
        "reports/audit_list.html",
        {
            "form": form,
            "rows": rows,
            "next_cursor": next_cursor,
            "query": params.urlencode(),
            "export_params": filters.as_params(),
            "may_export": user_can(request.user, Capability.EXPORT_ANONYMISED),
            "formats": ExportFormat.choices,
            "is_filtered": bool(filters.as_params()),
        },
    )


@require_POST
def audit_export(request):
    _require_audit(request.user)
    if not user_can(request.user, Capability.EXPORT_ANONYMISED):
        raise Http404
    form = AuditFilterForm(request.POST)
    export_format = request.POST.get("format")
    if export_format not in ExportFormat.values:
        export_format = ExportFormat.CSV
    job = export_start(
        by=request.user,
        exporter="audit_trail",
        params=form.filters().as_params(),
        format=export_format,
        personal=False,
    )
    return redirect("reports:export_detail", pk=job.pk)
