"""Tables people read: the counts of reports/counting.py with labels, in the
order the dashboard, the grant report and the CSV show them.  No counting
happens here — only naming and ordering."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from consult.countries import country_name
from consult.models import Channel, InterpretationMode, Language, ResidenceStatus, Topic
from consult.models.cases import CaseOutcome
from consult.models.clients import AgeBand, ClientType
from core.fiscal import fiscal_year_bounds
from municipalities.models import Desk, Municipality

from . import aggregates, counting
from .counting import OUTSIDE, UNKNOWN


@dataclass
class Table:
    key: str
    title: str
    header: tuple[str, str]
    rows: list[tuple[str, int]] = field(default_factory=list)
    chart: str = "bar"

    @property
    def script_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def total(self) -> int:
        return sum(n for _label, n in self.rows)

    def chart_data(self) -> dict:
        return {
            "type": self.chart,
            "title": str(self.title),
            "labels": [r[0] for r in self.rows],
            "values": [r[1] for r in self.rows],
        }


def fiscal_months(fiscal_year: int) -> list[date]:
    first, _last = fiscal_year_bounds(fiscal_year)
    return [date(first.year + (first.month + i - 1) // 12, (first.month + i - 1) % 12 + 1, 1) for i in range(12)]


def month_label(month: date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


SPECIAL = {OUTSIDE: _("outside the consortium"), UNKNOWN: _("unknown")}


def _choices(choices) -> dict:
    return {**dict(choices), **SPECIAL}


def label_maps() -> dict[str, dict]:
    """key -> label for each dimension (model names in the active language)."""
    return {
        "language": {lang.pk: lang.name for lang in Language.objects.all()},
        "desk": {d.pk: d.name for d in Desk.objects.all()},
        "residence_municipality": {**{str(m.pk): m.name for m in Municipality.objects.all()}, **SPECIAL},
        "residence_status": {**{str(s.pk): s.name for s in ResidenceStatus.objects.all()}, **SPECIAL},
        "channel": _choices(Channel.choices),
        "interpretation_mode": _choices(InterpretationMode.choices),
        "outcome": _choices(CaseOutcome.choices),
        "age_band": _choices(AgeBand.choices),
        "client_type": _choices(ClientType.choices),
        "first_or_repeat": {"first": _("first consultation"), "repeat": _("repeat consultation (2nd or later)")},
        "topic": {t.pk: t.name for t in Topic.objects.all()},
    }


def nationality_label(code: str) -> str:
    return str(SPECIAL[code]) if code in SPECIAL else country_name(code)


def dimension_table(counts: dict, dimension: str, labels: dict, *, fiscal_year: int | None = None) -> Table:
    title = counting.DIMENSION_LABELS[dimension]
    header = (str(title), str(_("consultations")))
    if dimension == "month":
        months = fiscal_months(fiscal_year) if fiscal_year is not None else sorted(counts)
        return Table("month", title, header, [(month_label(m), counts.get(m, 0)) for m in months], chart="line")
    if dimension == "nationality":
        rows = [(nationality_label(k), n) for k, n in counts.items()]
    else:
        names = labels[dimension]
        rows = [(str(names.get(k, k)), n) for k, n in counts.items()]
    rows.sort(key=lambda r: -r[1])
    return Table(dimension, title, header, rows)


def topic_table(counts: dict, labels: dict) -> Table:
    order = {t.pk: t.sort_order for t in Topic.objects.filter(parent__isnull=True)}
    rows = [(str(labels["topic"].get(k, k)), n) for k, n in sorted(counts.items(), key=lambda kv: order.get(kv[0], 0))]
    return Table("topic", _("topic"), (str(_("topic")), str(_("consultations (per topic)"))), rows)


DASHBOARD_DIMENSIONS = (
    "language",
    "interpretation_mode",
    "channel",
    "residence_municipality",
    "outcome",
)
# Counted from raw rows (a merge of two clients changes it, so it has no
# aggregate): seconds at a million consultations, so only on request.
ON_REQUEST = ("first_or_repeat",)


def counts_for(dimension: str, *, qs, scope, filters) -> dict:
    """From the aggregates where they hold the dimension, else from raw rows."""
    if aggregates.can_answer(dimension, filters):
        return aggregates.answer(scope, filters, dimension)
    return counting.count_by(qs, dimension)


def dashboard_tables(qs, *, scope, filters, extra: tuple[str, ...] = ()) -> list[Table]:
    labels = label_maps()
    tables = [
        dimension_table(
            counts_for("month", qs=qs, scope=scope, filters=filters), "month", labels, fiscal_year=filters.fiscal_year
        ),
        topic_table(aggregates.aggregate_topic_counts(scope, filters), labels),
    ]
    dimensions = DASHBOARD_DIMENSIONS + tuple(d for d in extra if d in ON_REQUEST)
    tables += [dimension_table(counts_for(d, qs=qs, scope=scope, filters=filters), d, labels) for d in dimensions]
    return tables


def dashboard_totals(qs, *, scope, filters) -> dict:
    consultations, topic_counts = aggregates.aggregate_totals(scope, filters)
    return {
        "consultations": consultations,
        "cases": _case_count(qs, scope=scope, filters=filters),
        "topic_counts": topic_counts,
    }


def _case_count(qs, *, scope, filters) -> int:
    n = aggregates.aggregate_case_count(scope, filters)
    return counting.count_cases(qs) if n is None else n
