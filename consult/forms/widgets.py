"""Widgets shared by the consult forms (defined once)."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


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
