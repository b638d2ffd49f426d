"""The case list's parts written in Python (consult/case_list_html.py):
{% case_rows page.rows %}, {% case_filter_panel form %} and
{% case_search_field form %}."""

from django import template

from consult.case_list_html import case_rows_html, filter_panel_html, search_field_html

register = template.Library()


@register.simple_tag
def case_rows(rows):
    return case_rows_html(rows)


@register.simple_tag
def case_filter_panel(form):
    return filter_panel_html(form)


@register.simple_tag
def case_search_field(form):
    return search_field_html(form)
