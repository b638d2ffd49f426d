"""Cost-share exports (reports/costshare.py): the shares per municipality,
and the interpreter minutes and cost per municipality × language × modality.
Aggregates only — no personal data.  The screen /reports/cost-share/ offers
both as CSV and XLSX through this registry; a statistics viewer's rows are
their own municipality's."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipalities.roles import Capability

from . import Exporter, register


class CostShareForm(forms.Form):
    fy = forms.IntegerField(label=gettext_lazy("fiscal year"), min_value=2000, max_value=2100)


def modality_labels() -> dict:
    from interpreters.models import Modality

    return {k: str(v) for k, v in Modality.choices}


class _CostShareExporter(Exporter):
    required_capability = Capability.VIEW_STATISTICS
    form_class = CostShareForm

    def _result(self):
        from ..costshare import cost_share_for

        if not hasattr(self, "_cached"):
            form = CostShareForm(self.params)
            year = form.cleaned_data["fy"] if form.is_valid() else None
            self._cached = cost_share_for(self.user, year)
        return self._cached

    def count(self) -> int:
        return sum(1 for _row in self.rows())


def municipality_label(row) -> str:
    return row.municipality.name if row.municipality else _("outside the consortium")


def yen(value) -> int:
    """A yen amount as a whole number for the exports: costs are stored to the
    sen (rate × minutes), shown and exported rounded to the yen, half up — as
    the amount to share is (reports/costshare.py)."""
    return int(Decimal(value).quantize(Decimal(1), ROUND_HALF_UP))


@dataclass(frozen=True)
class ShareLine:
    """One line of the shares table: a municipality, "outside the
    consortium", or the total.  The screen and the exports read these."""

    label: str
    share: int | None
    base: int | None
    consultations: int
    minutes: list[int]  # per modality (MODALITIES order), then the total
    cost: list[int]  # yen, per modality, then the total
    is_total: bool = False


@register
class CostShareExporter(_CostShareExporter):
    """Columns: the municipality, its share (what a clerk comes for), the
    fixed base, then what the share was computed from.  Yen as integers."""

    identifier = "cost_share"
    label = gettext_lazy("Cost share")

    def header(self) -> list[str]:
        from ..costshare import MODALITIES

        names = modality_labels()
        return [
            _("municipality"),
            _("share (yen)"),
            _("fixed base (yen)"),
            _("consultations"),
            *[_("interpreter minutes (%(modality)s)") % {"modality": names[m]} for m in MODALITIES],
            _("interpreter minutes"),
            *[_("interpreter cost (%(modality)s, yen)") % {"modality": names[m]} for m in MODALITIES],
            _("interpreter cost (yen)"),
        ]

    def lines(self) -> Iterator[ShareLine]:
        from ..costshare import MODALITIES

        result, visible, whole = self._result()
        if result is None:
            return
        shown = [r for r in result.rows if r.key in visible]
        if whole:
            total = result.totals
            total.municipality = None
            shown = [*shown, total]
        for i, row in enumerate(shown):
            is_total = whole and i == len(shown) - 1
            yield ShareLine(
                label=_("total") if is_total else municipality_label(row),
                share=row.share,
                base=row.base if row.municipality or is_total else None,
                consultations=row.consultations,
                minutes=[*(row.minutes[m] for m in MODALITIES), row.total_minutes],
                cost=[*(yen(row.cost[m]) for m in MODALITIES), yen(row.total_cost)],
                is_total=is_total,
            )

    def rows(self) -> Iterator[list]:
        for line in self.lines():
            yield [
                line.label,
                "" if line.share is None else line.share,
                "" if line.base is None else line.base,
                line.consultations,
                *line.minutes,
                *line.cost,
            ]


@register
class CostShareLanguagesExporter(_CostShareExporter):
    identifier = "cost_share_languages"
    label = gettext_lazy("Interpreter minutes and cost by language")

    def header(self) -> list[str]:
        return [
            _("municipality"),
            _("language"),
            _("modality"),
            _("interpreter bookings"),
            _("interpreter minutes"),
            _("interpreter cost (yen)"),
        ]

    def rows(self) -> Iterator[list]:
        result, visible, _whole = self._result()
        if result is None:
            return
        names = modality_labels()
        for row, language, modality, n, minutes, cost in result.languages:
            if row.key in visible:
                yield [municipality_label(row), language, names.get(modality, modality), n, minutes, yen(cost)]
