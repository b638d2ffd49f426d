"""The home page is a work queue made of panels (issue 9, §1).

Core is the lowest layer: it may not import consult, interpreters or
reports, yet the home page must show their work.  So core keeps the page
and a registry of panels; each app registers the panels it owns in its
AppConfig.ready() (consult: follow-ups due, my open cases, waiting cases,
recent consultations at my desk; municipalities: administration links and
the statistics entry; forwarding later: hand-offs waiting for my desk).  Why not move the home view up to
consult: then administrators' and statistics viewers' home pages — which
show nothing of consult — would live in consult, and every later app would
have to edit consult's view to add its panel.  See
docs/decisions/0008-home-work-queue-and-drafts.md.

A panel is a function `(request) -> Panel | None` (None: not for this
person).  It must cost a constant number of queries, whatever the number of
items (a count and one short list), on indexes that lead with the user or
the desk, so the page stays cheap at 1,000,000 consultations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

LIST_LENGTH = 5


@dataclass
class Item:
    label: str
    url: str
    meta: str = ""
    badge: str = ""  # "danger" | "warning" | "info" | ""
    badge_text: str = ""


@dataclass
class Panel:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)
    count: int | None = None  # None: no count shown (a list of links)
    count_capped: bool = False  # the count stopped at `count`: "more than N items"
    more_url: str = ""
    more_label: str = ""
    empty: str = ""
    lead: str = ""


@dataclass(frozen=True)
class _Registered:
    key: str
    order: int
    build: Callable


_PANELS: dict[str, _Registered] = {}


def register_panel(key: str, build: Callable, *, order: int = 100) -> None:
    """Add (or replace) a home panel; lower `order` comes first."""
    _PANELS[key] = _Registered(key, order, build)


def panels_for(request) -> list[Panel]:
    out = []
    for registered in sorted(_PANELS.values(), key=lambda r: (r.order, r.key)):
        panel = registered.build(request)
        if panel is not None:
            out.append(panel)
    return out


def url_or_empty(name: str, *args) -> str:
    """reverse(), or \"\" when the URL does not exist (yet)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""
