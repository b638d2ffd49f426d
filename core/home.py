"""Panels on the home page that higher layers contribute (CONVENTIONS
"Layers": core must not import consult, so consult registers a panel here
from its AppConfig.ready()).

A panel is a function `(request) -> (template_name, context) | None`; None
means "nothing to show for this person".
"""

from __future__ import annotations

from collections.abc import Callable

Panel = Callable[[object], tuple[str, dict] | None]

_PANELS: dict[str, Panel] = {}


def register_home_panel(name: str, panel: Panel) -> None:
    _PANELS[name] = panel


def home_panels(request) -> list[tuple[str, dict]]:
    return [result for result in (panel(request) for panel in _PANELS.values()) if result is not None]
