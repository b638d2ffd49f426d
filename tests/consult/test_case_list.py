"""The case list (/cases/): access, search normalisation, filters, keyset
pagination, the bounded count and a constant number of queries."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consult import selectors, services
from consult.models import Case, Client, Consultation, FollowUp, Language, Topic
from consult.selectors import CaseFilters
from consult.selectors.cases import _encode_cursor
from tests.factories import ClientFactory, ConsultationFactory, as_user, make_case

pytestmark = pytest.mark.django_db

URL = reverse("consult:case_list")


def references(response) -> list[str]:
    """Reference numbers of the rows on the page, in order."""
    html = response.content.decode()
    return re.findall(r'data-testid="case-row">\s*<td class="table__code col-ref"><a href="[^"]+">([^<]+)</a>', html)


def get(client, user, **params):
    as_user(client, user)
    return client.get(URL, params)


# --- access ------------------------------------------------------------------
def test_hub_staff_sees_cases_of_every_desk(client, hub_staff, hub_desk, ibara_desk, ibara_clerk):
    own = make_case(hub_desk, hub_staff)
    partner = make_case(ibara_desk, ibara_clerk)
    response = get(client, hub_staff)
    assert response.status_code == 200
    assert set(references(response)) == {own.reference, partner.reference}


def test_permitted_colleague_sees_the_list(client, hub_staff, coordinator, hub_desk):
    case = make_case(hub_desk, hub_staff)
    assert references(get(client, coordinator)) == [case.reference]


def test_partner_clerk_sees_only_own_municipality(client, hub_staff, ibara_clerk, hub_desk, ibara_desk):
    make_case(hub_desk, hub_staff)
    own = make_case(ibara_desk, ibara_clerk)
    response = get(client, ibara_clerk)
    assert response.status_code == 200
    assert references(response) == [own.reference]
    # Not even by searching for it or filtering on the hub desk.
    response = get(client, ibara_clerk, desk=hub_desk.pk)
    assert references(response) == [own.reference]
    assert 'data-testid="filter-errors"' in response.content.decode()


@pytest.mark.parametrize("who", ["ibara_stats", "outsider"])
def test_people_without_cases_get_404(client, request, hub_staff, hub_desk, who):
    make_case(hub_desk, hub_staff)
    user = request.getfixturevalue(who)
    assert get(client, user).status_code == 404


def test_wrong_method(client, hub_staff):
    as_user(client, hub_staff)
    assert client.post(URL).status_code == 405


def test_anonymous_goes_to_sign_in(client, reference_data):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_nav_has_the_case_list(client, hub_staff, ibara_stats):
    as_user(client, hub_staff)
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()
    as_user(client, ibara_stats)
    assert f'href="{URL}"' not in client.get(reverse("home")).content.decode()


# --- search ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ({"name": "田中 太郎"}, "田中"),
        ({"name": "田中 太郎"}, "太郎 田中"),
        ({"name": "田中 太郎"}, "たなか"),
        ({"name_latin": "NGUYEN Van A"}, "nguyen van a"),
        ({"name_latin": "NGUYEN Van A"}, "van a nguyen"),
        ({"name": "グエン・ヴァン・ア", "name_latin": "Nguyen Van A"}, "nguyen van a"),
        ({"name": "グエン・ヴァン・ア"}, "ｸﾞｴﾝ ｳﾞｧﾝ"),
        ({"name": "グエン・ヴァン・ア"}, "ぐえん"),
        ({"name_latin": "Maria Santos"}, "ＳＡＮＴＯＳ　ｍａｒｉａ"),
        ({"name_latin": "Nguyễn Thị Lan"}, "NGUYEN THI"),
    ],
)
def test_name_search_normalisation(client, hub_staff, hub_desk, stored, query):
    person = ClientFactory(registered_desk=hub_desk, **{"name": "", **stored})
    wanted = make_case(hub_desk, hub_staff, client=person)
    other = ClientFactory(registered_desk=hub_desk, name="佐藤 花子", name_latin="Sato Hanako")
    make_case(hub_desk, hub_staff, client=other)
    make_case(hub_desk, hub_staff)  # anonymous
    assert references(get(client, hub_staff, q=query)) == [wanted.reference]


def test_two_kanji_name_finds_every_case_of_that_client(client, hub_staff, hub_desk):
    tanaka = ClientFactory(registered_desk=hub_desk, name="田中 太郎")
    first = make_case(hub_desk, hub_staff, client=tanaka, when=timezone.now() - timedelta(days=3))
    second = make_case(hub_desk, hub_staff, client=tanaka)
    make_case(hub_desk, hub_staff, client=ClientFactory(registered_desk=hub_desk, name="中田 一郎"))
    assert references(get(client, hub_staff, q="田中")) == [second.reference, first.reference]


def test_search_does_not_reach_clients_outside_scope(client, hub_staff, ibara_clerk, hub_desk, ibara_desk):
    krs_tanaka = ClientFactory(registered_desk=hub_desk, name="田中 太郎")
    make_case(hub_desk, hub_staff, client=krs_tanaka)
    response = get(client, ibara_clerk, q="田中")
    assert references(response) == []
    assert 'data-testid="no-results"' in response.content.decode()


@pytest.mark.parametrize(
    "query", ["KRS-2026-00042", "krs-2026-00042", "ＫＲＳ－２０２６－０００４２", " KRS-2026-00042 "]
)
def test_reference_search_exact(client, hub_staff, hub_desk, query):
    wanted = make_case(hub_desk, hub_staff, reference="KRS-2026-00042")
    make_case(hub_desk, hub_staff, reference="KRS-2026-00043")
    assert references(get(client, hub_staff, q=query)) == [wanted.reference]


def test_reference_search_prefix(client, hub_staff, hub_desk):
    a = make_case(hub_desk, hub_staff, reference="KRS-2026-00041", when=timezone.now() - timedelta(hours=1))
    b = make_case(hub_desk, hub_staff, reference="KRS-2026-00042")
    make_case(hub_desk, hub_staff, reference="KRS-2025-00042")
    assert references(get(client, hub_staff, q="KRS-2026-0004")) == [b.reference, a.reference]
    assert set(references(get(client, hub_staff, q="KRS-2026"))) == {a.reference, b.reference}


def test_reference_query_detection():
    assert selectors.reference_query("KRS-2026-00042") == "KRS-2026-00042"
    assert selectors.reference_query("krs–2026") == "KRS-2026"
    assert selectors.reference_query("LI") is None  # a surname, not a desk code
    assert selectors.reference_query("田中") is None
    assert selectors.reference_query("Nguyen Van-A") is None


# --- filters -----------------------------------------------------------------
def test_status_filters(client, hub_staff, hub_desk):
    open_case = make_case(hub_desk, hub_staff, status="open")
    waiting = make_case(hub_desk, hub_staff, status="waiting")
    closed = make_case(hub_desk, hub_staff, status="closed", outcome="resolved", closed_at=timezone.now())
    assert references(get(client, hub_staff, status="waiting")) == [waiting.reference]
    assert references(get(client, hub_staff, status="closed")) == [closed.reference]
    assert set(references(get(client, hub_staff, status="active"))) == {open_case.reference, waiting.reference}


def test_desk_filter(client, hub_staff, ibara_clerk, hub_desk, ibara_desk):
    make_case(hub_desk, hub_staff)
    partner = make_case(ibara_desk, ibara_clerk)
    assert references(get(client, hub_staff, desk=ibara_desk.pk)) == [partner.reference]


def test_assignee_filters(client, hub_staff, coordinator, hub_desk):
    mine = make_case(hub_desk, hub_staff, assignee=hub_staff)
    theirs = make_case(hub_desk, hub_staff, assignee=coordinator)
    nobody = make_case(hub_desk, hub_staff, assignee=None)
    assert references(get(client, hub_staff, assignee="me")) == [mine.reference]
    assert references(get(client, hub_staff, assignee=coordinator.pk)) == [theirs.reference]
    assert references(get(client, hub_staff, assignee="none")) == [nobody.reference]


def test_language_filter_matches_any_consultation(client, hub_staff, hub_desk):
    vietnamese = make_case(hub_desk, hub_staff, language="vi")
    make_case(hub_desk, hub_staff, language="en")
    both = make_case(hub_desk, hub_staff, language="en")
    ConsultationFactory(case=both, created_by=hub_staff, language=Language.objects.get(code="vi"))
    vi = Language.objects.get(code="vi")
    assert set(references(get(client, hub_staff, language=vi.pk))) == {vietnamese.reference, both.reference}


def test_topic_filter_parent_includes_children(client, hub_staff, hub_desk):
    extension = make_case(hub_desk, hub_staff, topics=["residency.extension"])
    change = make_case(hub_desk, hub_staff, topics=["residency.change"])
    make_case(hub_desk, hub_staff, topics=["tax.resident"])
    parent = Topic.objects.get(code="residency")
    child = Topic.objects.get(code="residency.change")
    assert set(references(get(client, hub_staff, topic=parent.pk))) == {extension.reference, change.reference}
    assert references(get(client, hub_staff, topic=child.pk)) == [change.reference]


def test_opened_date_range(client, hub_staff, hub_desk):
    today = timezone.localdate()
    old = make_case(hub_desk, hub_staff, when=timezone.now() - timedelta(days=10))
    recent = make_case(hub_desk, hub_staff, when=timezone.now() - timedelta(days=2))
    page = references(get(client, hub_staff, opened_from=(today - timedelta(days=3)).isoformat()))
    assert page == [recent.reference]
    page = references(get(client, hub_staff, opened_to=(today - timedelta(days=5)).isoformat()))
    assert page == [old.reference]
    response = get(client, hub_staff, opened_from=today.isoformat(), opened_to=(today - timedelta(days=1)).isoformat())
    assert 'data-testid="filter-errors"' in response.content.decode()


def test_residence_filter_with_outside_the_area(client, hub_staff, hub_desk, soja):
    local = ClientFactory(registered_desk=hub_desk, name="総社 在住", residence_municipality=soja)
    outside = ClientFactory(
        registered_desk=hub_desk, name="岡山 在住", lives_outside_area=True, residence_note="岡山市"
    )
    in_soja = make_case(hub_desk, hub_staff, client=local)
    outside_case = make_case(hub_desk, hub_staff, client=outside)
    make_case(hub_desk, hub_staff)
    assert references(get(client, hub_staff, residence=soja.pk)) == [in_soja.reference]
    assert references(get(client, hub_staff, residence="outside")) == [outside_case.reference]


def test_overdue_follow_up_filter_and_badge(client, hub_staff, hub_desk):
    late = make_case(hub_desk, hub_staff)
    on_time = make_case(hub_desk, hub_staff)
    done = make_case(hub_desk, hub_staff)
    today = timezone.localdate()
    FollowUp.objects.create(case=late, due_date=today - timedelta(days=1), note="call back", created_by=hub_staff)
    FollowUp.objects.create(case=on_time, due_date=today + timedelta(days=3), note="call back", created_by=hub_staff)
    FollowUp.objects.create(
        case=done, due_date=today - timedelta(days=5), note="call back", status="done", created_by=hub_staff
    )
    response = get(client, hub_staff, overdue="on")
    assert references(response) == [late.reference]
    assert "badge--danger" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"status": "bogus"},
        {"opened_from": "notadate"},
        {"desk": "abc"},
        {"assignee": "999999"},
        {"language": "-1"},
        {"topic": "x"},
        {"residence": "mars"},
        {"per_page": "7"},
        {"sort": "password"},
    ],
)
def test_bad_filter_values_are_reported_not_fatal(client, hub_staff, hub_desk, params):
    case = make_case(hub_desk, hub_staff)
    response = get(client, hub_staff, **params)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="filter-errors"' in html
    # The bad filter is left out; the list still shows what is there.
    assert references(response) == [case.reference]


@pytest.mark.parametrize("cursor", ["garbage", "eyJzIjoiYWN0aXZpdHkifQ:bad:sig", "a" * 500])
def test_tampered_cursor_shows_first_page_with_a_message(client, hub_staff, hub_desk, cursor):
    case = make_case(hub_desk, hub_staff)
    response = get(client, hub_staff, cursor=cursor)
    assert response.status_code == 200
    assert 'data-testid="cursor-problem"' in response.content.decode()
    assert references(response) == [case.reference]


def test_cursor_of_another_sort_is_refused(hub_staff, hub_desk):
    for _ in range(3):
        make_case(hub_desk, hub_staff)
    page = selectors.case_list(user=hub_staff, per_page=10, filters=CaseFilters(sort="opened"))
    other = selectors.case_list(user=hub_staff, per_page=10)
    assert page.rows and other.rows
    cursor = _encode_cursor(page.rows[0], "opened", "n")
    with pytest.raises(selectors.InvalidCursor):
        selectors.case_list(user=hub_staff, cursor=cursor, per_page=10)


def test_no_results_message(client, hub_staff, hub_desk):
    make_case(hub_desk, hub_staff)
    response = get(client, hub_staff, q="存在しない名前")
    assert references(response) == []
    assert 'data-testid="no-results"' in response.content.decode()


# --- keyset pagination ----------------------------------------------------------
def _walk(client, user, params, direction="next-page"):
    """Follow next (or previous) links from the first page; every row seen, in order."""
    seen = []
    as_user(client, user)
    response = client.get(URL, params)
    pages = 0
    while True:
        pages += 1
        seen += references(response)
        match = re.search(rf'href="([^"]+)" rel="\w+" data-testid="{direction}"', response.content.decode())
        if not match or pages > 50:
            return seen, response
        response = client.get(match.group(1).replace("&amp;", "&"))


@pytest.mark.parametrize("sort", ["activity", "opened", "opened_asc", "reference"])
def test_keyset_pagination_visits_every_row_once(client, hub_staff, hub_desk, sort):
    base = timezone.now().replace(microsecond=0)
    # Many rows share a timestamp: the id breaks the tie, nothing is skipped.
    for i in range(23):
        make_case(hub_desk, hub_staff, when=base - timedelta(minutes=i // 4))
    expected = list(selectors.case_list(user=hub_staff, per_page=100, filters=CaseFilters(sort=sort)).rows)
    assert len(expected) == 23
    seen, last = _walk(client, hub_staff, {"sort": sort, "per_page": 10})
    assert seen == [c.reference for c in expected]
    assert len(seen) == len(set(seen)) == 23
    # …and back again with the "previous" links from the last page.
    back = []
    response = last
    while True:
        back = references(response) + back
        match = re.search(r'href="([^"]+)" rel="prev" data-testid="prev-page"', response.content.decode())
        if not match:
            break
        response = client.get(match.group(1).replace("&amp;", "&"))
    assert back == seen


def test_keyset_order_matches_the_index(hub_staff, hub_desk):
    base = timezone.now()
    cases = [make_case(hub_desk, hub_staff, when=base) for _ in range(5)]
    rows = selectors.case_list(user=hub_staff, per_page=10).rows
    assert [c.pk for c in rows] == sorted((c.pk for c in cases), reverse=True)


def test_paging_keeps_the_filters(client, hub_staff, hub_desk):
    for _ in range(12):
        make_case(hub_desk, hub_staff, status="waiting")
    for _ in range(5):
        make_case(hub_desk, hub_staff, status="open")
    seen, _last = _walk(client, hub_staff, {"status": "waiting", "per_page": 10})
    assert len(seen) == 12
    assert set(Case.objects.filter(reference__in=seen).values_list("status", flat=True)) == {"waiting"}


# --- the bounded count ------------------------------------------------------------
def test_count_is_exact_below_the_cap(client, hub_staff, hub_desk, settings):
    settings.CASE_LIST_COUNT_CAP = 5
    for _ in range(4):
        make_case(hub_desk, hub_staff)
    html = get(client, hub_staff).content.decode()
    count = re.search(r'data-testid="case-count">\s*([^<]+?)\s*<', html).group(1)
    assert "4" in count and "+" not in count


def test_count_shows_plus_beyond_the_cap(client, hub_staff, hub_desk, settings):
    settings.CASE_LIST_COUNT_CAP = 5
    for _ in range(7):
        make_case(hub_desk, hub_staff)
    page = selectors.case_list(user=hub_staff, per_page=10)
    assert page.count == 5 and page.count_capped and page.count_label == "5+"
    html = get(client, hub_staff).content.decode()
    count = re.search(r'data-testid="case-count">\s*([^<]+?)\s*<', html).group(1)
    assert "5+" in count
    assert len(references(get(client, hub_staff))) == 7


def test_count_label_uses_thousands_separator(hub_staff, hub_desk, settings):
    settings.CASE_LIST_COUNT_CAP = 10_000
    page = selectors.CaseListPage(
        rows=[],
        count=10_000,
        count_capped=True,
        count_cap=10_000,
        next_cursor=None,
        prev_cursor=None,
        per_page=25,
        sort="activity",
    )
    assert page.count_label == "10,000+"


# --- constant queries ----------------------------------------------------------------
def _many_cases(n, desk, staff):
    """n full cases (client, two consultations with topics, follow-ups) through the service."""
    vi, en = Language.objects.get(code="vi"), Language.objects.get(code="en")
    topics = [Topic.objects.get(code="residency.extension"), Topic.objects.get(code="tax.resident")]
    for i in range(n):
        person = Client.objects.create(registered_desk=desk, name=f"テスト 太郎{i}", name_latin=f"Test Taro{i}")
        first = services.consultation_log(
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
            by=staff,
            desk=desk,
            channel="phone",
            language=en,
            topics=topics[:1],
            intake_token=uuid.uuid4(),
            case=first.case,
        )


def test_queries_are_constant_per_page_size(client, hub_staff, coordinator, hub_desk):
    _many_cases(105, hub_desk, hub_staff)
    assert Consultation.objects.count() == 210
    as_user(client, coordinator)
    client.get(URL)  # warm the per-process reference cache like any running server
    counts = {}
    for per_page in (10, 100):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"per_page": per_page, "q": "テスト"})
        assert response.status_code == 200
        assert len(references(response)) == per_page
        counts[per_page] = len(queries)
    assert counts[10] == counts[100], counts
    # user, memberships (with their desks), the bounded count, the rows, the
    # unread notifications in the header, the audit of the clients named on
    # the page (one INSERT … SELECT, core.audit.audit_views).  The session is
    # in Redis, the filter choices in the per-process reference cache (issue 13).
    assert counts[10] <= 6, counts


def test_selector_runs_two_queries(hub_staff, hub_desk, django_assert_num_queries):
    _many_cases(12, hub_desk, hub_staff)
    selectors.case_list(user=hub_staff, per_page=10)  # fills the visibility cache on the user
    for per_page in (10, 100):
        with django_assert_num_queries(2):
            page = selectors.case_list(user=hub_staff, per_page=per_page, filters=CaseFilters(q="テスト", overdue=True))
            [(row.client.display_name, row.handling_desk.code, row.latest_language) for row in page.rows]


def test_a_name_search_counts_exactly_only_up_to_its_own_cap(client, hub_staff, hub_desk, settings):
    """A name search stops counting at its own CASE_SEARCH_COUNT_CAP, apart from the list's:
    beyond it the count says "N+", every matching case is still reachable
    page by page, newest first, and the plain list keeps its own cap."""
    settings.CASE_LIST_COUNT_CAP = 100
    settings.CASE_SEARCH_COUNT_CAP = 3
    person = ClientFactory(registered_desk=hub_desk, name="検索 上限", name_latin="Kensaku Jogen")
    now = timezone.now()
    made = [make_case(hub_desk, hub_staff, client=person, when=now - timedelta(hours=i)) for i in range(12)]
    make_case(hub_desk, hub_staff)  # another client's case: not a match
    expected = [c.reference for c in made]
    search = selectors.CaseFilters(q="kensaku")
    page = selectors.case_list(user=hub_staff, filters=search, per_page=10)
    assert (page.count, page.count_capped, page.count_label) == (3, True, "3+")
    assert [c.reference for c in page.rows] == expected[:10]
    seen, _last = _walk(client, hub_staff, {"q": "上限", "per_page": 10})
    assert seen == expected
    # Under the cap: exact, through the one statement that counts and picks the page.
    settings.CASE_SEARCH_COUNT_CAP = 1_000
    page = selectors.case_list(user=hub_staff, filters=search, per_page=10)
    assert (page.count, page.count_capped) == (12, False)
    assert [c.reference for c in page.rows] == expected[:10]
    following = selectors.case_list(user=hub_staff, filters=search, per_page=10, cursor=page.next_cursor)
    assert [c.reference for c in following.rows] == expected[10:]
    assert following.next_cursor is None
    back = selectors.case_list(user=hub_staff, filters=search, per_page=10, cursor=following.prev_cursor)
    assert [c.reference for c in back.rows] == expected[:10]
    # The plain list is counted up to its own cap.
    assert selectors.case_list(user=hub_staff, per_page=10).count == 13


def test_a_full_name_counts_further_than_one_name_part(client, hub_staff, hub_desk, settings):
    """Two name parts or more (a full name) count up to CASE_SEARCH_FULL_NAME_COUNT_CAP:
    the exact number and the newest page from one statement, where one part
    alone says "N+"; beyond the full-name cap, "N+" and the same pages."""
    settings.CASE_SEARCH_COUNT_CAP = 3
    settings.CASE_SEARCH_FULL_NAME_COUNT_CAP = 8
    person = ClientFactory(registered_desk=hub_desk, name="全名 数", name_latin="Zenmei Kazoe")
    namesake = ClientFactory(registered_desk=hub_desk, name="全名 別人", name_latin="Zenmei Betsunin")
    now = timezone.now()
    made = [make_case(hub_desk, hub_staff, client=person, when=now - timedelta(hours=i)) for i in range(6)]
    make_case(hub_desk, hub_staff, client=namesake, when=now - timedelta(minutes=30))
    one_part = selectors.case_list(user=hub_staff, filters=selectors.CaseFilters(q="zenmei"), per_page=10)
    assert (one_part.count_label, one_part.count_capped) == ("3+", True)
    for q in ("Zenmei Kazoe", "kazoe zenmei", "全名 数"):
        page = selectors.case_list(user=hub_staff, filters=selectors.CaseFilters(q=q), per_page=10)
        assert (page.count, page.count_capped, page.count_label) == (6, False, "6"), q
        assert [c.reference for c in page.rows] == [c.reference for c in made], q
    # More cases of that name than the full-name cap: "8+", and every case still reachable.
    made += [make_case(hub_desk, hub_staff, client=person, when=now - timedelta(days=1, hours=i)) for i in range(6)]
    page = selectors.case_list(user=hub_staff, filters=selectors.CaseFilters(q="Zenmei Kazoe"), per_page=10)
    assert (page.count_label, page.count_capped) == ("8+", True)
    seen, _last = _walk(client, hub_staff, {"q": "Zenmei Kazoe", "per_page": 10})
    assert seen == [c.reference for c in made]


@pytest.mark.parametrize("sort", ["activity", "opened_asc", "reference"])
def test_a_filtered_list_pages_the_same_on_both_sides_of_the_count_cap(client, hub_staff, hub_desk, settings, sort):
    """Within the cap the page comes from the one statement that counts
    (the matches sorted); beyond it, along the sort index.  Both give the
    same pages forwards and backwards, and only the matching cases."""
    base = timezone.now().replace(microsecond=0)
    for i in range(34):
        make_case(hub_desk, hub_staff, language="vi" if i % 3 else "en", when=base - timedelta(minutes=i // 2))
    english = CaseFilters(language_id=Language.objects.get(code="en").pk, sort=sort)

    def pages():
        out, cursor, last = [], None, None
        while True:
            last = selectors.case_list(user=hub_staff, filters=english, per_page=10, cursor=cursor)
            out.append([c.reference for c in last.rows])
            cursor = last.next_cursor
            if not cursor:
                break
        back = selectors.case_list(user=hub_staff, filters=english, per_page=10, cursor=last.prev_cursor)
        return out, [c.reference for c in back.rows], (last.count, last.count_capped)

    settings.CASE_LIST_COUNT_CAP = 1_000
    within, back_within, counted = pages()
    settings.CASE_LIST_COUNT_CAP = 3
    beyond, back_beyond, capped = pages()
    assert len(within) == 2 and within == beyond and back_within == back_beyond == within[0]
    assert counted == (12, False) and capped == (3, True)
    english_cases = set(Case.objects.filter(consultations__language__code="en").values_list("reference", flat=True))
    assert {ref for page in within for ref in page} == english_cases and len(english_cases) == 12


@pytest.mark.parametrize("q", ["・", "!!"])
def test_a_name_search_with_nothing_to_match_is_an_empty_page_not_an_error(client, hub_staff, hub_desk, q):
    """Found by the hypothesis fuzzing of every form: a query with no name
    characters left after normalisation makes Django prove the match empty
    before asking the database (EmptyResultSet); the list says "0 cases"."""
    make_case(hub_desk, hub_staff)
    page = selectors.case_list(user=hub_staff, filters=selectors.CaseFilters(q=q))
    assert (page.count, page.rows, page.count_capped) == (0, [], False)
    response = get(client, hub_staff, q=q)
    assert response.status_code == 200
    assert references(response) == []
