"""Constant, small query counts per page (issue 13): the case list in ≤ 6
queries, the case page in ≤ 10, and fixed budgets for the client page and
home — counted with the session in Redis, as in production."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consult import services
from consult.models import Client, Language, Topic
from tests.factories import as_user

pytestmark = pytest.mark.django_db

LIST_MAX = 6
CASE_PAGE_MAX = 10
CLIENT_PAGE_MAX = 9
HOME_MAX = 11


def _cases(n, desk, staff):
    vi = Language.objects.get(code="vi")
    topics = [Topic.objects.get(code="residency.extension"), Topic.objects.get(code="tax.resident")]
    cases = []
    for i in range(n):
        person = Client.objects.create(registered_desk=desk, name=f"テスト 花子{i}", name_latin=f"Test Hanako{i}")
        logged = services.consultation_log(
            by=staff,
            desk=desk,
            channel="walk_in",
            language=vi,
            topics=topics,
            intake_token=uuid.uuid4(),
            client=person,
            follow_up=services.FollowUpRequest(due_date=timezone.localdate() - timedelta(days=i % 3), note="確認"),
        )
        services.consultation_log(
            by=staff, desk=desk, channel="phone", language=vi, topics=topics[:1], intake_token=uuid.uuid4(),
            case=logged.case,
        )  # fmt: skip
        cases.append(logged.case)
    return cases


def _count(client, url, data=None):
    # Warm the per-process caches like any running server; the request's
    # writes commit (the case-view mark in Redis is set at commit).
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.get(url, data)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    assert response.status_code == 200, url
    return [q["sql"] for q in queries.captured_queries]


@pytest.fixture
def signed_in(client, hub_staff, redis_cache):
    return as_user(client, hub_staff)


def test_case_list_takes_at_most_six_queries(signed_in, hub_staff, hub_desk):
    _cases(12, hub_desk, hub_staff)
    url = reverse("consult:case_list")
    for data in (None, {"q": "テスト"}, {"q": "hanako", "status": "active", "per_page": 10}):
        queries = _count(signed_in, url, data)
        assert len(queries) <= LIST_MAX, (data, queries)


def test_case_list_for_a_partner_clerk(client, ibara_clerk, ibara_desk, redis_cache):
    _cases(3, ibara_desk, ibara_clerk)
    queries = _count(as_user(client, ibara_clerk), reverse("consult:case_list"))
    assert len(queries) <= LIST_MAX, queries


def test_case_page_takes_at_most_ten_queries(signed_in, hub_staff, hub_desk):
    earlier, case = _cases(2, hub_desk, hub_staff)
    services.case_link_earlier(case=case, earlier=earlier, by=hub_staff)
    queries = _count(signed_in, reverse("consult:case_detail", args=[case.pk]))
    assert len(queries) <= CASE_PAGE_MAX, queries


def _reads(queries, table):
    """The statements that read rows of `table` (not an EXISTS about it)."""
    return [q for q in queries if q.startswith(f'SELECT "{table}"."id"')]


def _reads_links(queries):
    return [q for q in queries if "UNION SELECT from_case_id" in q]


def test_case_page_does_not_read_what_the_case_has_none_of(signed_in, hub_staff, hub_desk):
    """A case without hand-offs, links (再相談), bookings or follow-ups: the
    case's own query says so (EXISTS flags) and the page reads none of them."""
    vi = Language.objects.get(code="vi")
    bare = services.consultation_log(
        by=hub_staff, desk=hub_desk, channel="walk_in", language=vi,
        topics=[Topic.objects.get(code="tax.resident")], intake_token=uuid.uuid4(),
    ).case  # fmt: skip
    queries = _count(signed_in, reverse("consult:case_detail", args=[bare.pk]))
    for table in ("consult_handoff", "consult_followup", "interpreters_booking"):
        assert not _reads(queries, table), (table, queries)
    assert not _reads_links(queries), queries
    assert len(queries) <= CASE_PAGE_MAX - 3, queries
    # The same page of a case that has a follow-up and a link reads them, and shows them.
    earlier, case = _cases(2, hub_desk, hub_staff)
    services.case_link_earlier(case=case, earlier=earlier, by=hub_staff)
    queries = _count(signed_in, reverse("consult:case_detail", args=[case.pk]))
    assert _reads(queries, "consult_followup") and _reads_links(queries)
    html = signed_in.get(reverse("consult:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="timeline-follow-up"' in html and earlier.reference in html
    html = signed_in.get(reverse("consult:case_detail", args=[earlier.pk])).content.decode()
    assert case.reference in html  # the later case, from the other side of the link


def test_case_page_of_a_received_referral_takes_at_most_ten_queries(
    client, ibara_clerk, ibara_desk, soja, kurashiki, redis_cache
):
    """The receiving desk's view: access through an accepted hand-off (read
    once, with the page's hand-off list), a consent, two consultations."""
    from consult.services import handoffs as handoff_services
    from tests.conftest import _member

    soja_clerk = _member(soja, "partner_clerk", username="t-clerk-soja-perf")
    (case,) = _cases(1, ibara_desk, ibara_clerk)
    handoff_services.consent_record(
        client=case.client, by=ibara_clerk, explanation_language=Language.objects.get(code="ja"), municipalities=[soja]
    )
    handoff = handoff_services.handoff_send(
        case=case, by=ibara_clerk, kind="referral", to_desk=soja.desks.get(), shares_client=True, shares_notes=True
    )
    handoff_services.handoff_accept(handoff=handoff, by=soja_clerk)
    page = as_user(client, soja_clerk)
    queries = _count(page, reverse("consult:case_detail", args=[case.pk]))
    assert len(queries) <= CASE_PAGE_MAX, queries
    html = page.get(reverse("consult:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="case-handoff"' in html and case.client.name in html


def test_client_page_query_budget(signed_in, hub_staff, hub_desk):
    (case,) = _cases(1, hub_desk, hub_staff)
    queries = _count(signed_in, reverse("consult:client_detail", args=[case.client_id]))
    assert len(queries) <= CLIENT_PAGE_MAX, queries


def test_home_query_budget(signed_in, hub_staff, hub_desk):
    _cases(4, hub_desk, hub_staff)
    queries = _count(signed_in, reverse("home"))
    assert len(queries) <= HOME_MAX, queries


def test_no_session_write_on_a_plain_page_view(signed_in, hub_staff, hub_desk):
    url = reverse("home")
    signed_in.get(url)
    queries = _count(signed_in, url)
    assert not [q for q in queries if "django_session" in q], queries
