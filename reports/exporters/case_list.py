"""Case-list export: the rows of /cases/ under the same filters.  Anonymised
unless the job holds the personal-data export capability: then the client's
name, phone and e-mail are added (never sensitive notes)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consult.forms.cases import CaseListFilterForm
from consult.models import CaseOutcome, CaseStatus
from consult.selectors.cases import case_list_queryset

from ..streaming import LocalText, keyset_rows
from . import Exporter, register

CHUNK = 2000


@register
class CaseListExporter(Exporter):
    identifier = "case_list"
    label = gettext_lazy("Case list")
    form_class = CaseListFilterForm

    def _queryset(self):
        form = CaseListFilterForm(self.params, user=self.user)
        form.is_valid()
        return case_list_queryset(self.user, form.filters()).order_by("pk")

    def count(self) -> int:
        return self._queryset().count()

    def header(self) -> list[str]:
        columns = [
            _("reference number"),
            _("desk"),
            _("status"),
            _("outcome"),
            _("opened"),
            _("closed"),
            _("consultations"),
        ]
        if self.personal:
            columns += [_("name"), _("phone"), _("e-mail")]
        return columns

    def rows(self) -> Iterator[list]:
        """values_list tuples in keyset pages (reports/streaming.py), dates
        formatted by PostgreSQL: no model instance, no per-row query."""
        statuses, outcomes = dict(CaseStatus.choices), dict(CaseOutcome.choices)
        statuses = {k: str(v) for k, v in statuses.items()}
        outcomes = {k: str(v) for k, v in outcomes.items()}
        fields = ["pk", "reference", "handling_desk__name", "status", "outcome", "opened", "closed", "n"]
        if self.personal:
            fields += ["client__name", "client__phone", "client__email"]
        qs = self._queryset().annotate(
            n=Count("consultations"),
            opened=LocalText("opened_at", "YYYY-MM-DD"),
            closed=LocalText("closed_at", "YYYY-MM-DD"),
        )
        for row in keyset_rows(qs, *fields, page=CHUNK):
            out = [
                row[1],
                row[2],
                statuses.get(row[3], row[3]),
                outcomes.get(row[4], ""),
                row[5] or "",
                row[6] or "",
                row[7],
            ]
            if self.personal:
                out += [row[8] or "", row[9] or "", row[10] or ""]
            yield out
