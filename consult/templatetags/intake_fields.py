"""templates/forms/field.html written in Python, for the intake screen.

{% load intake_fields %}
{% intake_field form.notes wide=True %}   the same markup as
{% include "forms/field.html" with field=form.notes wide=True %}

The intake screen includes forms/field.html for about thirty fields; each
include costs a quarter of a millisecond of template machinery (issue 13).
tests/consult/test_intake_rendering.py compares both on every field of the
intake and client forms, unbound, bound and with errors.  Change the two
together (the template stays for every other form).
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def intake_field(field, wide: bool = False) -> str:
    if field.is_hidden:
        return mark_safe(f"{field}\n")  # noqa: S308 - a rendered widget
    esc = conditional_escape
    errors, help_text, auto_id = field.errors, field.help_text, esc(field.auto_id)
    classes = f"{' field--invalid' if errors else ''}{' field--wide' if wide else ''}"
    required = f' <span class="field__required">{esc(gettext("Required"))}</span>' if field.field.required else ""
    help_div = f'<div class="field__help" id="{auto_id}_helptext">{help_text}</div>' if help_text else ""
    error_div = (
        f'<div class="field__error" id="{auto_id}_error">{"".join(f"<p>{esc(e)}</p>" for e in errors)}</div>'
        if errors
        else ""
    )
    label = esc(field.label)
    if field.use_fieldset:
        described = ""
        if help_text or errors:
            described = f' aria-describedby="{f"{auto_id}_helptext" if help_text else ""}{f" {auto_id}_error" if errors else ""}"'
        html = (
            f'\n<fieldset class="field field--group{classes}"{described}>\n'
            f'  <legend class="field__label">{label}{required}</legend>\n'
            f"  {help_div}\n"
            f'  <div class="field__choices">{field}</div>\n'
            f"  {error_div}\n"
            "</fieldset>\n"
        )
    elif field.widget_type == "checkbox":
        html = (
            f'\n<div class="field field--check{classes}">\n'
            f'  <div class="field__check">{field}<label for="{esc(field.id_for_label)}">{label}</label></div>\n'
            f"  {help_div}\n"
            f"  {error_div}\n"
            "</div>\n"
        )
    else:
        html = (
            f'\n<div class="field{classes}">\n'
            f'  <label class="field__label" for="{esc(field.id_for_label)}">{label}{required}</label>\n'
            f"  {help_div}\n"
            f"  {field}\n"
            "  \n"
            f"  {error_div}\n"
            "</div>\n"
        )
    return mark_safe(html + "\n")  # noqa: S308 - every value escaped above, widgets rendered by Django
