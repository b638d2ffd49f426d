"""Printing is audited like viewing (issue 9, §7).

A printed case or client page leaves the building on paper, so the audit
trail records who printed what and when.  The page's script posts to
`/print/<kind>/<pk>/` on the browser's `beforeprint` event.  Core is the
lowest layer and cannot fetch a case itself, so the app that owns a kind of
page registers how to find it *through the user's scope* (404 outside it):

    printing.register("case", lambda user, pk: (case, case, case.handling_desk))
"""

from __future__ import annotations

from collections.abc import Callable

# kind -> fetch(user, pk) -> (object, case or None, desk or None); raises Http404 outside scope.
_KINDS: dict[str, Callable] = {}


def register(kind: str, fetch: Callable) -> None:
    _KINDS[kind] = fetch


def fetcher(kind: str) -> Callable | None:
    return _KINDS.get(kind)
