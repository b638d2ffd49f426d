"""Business days of one municipality: `core.calendar` plus the municipality's
own closures (`MunicipalClosure`), which core cannot read itself."""

from __future__ import annotations

from datetime import date

from .models import MunicipalClosure, Municipality


def closures_for(
    municipality: Municipality | int, *, start: date | None = None, end: date | None = None
) -> frozenset[date]:
    """Extra closure days of `municipality` (a model or its pk), optionally
    limited to [start, end]; pass the result as `extra_closures=` to
    `core.calendar`."""
    pk = municipality.pk if isinstance(municipality, Municipality) else municipality
    rows = MunicipalClosure.objects.filter(municipality_id=pk)
    if start is not None:
        rows = rows.filter(date__gte=start)
    if end is not None:
        rows = rows.filter(date__lte=end)
    return frozenset(rows.values_list("date", flat=True))
