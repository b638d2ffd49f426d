"""/reports/: the statistics dashboard and the grant report (実績報告).

Access: capability `view_statistics`; what is counted is scoped by
`statistics_municipality_ids` (reports/counting.py).  Without the capability:
404, as for anything outside one's scope."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.reauth import reauthentication_required_if
from core.fiscal import fiscal_year
from municipalities.roles import Capability
from municipalities.visibility import statistics_municipality_ids, user_can

from . import counting, grant, tables
from .costshare import MODALITIES, cost_share_for
from .exporters import get_exporter
from .exporters.cost_share import modality_labels
from .forms import ExportStartForm, StatisticsFilterForm, fiscal_year_choices
from .models import ExportJob, ExportStatus, ShareMethod
from .services import export_start
from .writers import write_csv, write_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_statistics(user) -> frozenset[int]:
    ids = statistics_municipality_ids(user)
    if not ids or not user_can(user, Capability.VIEW_STATISTICS):
        raise Http404
    return ids


@require_GET
def dashboard(request):
    ids = _require_statistics(request.user)
    form = StatisticsFilterForm(request.GET or None, municipality_ids=ids)
    filters = form.filters()
    qs = counting.statistics_consultations(request.user, filters)
    scope = counting.statistics_scope(request.user, filters)
    context = {
        "form": form,
        "fiscal_year": filters.fiscal_year,
        "fiscal_year_label": counting.fiscal_year_label(filters.fiscal_year),
        "totals": tables.dashboard_totals(qs, scope=scope, filters=filters),
        "tables": tables.dashboard_tables(qs, scope=scope, filters=filters, extra=tuple(request.GET.getlist("detail"))),
        "repeat_url": f"{request.path}?{_with_detail(request, 'first_or_repeat')}",
        "shows_repeat": "first_or_repeat" in request.GET.getlist("detail"),
    }
    return render(request, "reports/dashboard.html", context)


def _with_detail(request, name: str) -> str:
    params = request.GET.copy()
    params.setlist("detail", [*params.getlist("detail"), name])
    return params.urlencode()


def _fiscal_year_param(request) -> int:
    try:
        year = int(request.GET.get("fy") or fiscal_year())
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    return year


@require_GET
def grant_report(request):
    _require_statistics(request.user)
    year = _fiscal_year_param(request)
    filters = counting.Filters(fiscal_year=year)
    qs = counting.statistics_consultations(request.user, filters)
    sheets = grant.grant_sheets(qs, scope=counting.statistics_scope(request.user, filters), fiscal_year=year)
    filename = f"jisseki-houkoku-FY{year}"
    if request.GET.get("format") == "csv":
        response = HttpResponse(grant.grant_csv(sheets), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    out = io.BytesIO()
    grant.grant_xlsx(sheets, out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


@require_GET
def cost_share(request):
    """負担金按分: the shares of the fiscal year, on screen or as CSV / XLSX
    (the exporter registry's cost-share exporters write both)."""
    _require_statistics(request.user)
    year = _fiscal_year_param(request)
    result, visible, whole = cost_share_for(request.user, year)
    if result is None:
        raise Http404
    shares = get_exporter("cost_share")(user=request.user, params={"fy": year}, personal=False)
    languages = get_exporter("cost_share_languages")(user=request.user, params={"fy": year}, personal=False)
    shares._cached = languages._cached = (result, visible, whole)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        exporter = languages if request.GET.get("table") == "languages" else shares
        return _download(exporter, fmt, f"{exporter.identifier}-FY{year}")
    shows_base = result.rule.method == ShareMethod.BASE_PLUS_USAGE
    context = {
        "fiscal_year": year,
        "fiscal_year_label": counting.fiscal_year_label(year),
        "years": fiscal_year_choices(),
        "result": result,
        "whole": whole,
        "shows_base": shows_base,
        "modalities": [modality_labels()[m] for m in MODALITIES],
        "share_lines": list(shares.lines()),
        "languages": (languages.header(), list(languages.rows())),
    }
    return render(request, "reports/cost_share.html", context)


def _download(exporter, fmt: str, filename: str) -> HttpResponse:
    if fmt == "csv":
        out = io.StringIO()
        write_csv(out, exporter.header(), exporter.rows())
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
            write_xlsx(tmp.name, exporter.header(), exporter.rows(), sheet_title=str(exporter.label)[:31])
            response = HttpResponse(Path(tmp.name).read_bytes(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


# --- exports ------------------------------------------------------------------


def _require_export(user) -> None:
    if not user_can(user, Capability.EXPORT_ANONYMISED):
        raise Http404


def _get_job(user, pk) -> ExportJob:
    try:
        return ExportJob.objects.of(user).get(pk=pk)
    except (ExportJob.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def _starts_personal_export(request) -> bool:
    return request.method == "POST" and bool(request.POST.get("personal"))


def _downloads_personal_export(request, pk) -> bool:
    return ExportJob.objects.of(request.user).filter(pk=pk, personal=True).exists()


@require_http_methods(["GET", "POST"])
# Exporting personal data asks for the password (or a second factor) again.
@reauthentication_required_if(_starts_personal_export)
def export_list(request):
    """Start an export (POST) and see one's recent exports."""
    _require_export(request.user)
    may_personal = user_can(request.user, Capability.EXPORT_PERSONAL_DATA)
    if request.method == "POST":
        form = ExportStartForm(request.POST, user=request.user, may_personal=may_personal)
        if form.is_valid():
            params = {k: v for k, v in request.POST.items() if k.startswith("f_") and v}
            job = export_start(
                by=request.user,
                exporter=form.cleaned_data["exporter"],
                params={k[2:]: v for k, v in params.items()},
                format=form.cleaned_data["format"],
                personal=form.cleaned_data["personal"],
            )
            return redirect("reports:export_detail", pk=job.pk)
    else:
        form = ExportStartForm(user=request.user, may_personal=may_personal)
    jobs = ExportJob.objects.of(request.user)[:20]
    return render(request, "reports/export_list.html", {"form": form, "jobs": jobs})


@require_GET
def export_detail(request, pk):
    _require_export(request.user)
    job = _get_job(request.user, pk)
    return render(request, "reports/export_detail.html", {"job": job, "expired": job.is_expired()})


@require_GET
@reauthentication_required_if(_downloads_personal_export)
def export_download(request, pk):
    _require_export(request.user)
    job = _get_job(request.user, pk)
    if job.status != ExportStatus.DONE or not job.file_name:
        raise Http404
    if job.is_expired():
        return HttpResponse(status=410)
    content_type = "text/csv; charset=utf-8" if job.format == "csv" else XLSX
    return FileResponse(
        default_storage.open(job.file_name, "rb"),
        as_attachment=True,
        filename=f"{job.exporter}-{timezone.localtime(job.created_at):%Y%m%d}.{job.format}",  # the day in Tokyo
        content_type=content_type,
    )
