"""{% case_rows page.rows %}: the case list's rows (consult/case_list_html.py)."""

from django import template

from consult.case_list_html import case_rows_html

register = template.Library()


@register.simple_tag
def case_rows(rows):
    return case_rows_html(rows)
