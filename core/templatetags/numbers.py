"""Number filters: yen and counts the same way on every page.

{% load numbers %}
{{ 1200|yen }}        ¥1,200   (whole yen, half up; ja and en alike, as the
                               interpreter pages show costs)
{{ 5156|grouped }}    5,156
{{ None|yen }}        —
"""

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()

EMPTY = "—"


@register.filter
def yen(value):
    if value is None or value == "":
        return EMPTY
    return f"¥{floatformat(value, '0g')}"


@register.filter
def grouped(value):
    if value is None or value == "":
        return EMPTY
    return floatformat(value, "0g")
