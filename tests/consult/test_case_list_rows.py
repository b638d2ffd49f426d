"""The case list's rows are written in Python (consult/case_list_html.py,
issue 13).  They must be byte for byte what the template loop they replace
gave — kept here as REFERENCE_LOOP — for every kind of row, in Japanese and
English, and escape and isolate what clients' names hold."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from consult.case_list_html import case_rows_html
from consult.models import FollowUp
from consult.selectors import cases as case_selectors
from tests.factories import ClientFactory, ConsultationFactory, as_user, make_case

pytestmark = pytest.mark.django_db

URL = reverse("consult:case_list")

# The loop of templates/consult/case_list.html before the rows moved to
# Python (commit "Case list: rows written in Python"), verbatim.
REFERENCE_LOOP = (
    "{% load i18n dates %}"
    + """{% for case in page.rows %}
          <tr data-testid="case-row">
            <td class="table__code col-ref"><a href="{% url 'consult:case_detail' case.pk %}">{{ case.reference }}</a></td>
            <td class="col-client">
              {% if case.client %}<bdi>{{ case.client.display_name }}</bdi>{% else %}<span class="muted">{% translate "anonymous" %}</span>{% endif %}
              {% if case.is_quick_contact %}<span class="badge">{% translate "quick contact" %}</span>{% endif %}
            </td>
            <td class="col-subject">{{ case.title|default:"—" }}{% if case.consultation_count and case.consultation_count > 1 %} <span class="muted">({% blocktranslate count counter=case.consultation_count %}{{ counter }} consultation{% plural %}{{ counter }} consultations{% endblocktranslate %})</span>{% endif %}</td>
            <td class="col-status"><span class="badge case-status case-status--{{ case.status }}{% if case.status == 'closed' %} badge--success{% elif case.status == 'waiting' %} badge--warning{% elif case.status == 'open' %} badge--info{% endif %}">{{ case.get_status_display }}</span></td>
            <td class="col-desk col-p3"><abbr title="{{ case.handling_desk.name }}">{{ case.handling_desk.code }}</abbr></td>
            <td class="col-assignee col-p2">{{ case.assignee|default:"—" }}</td>
            <td class="col-language col-p3">{{ case.latest_language|default:"—" }}</td>
            <td class="col-due">{% if case.next_due_date %}<time datetime="{{ case.next_due_date|date:'Y-m-d' }}">{{ case.next_due_date|short_date }}</time>{% if case.has_overdue_follow_up %} <span class="badge badge--danger">{% translate "overdue" %}</span>{% endif %}{% else %}—{% endif %}</td>
            <td class="col-activity col-p2"><time datetime="{{ case.last_activity_at|date:'c' }}">{{ case.last_activity_at|short_date }}</time></td>
          </tr>
        {% endfor %}"""
)

EVIL_NAME = "<script>alert(1)</script>\u202egnp.exe"


def reference_rows(rows) -> str:
    return engines["django"].from_string(REFERENCE_LOOP).render({"page": {"rows": rows}})


@pytest.fixture
def varied_cases(hub_staff, coordinator, hub_desk):
    """One case of each kind a row distinguishes."""
    now = timezone.now()
    today = timezone.localdate()
    evil = ClientFactory(registered_desk=hub_desk, name=EVIL_NAME, name_latin='O\'Brien & "Sons"')
    cases = {
        "evil": make_case(hub_desk, hub_staff, client=evil, title='<b>"rent" & deposit</b>', assignee=coordinator),
        "anonymous": make_case(hub_desk, hub_staff, title=""),
        "quick": make_case(hub_desk, hub_staff, is_quick_contact=True),
        "quick_named": make_case(
            hub_desk, hub_staff, client=ClientFactory(registered_desk=hub_desk), is_quick_contact=True
        ),
        "waiting": make_case(hub_desk, hub_staff, status="waiting", language="en"),
        "in_progress": make_case(hub_desk, hub_staff, status="in_progress"),
        "closed": make_case(hub_desk, hub_staff, status="closed", outcome="resolved", closed_at=now),
        "overdue": make_case(hub_desk, hub_staff, client=ClientFactory(registered_desk=hub_desk)),
        "due_later": make_case(hub_desk, hub_staff),
        "two_consultations": make_case(hub_desk, hub_staff),
        "many_consultations": make_case(hub_desk, hub_staff, when=now - timedelta(days=400)),
    }
    FollowUp.objects.create(
        case=cases["overdue"], due_date=today - timedelta(days=2), note="call", created_by=hub_staff
    )
    FollowUp.objects.create(
        case=cases["due_later"], due_date=today + timedelta(days=9), note="call", created_by=hub_staff
    )
    ConsultationFactory(case=cases["two_consultations"], created_by=hub_staff, occurred_at=now)
    for _ in range(4):
        ConsultationFactory(case=cases["many_consultations"], created_by=hub_staff, occurred_at=now)
    return cases


def page_rows(user):
    return case_selectors.case_list(user=user, per_page=100).rows


def row_of(html: str, reference: str) -> str:
    return re.search(
        r'<tr data-testid="case-row">(?:(?!</tr>).)*?>' + re.escape(reference) + r"</a>.*?</tr>", html, re.S
    ).group(0)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_rows_are_those_of_the_template_loop(hub_staff, varied_cases, language):
    rows = page_rows(hub_staff)
    assert len(rows) == len(varied_cases)
    with translation.override(language):
        expected = reference_rows(rows)
        assert case_rows_html(rows) == expected


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_page_shows_the_rows_of_the_template_loop(client, hub_staff, varied_cases, language):
    hub_staff.ui_language = language
    hub_staff.save(update_fields=["ui_language"])
    as_user(client, hub_staff)
    html = client.get(URL).content.decode()
    with translation.override(language):
        expected = reference_rows(page_rows(hub_staff))
    assert f"<tbody>\n        {expected}\n        </tbody>" in html
    dense = client.get(URL, {"view": "dense"}).content.decode()
    assert 'class="table case-table case-table--dense"' in dense
    assert f"<tbody>\n        {expected}\n        </tbody>" in dense


def test_a_name_is_escaped_and_isolated(hub_staff, varied_cases):
    html = case_rows_html(page_rows(hub_staff))
    row = row_of(html, varied_cases["evil"].reference)
    assert "<script>" not in html and "<b>" not in html
    name = "&lt;script&gt;alert(1)&lt;/script&gt;\u202egnp.exe (O&#x27;Brien &amp; &quot;Sons&quot;)"
    assert f'<td class="col-client">\n              <bdi>{name}</bdi>\n' in row
    assert "&lt;b&gt;&quot;rent&quot; &amp; deposit&lt;/b&gt;" in row


def test_status_badges_overdue_quick_contact_and_anonymous(hub_staff, varied_cases):
    with translation.override("ja"):
        html = case_rows_html(page_rows(hub_staff))

    def row(name):
        return row_of(html, varied_cases[name].reference)

    assert '<span class="badge case-status case-status--closed badge--success">終了</span>' in row("closed")
    assert "case-status--waiting badge--warning" in row("waiting")
    assert "case-status--open badge--info" in row("due_later")
    assert 'case-status--in_progress">' in row("in_progress")
    assert '<span class="badge badge--danger">期日超過</span>' in row("overdue")
    assert "badge--danger" not in row("due_later")
    due = (timezone.localdate() + timedelta(days=9)).isoformat()
    assert f'<time datetime="{due}">{due.replace("-", "/")}</time>' in row("due_later")
    assert '<td class="col-due">—</td>' in row("anonymous")
    assert '<span class="muted">匿名</span>' in row("anonymous") and "<bdi>" not in row("anonymous")
    assert '<span class="muted">匿名</span>\n              <span class="badge">簡易受付</span>' in row("quick")
    assert '</bdi>\n              <span class="badge">簡易受付</span>' in row("quick_named")
    assert "簡易受付" not in row("evil")
    assert '<td class="col-subject">—' in row("anonymous")


def test_consultation_count_in_japanese_and_english(hub_staff, varied_cases):
    rows = page_rows(hub_staff)
    with translation.override("ja"):
        ja = case_rows_html(rows)
    with translation.override("en"):
        en = case_rows_html(rows)
    assert '<span class="muted">(相談 2 回)</span>' in row_of(ja, varied_cases["two_consultations"].reference)
    assert '<span class="muted">(5 consultations)</span>' in row_of(en, varied_cases["many_consultations"].reference)
    assert "consultation" not in row_of(en, varied_cases["overdue"].reference).split("col-subject")[1].split("</td>")[0]
    assert "(相談" not in row_of(ja, varied_cases["overdue"].reference)
