"""The grant report (実績報告, 外国人受入環境整備交付金): the tables the agency's
form asks for, in Japanese, as XLSX sheets or one CSV (UTF-8 with BOM).

Each sheet is a plain grid (title row, header row, data rows, 合計 row) so
that it pastes into the agency's form cell for cell.  Per-topic columns
follow rule 2 of reports/counting.py (相談内容ごとに計上)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from consult.models import Topic

from . import aggregates, counting
from .tables import fiscal_months, label_maps, nationality_label

BOM = "\ufeff"


@dataclass
class Sheet:
    name: str
    title: str
    header: list[str]
    rows: list[list]


def _by_dimension(qs, scope, filters, dimension: str, labels: dict, name: str, fy_label: str) -> Sheet:
    """Consultations per value of `dimension`, and per-topic counts where the
    aggregates hold the dimension (language, interpretation means, channel)."""
    if aggregates.can_answer(dimension, filters):
        consultations = aggregates.answer(scope, filters, dimension)
    else:
        consultations = counting.count_by(qs, dimension)
    with_topics = dimension in aggregates.TOPIC_AGGREGATED
    per_topic = aggregates.aggregate_topic_totals_by(scope, filters, dimension) if with_topics else {}
    names = labels.get(dimension, {})

    def label(key) -> str:
        return nationality_label(key) if dimension == "nationality" else str(names.get(key, key))

    ordered = sorted(consultations.items(), key=lambda kv: -kv[1])
    header = [str(counting.DIMENSION_LABELS[dimension]), _("consultations")]
    if with_topics:
        header.append(_("consultations (per topic)"))
        rows = [[label(k), n, per_topic.get(k, 0)] for k, n in ordered]
        rows.append([_("total"), sum(r[1] for r in rows), sum(r[2] for r in rows)])
    else:
        rows = [[label(k), n] for k, n in ordered]
        rows.append([_("total"), sum(r[1] for r in rows)])
    return Sheet(name, f"{fy_label} {name}", header, rows)


def grant_sheets(qs, *, scope, fiscal_year: int) -> list[Sheet]:
    """Always rendered in Japanese (the agency's form is)."""
    filters = counting.Filters(fiscal_year=fiscal_year)
    with translation.override("ja"):
        fy_label = counting.fiscal_year_label(fiscal_year, language="ja")
        labels = label_maps()
        months = fiscal_months(fiscal_year)
        by_month = aggregates.aggregate_topic_by(scope, filters, "month")
        tops = list(Topic.objects.filter(parent__isnull=True).order_by("sort_order", "code"))
        rows = []
        for topic in tops:
            cells = [by_month.get((topic.pk, m), 0) for m in months]
            rows.append([topic.name, *cells, sum(cells)])
        totals = [sum(r[i + 1] for r in rows) for i in range(12)]
        rows.append([_("total"), *totals, sum(totals)])
        topic_sheet = Sheet(
            _("by topic and month"),
            f"{fy_label} {_('by topic and month')}",
            [_("topic"), *[f"{m.month}月" for m in months], _("total")],
            rows,
        )
        sheets = [topic_sheet]
        for dimension, name in (
            ("language", _("by language")),
            ("interpretation_mode", _("by interpretation mode")),
            ("channel", _("by channel")),
            ("outcome", _("resolved or referred")),
            ("residence_municipality", _("by municipality of residence")),
            ("nationality", _("by nationality")),
            ("residence_status", _("by residence status")),
        ):
            sheets.append(_by_dimension(qs, scope, filters, dimension, labels, name, fy_label))
        return sheets


def grant_xlsx(sheets: list[Sheet], out) -> None:
    """One sheet per table (`out`: a path or a binary file)."""
    from .xlsx import StreamingWorkbook

    wb = StreamingWorkbook(out)
    for sheet in sheets:
        wb.add_sheet(sheet.name[:31])
        wb.write_row([sheet.title])
        wb.write_row(sheet.header)
        for row in sheet.rows:
            wb.write_row(row)
    wb.close()


def grant_csv(sheets: list[Sheet]) -> str:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    for sheet in sheets:
        writer.writerow([sheet.title])
        writer.writerow(sheet.header)
        writer.writerows(sheet.rows)
        writer.writerow([])
    return buffer.getvalue()
