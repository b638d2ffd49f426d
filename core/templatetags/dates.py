"""Date filters: the one format per language of core/dates.py.

{% load dates %}
{{ consultation.occurred_at|long_date }}   2026年12月1日（火）9:05
{{ case.last_activity_at|short_date }}     2026/12/01 9:05   (tables)
{{ case.opened_at|short_day }}             2026/12/01        (date only)
{{ follow_up.due_date|long_date }}         2026年12月1日（火）
{{ 2026|fiscal_year_label }}               2026年度（令和8年度）
{{ value|iso_datetime }}                   for <time datetime="…">
"""

from datetime import date, datetime

from django import template
from django.utils import timezone

from core import dates

register = template.Library()


@register.filter
def long_date(value):
    return dates.format_long(value or None)


@register.filter
def long_day(value):
    """The long date without the time, even for a moment."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return dates.format_long(value or None)


@register.filter
def short_date(value):
    return dates.format_short(value or None)


@register.filter
def short_day(value):
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return dates.format_short(value or None)


@register.filter
def fiscal_year_label(value):
    return dates.format_fiscal_year(value)


@register.filter
def iso_datetime(value):
    """The machine-readable value of <time datetime>: local ISO 8601."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return ""


@register.simple_tag
def now_long():
    """The current moment in the long format (print headers)."""
    return dates.format_long(timezone.now())
