"""Widgets shared by the consult forms (defined once)."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from consult.reference_cache import rendered_fragment

from .renderers import mark_chosen


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class QuickTextInput(forms.TextInput):
    """A text <input> written in Python: the markup of Django's
    input.html and attrs.html (an attribute that is True is written bare,
    one that is False is left out), without three template renders — the
    case list's search box, rendered on every list page with a query
    (issue 13)."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        parts = [f'<input type="{conditional_escape(self.input_type)}" name="{conditional_escape(name)}"']
        if value is not None:
            parts.append(f' value="{_attribute_text(value)}"')
        for attr, attr_value in self.build_attrs(self.attrs, attrs).items():
            if attr_value is False:
                continue
            parts.append(f" {conditional_escape(attr)}")
            if attr_value is not True:
                parts.append(f'="{_attribute_text(attr_value)}"')
        parts.append(">")
        return mark_safe("".join(parts))  # noqa: S308 — every part above is escaped


def _attribute_text(value) -> str:
    """What `{{ value|stringformat:"s" }}` writes: str(value), escaped
    unless it is already safe."""
    return conditional_escape(value if hasattr(value, "__html__") else str(value))


class QuickSelect(forms.Select):
    """A <select> whose options are written in Python.

    The case list's filter form has a few hundred options (topics,
    colleagues, languages…); Django renders each through its own template,
    which costs tens of milliseconds per request on every list page.  Same
    markup and attributes (id, aria-describedby, aria-invalid, required)."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        selected = {str(v) for v in self.format_value(value)}

        def option(option_value, label):
            if str(option_value) in selected:
                return format_html('<option value="{}" selected>{}</option>', option_value, label)
            return format_html('<option value="{}">{}</option>', option_value, label)

        parts = []
        for choice_value, choice_label in self.choices:
            if isinstance(choice_label, (list, tuple)):
                inner = format_html_join("", "{}", ((option(v, lab),) for v, lab in choice_label))
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', choice_value, inner))
            else:
                parts.append(option(choice_value, choice_label))
        return format_html("<select{}>{}</select>", flatatt(final), format_html_join("", "{}", ((p,) for p in parts)))


class FilterSelect(QuickSelect):
    """A <select> with a type-to-filter box in front of it: the keyboard
    pattern of the intake's language picker (static/js/intake.js,
    setUpSelectFilter) for long lists — nationality (about 250 countries),
    residence status (38).  Typing a Japanese, kana or English name or a
    code narrows the list and picks the first match; Enter moves on; ↓ goes
    into the list.  Without script the box stays hidden and the <select>
    works as before.

    `search` maps an option value to its search text (label_search_text)."""

    def __init__(self, attrs=None, *, search=None, filter_label="", placeholder=""):
        super().__init__(attrs=attrs)
        self.search = search or (lambda: {})
        self.filter_label = filter_label
        self.placeholder = placeholder

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        select_id = final.get("id") or f"id_{name}"
        final["id"] = select_id
        selected = {str(v) for v in self.format_value(value)}
        # The options are the same for everyone with the same language (about
        # 250 countries): kept per process with the reference rows, the
        # chosen one marked per request (issue 13).
        choices = tuple((str(v), str(label)) for v, label in self.choices)
        options = mark_chosen(
            rendered_fragment(("filter-select", name, get_language(), choices), lambda: self._options(choices)),
            tag_start='<option value="',
            values=selected,
            word="selected",
        )
        box = format_html(
            '<div class="filter-box" data-filter-box hidden>'
            '<label class="visually-hidden" for="{id}-filter">{label}</label>'
            '<input type="search" id="{id}-filter" class="filter-box__input" autocomplete="off" spellcheck="false"'
            ' placeholder="{placeholder}" aria-describedby="{id}-filter-status" aria-controls="{id}"'
            ' data-select-filter="{id}">'
            '<span class="filter-box__status muted" id="{id}-filter-status" aria-live="polite"></span>'
            "</div>",
            id=select_id,
            label=self.filter_label,
            placeholder=self.placeholder,
        )
        return format_html("{}<select{}>{}</select>", box, flatatt(final), options)

    def _options(self, choices) -> str:
        search = self.search() if callable(self.search) else self.search
        return format_html_join(
            "",
            '<option value="{}" data-search="{}">{}</option>',
            ((v, search.get(v, ""), label) for v, label in choices),
        )
