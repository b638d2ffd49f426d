"""Case-list export: the rows of /cases/ under the same filters.  Anonymised
unless the job holds the personal-data export capability: then the client's
name, phone and e-mail are added (never sensitive notes)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consult.forms.cases import CaseListFilterForm
from consult.models import CaseOutcome, CaseStatus
from consult.selectors.cases import case_list_queryset

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
        statuses, outcomes = dict(CaseStatus.choices), dict(CaseOutcome.choices)
        qs = (
            self._queryset()
            .annotate(n_consultations=Count("consultations"))
            .values(
                "pk",
                "reference",
                "handling_desk__name",
                "status",
                "outcome",
                "opened_at",
                "closed_at",
                "n_consultations",
                "client__name",
                "client__phone",
                "client__email",
            )
        )
        # Keyset pages: constant memory, no server-side cursor to keep open.
        last = 0
        while True:
            page = list(qs.filter(pk__gt=last)[:CHUNK])
            if not page:
                return
            for row in page:
                out = [
                    row["reference"],
                    row["handling_desk__name"],
                    str(statuses.get(row["status"], row["status"])),
                    str(outcomes.get(row["outcome"], "")),
                    _day(row["opened_at"]),
                    _day(row["closed_at"]),
                    row["n_consultations"],
                ]
                if self.personal:
                    out += [row["client__name"] or "", row["client__phone"] or "", row["client__email"] or ""]
                yield out
            last = page[-1]["pk"]


def _day(value) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""
