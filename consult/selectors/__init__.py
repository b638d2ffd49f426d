"""Reads of the consult app, one module per feature:

* ``cases``: the case list (keyset pages, bounded count, filters, search);
* ``case_page``: consultations, follow-ups, changes, links and the timeline;
* ``people``: desks and colleagues offered by filters and forms;
* ``clients``: likely duplicates, client search, a client's cases.

The case list's names are re-exported here because the benchmark and its
tests call ``consult.selectors.case_list``; product code imports from the
modules."""

from .cases import (
    DEFAULT_PER_PAGE,
    DEFAULT_SORT,
    PER_PAGE_CHOICES,
    STATUS_ACTIVE,
    CaseFilters,
    CaseListPage,
    InvalidCursor,
    _encode_cursor,  # the benchmark builds a deep-page cursor with it
    case_list,
    reference_query,
)
from .people import assignable_users, colleagues_for_desk, visible_desks

__all__ = [
    "DEFAULT_PER_PAGE",
    "DEFAULT_SORT",
    "PER_PAGE_CHOICES",
    "STATUS_ACTIVE",
    "CaseFilters",
    "CaseListPage",
    "InvalidCursor",
    "_encode_cursor",
    "assignable_users",
    "case_list",
    "colleagues_for_desk",
    "reference_query",
    "visible_desks",
]
