"""Entries that higher apps add to the case timeline.

consult sits below interpreters (and later apps) in the layers, so the case
page cannot import them.  Such an app registers a source in its
AppConfig.ready():

    register_timeline_source(bookings_for_case, object_types=("interpreters.booking",))

A source is called as `source(case=case, user=user)` and returns
`TimelineEntry` objects with `kind` and `template` set (the template renders
one <li> of the timeline).  `object_types` names the audit-trail object
types the source shows itself, so their audit events are not repeated on
the timeline as generic "changes" (the audit trail still lists them).
`present`, optional, returns an expression that is true when the case
(``OuterRef("pk")``) has any entry of the source: the case page reads it
with the case and does not call a source that has nothing to show
(consult.selectors.case_page.page_presence; issue 13).
"""

from __future__ import annotations

from collections.abc import Callable

_SOURCES: list[Callable] = []
_OWN_OBJECT_TYPES: set[str] = set()
_PRESENT: dict[Callable, Callable] = {}


def register_timeline_source(
    source: Callable, *, object_types: tuple[str, ...] = (), present: Callable | None = None
) -> None:
    """Idempotent (ready() may run more than once in tests)."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    _OWN_OBJECT_TYPES.update(object_types)
    if present is not None:
        _PRESENT[source] = present


def presence_expressions() -> dict[str, object]:
    """{flag name: expression} of the sources that said how to tell
    whether a case has entries (`present`)."""
    return {_presence_flag(source): present() for source, present in _PRESENT.items()}


def _presence_flag(source: Callable) -> str:
    return f"timeline_{_SOURCES.index(source)}"


def extra_entries(*, case, user, absent: Callable[[str], bool] = lambda flag: False) -> list:
    """The registered sources' entries; `absent(flag)` is true for a source
    the case is known to have nothing from (read with it), which is skipped."""
    entries = []
    for source in _SOURCES:
        if source in _PRESENT and absent(_presence_flag(source)):
            continue
        entries.extend(source(case=case, user=user))
    return entries


def object_types_shown_by_sources() -> frozenset[str]:
    return frozenset(_OWN_OBJECT_TYPES)


# --- links on the case page -------------------------------------------------------
# A source of links is called as `source(case=case, user=user)` (header of the
# case page) or `source(consultation=consultation, user=user)` (one
# consultation on the timeline) and returns dicts {"label", "url", "testid"}.
_CASE_LINKS: list[Callable] = []
_CONSULTATION_LINKS: list[Callable] = []


def register_case_link(source: Callable) -> None:
    if source not in _CASE_LINKS:
        _CASE_LINKS.append(source)


def register_consultation_link(source: Callable) -> None:
    if source not in _CONSULTATION_LINKS:
        _CONSULTATION_LINKS.append(source)


def case_links(*, case, user) -> list[dict]:
    return [link for source in _CASE_LINKS for link in source(case=case, user=user)]


def consultation_links(*, case, consultation, user) -> list[dict]:
    return [link for source in _CONSULTATION_LINKS for link in source(case=case, consultation=consultation, user=user)]
