"""Marking chosen values in kept option and checkbox lists (the intake
screen's long lists, consult.reference_cache); the widgets themselves are
written by the project's form renderer, core/form_rendering.py."""

from __future__ import annotations

from html import escape as _escape

from django.utils.safestring import mark_safe


def mark_chosen(html: str, *, tag_start: str, values, word: str) -> str:
    """`html` (a kept list of options or checkboxes, none chosen) with
    ` selected` or ` checked` added to the tag of each chosen value: the tag
    that starts with `tag_start` followed by the value and its closing quote.
    Attribute values are escaped, so the first ">" after it ends the tag."""
    for value in values:
        start = html.find(f'{tag_start}{_escape(str(value))}"')
        if start < 0:
            continue
        end = html.index(">", start)
        html = f"{html[:end]} {word}{html[end:]}"
    return mark_safe(html)  # noqa: S308 - rendered (escaped) markup; only " selected"/" checked" added
