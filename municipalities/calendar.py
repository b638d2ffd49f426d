"""Business days of one municipality: `core.calendar` plus the municipality's
own closures (`MunicipalClosure`), which core cannot read itself."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from core.kept import MISSING, KeptInProcess

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


# --- kept per process, for pages (issue 13) ---------------------------------------
# Closures are entered a few times a year, usually weeks ahead, but pages read
# them on every view (the follow-up form's default due date on the case page,
# a hand-off's waiting days).  Like consult.reference_cache: kept per process
# for a minute and dropped at once when a closure is saved or deleted in this
# process; another process sees a new closure within CLOSURES_TTL_SECONDS.
# Batch jobs (reminders, notification timing) read closures_for, fresh.
CLOSURES_TTL_SECONDS = 60.0
_closures_cache = KeptInProcess(CLOSURES_TTL_SECONDS)


def cached_closures_for(municipality: Municipality | int) -> frozenset[date]:
    """All extra closure days of `municipality`, from the per-process cache."""
    pk = municipality.pk if isinstance(municipality, Municipality) else municipality
    return cached_closures_by_municipality([pk])[pk]


def cached_closures_by_municipality(municipality_ids) -> dict[int, frozenset[date]]:
    """{municipality id: its extra closure days} from the per-process cache;
    the ones not cached (or expired) are read in one query."""
    found: dict[int, frozenset[date]] = {}
    for pk in set(municipality_ids):
        kept = _closures_cache.peek(pk)
        if kept is not MISSING:
            found[pk] = kept
    missing = set(municipality_ids) - set(found)
    if missing:
        days: dict[int, set[date]] = {pk: set() for pk in missing}
        for pk, day in MunicipalClosure.objects.filter(municipality_id__in=sorted(missing)).values_list(
            "municipality_id", "date"
        ):
            days[pk].add(day)
        for pk, closed in days.items():
            found[pk] = _closures_cache.put(pk, frozenset(closed))
    return found


def clear_closures_cache(**kwargs) -> None:
    # Now, for this transaction's own reads, and again at commit, for a read
    # by another thread that came in between and kept the old days.
    _closures_cache.clear()
    transaction.on_commit(_closures_cache.clear)


def connect_signals() -> None:
    """Called from MunicipalitiesConfig.ready()."""
    post_save.connect(clear_closures_cache, sender=MunicipalClosure, dispatch_uid="closures-cache-save")
    post_delete.connect(clear_closures_cache, sender=MunicipalClosure, dispatch_uid="closures-cache-delete")
