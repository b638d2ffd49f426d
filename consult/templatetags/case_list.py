"""The case list's parts written in Python (consult/case_list_html.py):
{% case_rows page.rows %} and {% case_filter_panel form %}."""

from django import template

from consult.case_list_html import case_rows_html, filter_panel_html

register = template.Library()


@register.simple_tag
def case_rows(rows):
    return case_rows_html(rows)


@register.simple_tag
def case_filter_panel(form):
    return filter_panel_html(form)
