"""The project's form renderer (settings.FORM_RENDERER): Django's own widget
templates written in Python.

The intake screen (issue 13) rendered about thirty widgets and a hundred
options per GET; through the template engine (django/forms/widgets/*.html,
an include per option and per attribute list) that was about half of its
CPU, and every other form pays the same per widget (the case page's two
forms: ~3 ms).  FastWidgetRenderer produces the same markup, byte for byte,
for the common widget templates (inputs, textarea, select, radio and
checkbox lists) and leaves every other template (forms, fields, other
widgets) to Django's renderer.  tests/core/test_form_rendering.py compares
both renderers widget by widget, tests/consult/test_intake_rendering.py on
every field of the intake and client forms, unbound, bound and with errors.
If a Django upgrade changes its widget templates, those tests fail.
"""

from __future__ import annotations

from html import escape as _escape

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.safestring import SafeData

_W = "django/forms/widgets/"
# Templates that are nothing but {% include "django/forms/widgets/input.html" %}.
_INPUT_TEMPLATES = frozenset(
    _W + name + ".html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "checkbox",
        "search",
        "tel",
        "color",
    )
)
_MULTIPLE_INPUT_TEMPLATES = frozenset({_W + "radio.html", _W + "checkbox_select.html", _W + "multiple_input.html"})
_INPUT_OPTION_TEMPLATES = frozenset({_W + "radio_option.html", _W + "checkbox_option.html", _W + "input_option.html"})


def _text(value) -> str:
    """{{ value }}: localised, escaped unless marked safe."""
    if not isinstance(value, str):
        value = localize(value)
    if isinstance(value, SafeData):
        return str(value)
    return _escape(str(value))


def _formatted(value) -> str:
    """{{ value|stringformat:'s' }}."""
    if isinstance(value, SafeData):
        return str(value)
    return _escape(str(value))


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{_formatted(value)}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html, without its final newline."""
    value = widget["value"]
    value_attr = "" if value is None else f' value="{_formatted(value)}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value_attr}{_attrs(widget["attrs"])}>'


def _input_option(option: dict) -> str:
    """django/forms/widgets/input_option.html (input.html included with its newline)."""
    if not option.get("wrap_label"):
        return _input(option) + "\n\n"
    option_id = option["attrs"].get("id")
    label_for = f' for="{_text(option_id)}"' if option_id else ""
    return f"<label{label_for}>{_input(option)}\n {_text(option['label'])}</label>\n"


def _select(widget: dict) -> str:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _multiple_input(widget: dict) -> str:
    attrs = widget["attrs"]
    widget_id, css_class = attrs.get("id"), attrs.get("class")
    parts = [
        "<div",
        f' id="{_text(widget_id)}"' if widget_id else "",
        f' class="{_text(css_class)}"' if css_class else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            parts.append(f"<div>\n    {_input_option(option)}\n</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _textarea(widget: dict) -> str:
    value = widget["value"]
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{_text(value) if value else ""}</textarea>'


class FastWidgetRenderer(DjangoTemplates):
    """Django's renderer, with the common widget templates written in Python."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and request is None:
            if template_name in _INPUT_TEMPLATES:
                return _input(widget)
            if template_name == _W + "select.html":
                return _select(widget)
            if template_name in _MULTIPLE_INPUT_TEMPLATES:
                return _multiple_input(widget)
            if template_name in _INPUT_OPTION_TEMPLATES:
                return _input_option(widget).strip()
            if template_name == _W + "textarea.html":
                return _textarea(widget)
        return super().render(template_name, context, request=request)
