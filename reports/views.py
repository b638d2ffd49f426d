"""/reports/: the statistics dashboard and the grant report (実績報告).

Access: capability `view_statistics`; what is counted is scoped by
`statistics_municipality_ids` (reports/counting.py).  Without the capability:
404, as for anything outside one's scope."""

from __future__ import annotations

import io

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.fiscal import fiscal_year
from municipalities.roles import Capability
from municipalities.visibility import statistics_municipality_ids, user_can

from . import counting, grant, tables
from .forms import StatisticsFilterForm

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
    context = {
        "form": form,
        "fiscal_year": filters.fiscal_year,
        "fiscal_year_label": counting.fiscal_year_label(filters.fiscal_year),
        "totals": counting.totals(qs),
        "tables": tables.dashboard_tables(qs, fiscal_year=filters.fiscal_year),
    }
    return render(request, "reports/dashboard.html", context)


@require_GET
def grant_report(request):
    _require_statistics(request.user)
    try:
        year = int(request.GET.get("fy") or fiscal_year())
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    qs = counting.statistics_consultations(request.user, counting.Filters(fiscal_year=year))
    sheets = grant.grant_sheets(qs, fiscal_year=year)
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
