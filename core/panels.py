"""Fragments that a higher app contributes to a lower app's screen.

core and consult sit below interpreters (and reports) in the layers, so
their screens cannot import them; instead, a higher app registers a panel
here in its AppConfig.ready(), naming the URL that serves the fragment,
and the screen's template loads that URL with htmx:

    register_panel("intake", Panel(key="who-can-help-now", title=_("…"),
                                   url_name="interpreters:who_can_help_now",
                                   capability=Capability.VIEW_CASES))

Slots used today: "home" (the home page) and "intake" (the intake screen,
whose panels receive the picked language as `language`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

_PANELS: dict[str, dict[str, Panel]] = {}


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    url_name: str
    capability: str | None = None


def register_panel(slot: str, panel: Panel) -> None:
    """Idempotent: registering the same key again replaces it."""
    _PANELS.setdefault(slot, {})[panel.key] = panel


def panels_for(slot: str, *, holds: Callable[[str], bool]) -> list[dict]:
    """The panels of `slot` whose capability the viewer holds (`holds(cap)`:
    the caller asks municipalities.visibility — core sits below it)."""
    return [
        {
            "key": panel.key,
            "title": panel.title,
            "url": f"{reverse(panel.url_name)}?slot={slot}",  # the fragment, for htmx
            "page_url": reverse(panel.url_name),  # the same as a page, without script
        }
        for panel in _PANELS.get(slot, {}).values()
        if panel.capability is None or holds(panel.capability)
    ]
