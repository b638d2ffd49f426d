"""The case list's rows as HTML, written in Python (issue 13).

Rendered by the template engine, the 25 rows of a page cost about 6.5 ms of
CPU on the benchmark machine (each row a `{% url %}`, a `{% blocktranslate
count %}`, get_status_display, a chain of ifs, three date filters, every value
resolved and escaped by the engine), half of the page's template time.  Here
the same markup costs about 0.5 ms: the case URL is reversed once per page,
the translated words are looked up once per page, every value from the
database goes through conditional_escape (html.escape for a plain str).

The output is byte for byte what the former `{% for case in page.rows %}`
loop of templates/consult/case_list.html gave: tests/consult/
test_case_list_rows.py keeps that loop and compares the two for every kind
of row, in Japanese and English.  Change them together.  The measurements,
and why not a cheaper template loop: docs/decisions/0018, "Case list rows
and filtered panel".
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from functools import partial

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from consult.forms.cases import CaseListFilterForm
from consult.models import Case, CaseStatus
from consult.reference_cache import rendered_filter_field, rendered_filter_panel
from core import dates
from municipalities.visibility import visible_desk_ids

# A pk no case has: the case URL is reversed once with it, then split.
_PK_PLACEHOLDER = 2_147_483_647

# Indentation and line breaks as in the former template loop (the rows sit
# inside <tbody> at that depth), so the page's HTML is unchanged.
_ROW_START = '\n          <tr data-testid="case-row">\n            <td class="table__code col-ref"><a href="'
_CLIENT_CELL = '</a></td>\n            <td class="col-client">\n              '
_BADGE_LINE = "\n              "
_SUBJECT_CELL = '\n            </td>\n            <td class="col-subject">'
_STATUS_CELL = '</td>\n            <td class="col-status"><span class="badge case-status case-status--'
_DESK_CELL = '</span></td>\n            <td class="col-desk col-p3"><abbr title="'
_ASSIGNEE_CELL = '</abbr></td>\n            <td class="col-assignee col-p2">'
_LANGUAGE_CELL = '</td>\n            <td class="col-language col-p3">'
_DUE_CELL = '</td>\n            <td class="col-due">'
_ACTIVITY_CELL = '</td>\n            <td class="col-activity col-p2"><time datetime="'
_ROW_END = "</time></td>\n          </tr>\n        "

_STATUS_BADGE = {
    CaseStatus.CLOSED.value: " badge--success",
    CaseStatus.WAITING.value: " badge--warning",
    CaseStatus.OPEN.value: " badge--info",
}
_DASH = "—"


def _escape(value) -> str:
    """conditional_escape(value), with a shortcut for the plain str that
    nearly every value is (Django's escape() is html.escape(str(value)))."""
    if value.__class__ is str:
        return html.escape(value)
    return conditional_escape(value)


def case_rows_html(rows: Iterable[Case]) -> SafeString:
    """The <tr> of every case of the page (rows from
    consult.selectors.cases.case_list, with their annotations)."""
    esc = _escape
    language = get_language()
    zone = timezone.get_current_timezone()
    url_start, url_end = (
        esc(part) for part in reverse("consult:case_detail", args=[_PK_PLACEHOLDER]).split(str(_PK_PLACEHOLDER))
    )
    anonymous = f'<span class="muted">{esc(gettext("anonymous"))}</span>'
    quick_contact = f'{_BADGE_LINE}<span class="badge">{esc(gettext("quick contact"))}</span>'
    overdue = f' <span class="badge badge--danger">{esc(gettext("overdue"))}</span>'
    status_labels = {value: esc(str(label)) for value, label in CaseStatus.choices}
    counts: dict[int, str] = {}
    desks: dict[int, str] = {}
    out: list[str] = []
    add = out.append
    for case in rows:
        add(_ROW_START)
        add(f"{url_start}{case.pk}{url_end}")
        add('">')
        add(esc(case.reference))
        add(_CLIENT_CELL)
        client = case.client
        add(f"<bdi>{esc(client.display_name)}</bdi>" if client else anonymous)
        add(quick_contact if case.is_quick_contact else _BADGE_LINE)
        add(_SUBJECT_CELL)
        add(esc(case.title or _DASH))
        count = case.consultation_count
        if count and count > 1:
            label = counts.get(count)
            if label is None:
                label = counts[count] = ngettext("%(counter)s consultation", "%(counter)s consultations", count) % {
                    "counter": esc(localize(count))
                }
            add(f' <span class="muted">({label})</span>')
        status = case.status
        add(_STATUS_CELL)
        add(esc(status))
        add(_STATUS_BADGE.get(status, ""))
        add('">')
        add(status_labels.get(status) or esc(status))
        desk_cell = desks.get(case.handling_desk_id)
        if desk_cell is None:
            desk = case.handling_desk
            desk_cell = desks[case.handling_desk_id] = f'{esc(desk.name)}">{esc(desk.code)}'
        add(_DESK_CELL)
        add(desk_cell)
        add(_ASSIGNEE_CELL)
        add(esc(case.assignee or _DASH))
        add(_LANGUAGE_CELL)
        add(esc(case.latest_language or _DASH))
        add(_DUE_CELL)
        due = case.next_due_date
        if due:
            add(f'<time datetime="{due.isoformat()}">{esc(dates.format_short(due, language=language))}</time>')
            if case.has_overdue_follow_up:
                add(overdue)
        else:
            add(_DASH)
        add(_ACTIVITY_CELL)
        activity = case.last_activity_at
        if activity is None:
            add('">')
        else:
            # In the current time zone, as the template's |date and
            # |short_date gave; converted once here, then handed to
            # format_short without its zone so it does not convert again.
            if timezone.is_aware(activity):
                activity = activity.astimezone(zone)
            add(f'{activity.isoformat()}">{esc(dates.format_short(activity.replace(tzinfo=None), language=language))}')
        add(_ROW_END)
    return mark_safe("".join(out))  # noqa: S308 — every value above is escaped


# --- the filter panel ------------------------------------------------------------
PANEL_TEMPLATE = "consult/partials/case_filter_panel.html"


def filter_panel_html(form: CaseListFilterForm) -> SafeString:
    """The case list's filter panel (all of the filter form but the search box).

    At its defaults the whole panel is the same for everyone with the same
    visible desks and language: kept per process as it was.  Otherwise each
    field is taken from the per-process copy rendered for the same scope,
    language and shown value, or rendered now: the filtered list no longer
    renders a dozen fields and a few hundred options (issue 13).  A field
    with an error, or a date (any day may be typed), is rendered each time."""
    scope = (get_language(), form.is_bound, visible_desk_ids(form.user))
    if form.panel_at_defaults():
        return rendered_filter_panel(scope, lambda: _render_panel(form, scope=None))
    return mark_safe(_render_panel(form, scope=scope))  # noqa: S308 — rendered templates


def _render_panel(form: CaseListFilterForm, *, scope: tuple | None) -> str:
    fields = {}
    for name in form.panel_defaults():
        bound = form[name]
        value = bound.value()
        if scope is None or bound.errors or (isinstance(bound.field, forms.DateField) and value not in (None, "")):
            fields[name] = _render_field(bound)
        else:
            fields[name] = rendered_filter_field((*scope, name, repr(value)), partial(_render_field, bound))
    return render_to_string(PANEL_TEMPLATE, {"fields": fields})


def search_field_html(form: CaseListFilterForm) -> str:
    """The search box (forms/field.html for `q`).  Empty, it is the same for
    everyone with the same language: kept per process like the panel's
    fields; with a query or an error it is rendered each time."""
    bound = form["q"]
    value = bound.value()
    if bound.errors or value not in (None, ""):
        return _render_field(bound)
    return rendered_filter_field((get_language(), form.is_bound, "q", repr(value)), partial(_render_field, bound))


def _render_field(bound) -> str:
    return render_to_string("forms/field.html", {"field": bound})
