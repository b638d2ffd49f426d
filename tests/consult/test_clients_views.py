"""Client search and likely matches (the intake's htmx partials) and the
client page: name normalisation through the endpoints, ranking, scope."""

import re
import uuid

import pytest
from django.urls import reverse

from consult import services
from consult.models import Language, Topic
from core.models import AuditEvent
from tests.factories import ClientFactory, as_user

pytestmark = pytest.mark.django_db

SEARCH = reverse("consult:client_search")
MATCHES = reverse("consult:client_matches")


def _found(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'name="client_choice" value="(\d+)"', response.content.decode())}


def _case_for(person, user, desk):
    return services.consultation_log(
        by=user,
        desk=desk,
        channel="walk_in",
        language=Language.objects.get(code="vi"),
        topics=[Topic.objects.get(code="other")],
        intake_token=uuid.uuid4(),
        client=person,
    ).case


# --- search -------------------------------------------------------------------------
def test_two_kanji_family_name_finds_the_full_name(client, hub_staff, hub_desk):
    tanaka = ClientFactory(registered_desk=hub_desk, name="田中 太郎", name_kana="タナカ タロウ")
    ClientFactory(registered_desk=hub_desk, name="中田 次郎")
    ClientFactory(registered_desk=hub_desk, name="佐藤 花子")
    as_user(client, hub_staff)
    response = client.get(SEARCH, {"q": "田中"})
    assert response.status_code == 200
    assert _found(response) == {tanaka.pk}
    html = response.content.decode()
    assert "田中 太郎" in html and "タナカ タロウ" in html
    # Order, width and script do not matter either.
    for q in ("太郎 田中", "たなか", "ﾀﾅｶ", "tanaka taro"):
        assert _found(client.get(SEARCH, {"q": q})) == {tanaka.pk}, q


def test_latin_name_is_found_in_any_case_and_through_a_stored_reading(client, hub_staff, hub_desk):
    latin = ClientFactory(registered_desk=hub_desk, name="", name_latin="NGUYEN Van A")
    katakana = ClientFactory(registered_desk=hub_desk, name="グエン・ヴァン・ア", name_latin="Nguyen Van A")
    ClientFactory(registered_desk=hub_desk, name="", name_latin="NGUYEN Thi Lan")
    as_user(client, hub_staff)
    assert _found(client.get(SEARCH, {"q": "nguyen van a"})) == {latin.pk, katakana.pk}
    assert _found(client.get(SEARCH, {"q": "ｸﾞｴﾝ ｳﾞｧﾝ"})) == {katakana.pk}


def test_search_shows_birth_year_nationality_and_visible_cases(client, hub_staff, hub_desk, ibara_clerk, ibara_desk):
    person = ClientFactory(registered_desk=ibara_desk, name="田中 太郎", birth_year=1988, nationality="VN")
    _case_for(person, ibara_clerk, ibara_desk)
    _case_for(person, hub_staff, hub_desk)
    # The Ibara clerk sees the person (registered at their desk) but only
    # one of the two cases: the count must not reveal the hub's case.
    as_user(client, ibara_clerk)
    html = client.get(SEARCH, {"q": "田中"}).content.decode()
    assert "1988" in html and "ベトナム" in html
    assert "1件" in html or "1 case" in html
    as_user(client, hub_staff)
    html = client.get(SEARCH, {"q": "田中"}).content.decode()
    assert "2件" in html or "2 cases" in html


def test_search_never_shows_clients_of_other_municipalities(client, hub_staff, ibara_clerk, soja_clerk, hub_desk):
    hub_client = ClientFactory(registered_desk=hub_desk, name="田中 太郎")
    _case_for(hub_client, hub_staff, hub_desk)
    as_user(client, ibara_clerk)
    response = client.get(SEARCH, {"q": "田中"})
    assert response.status_code == 200
    assert _found(response) == set()
    assert "太郎" not in response.content.decode()
    # Nor by picking the client's id (the "keep my choice" parameter).
    response = client.get(SEARCH, {"q": "", "client_choice": str(hub_client.pk)})
    assert _found(response) == set()
    as_user(client, soja_clerk)
    assert _found(client.get(SEARCH, {"q": "田中"})) == set()


def test_search_keeps_the_client_already_picked(client, hub_staff, hub_desk):
    picked = ClientFactory(registered_desk=hub_desk, name="山田 一郎")
    other = ClientFactory(registered_desk=hub_desk, name="田中 太郎")
    as_user(client, hub_staff)
    response = client.get(SEARCH, {"q": "田中", "client_choice": str(picked.pk)})
    assert _found(response) == {picked.pk, other.pk}
    assert re.search(rf'value="{picked.pk}" id="client-choice-{picked.pk}" checked', response.content.decode())


def test_merged_clients_are_not_found(client, coordinator, hub_desk):
    keep = ClientFactory(registered_desk=hub_desk, name="田中 太郎", birth_year=1988)
    dup = ClientFactory(registered_desk=hub_desk, name="田中 太郎")
    services.client_merge(keep=keep, merge=dup, by=coordinator)
    as_user(client, coordinator)
    assert _found(client.get(SEARCH, {"q": "田中"})) == {keep.pk}


def test_empty_or_blank_query_finds_nothing(client, hub_staff, hub_desk):
    ClientFactory(registered_desk=hub_desk, name="田中 太郎")
    as_user(client, hub_staff)
    for q in ("", "   ", "・"):
        response = client.get(SEARCH, {"q": q})
        assert response.status_code == 200 and _found(response) == set()


def test_search_wrong_method_and_anonymous(client, hub_staff):
    response = client.get(SEARCH, {"q": "田中"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    as_user(client, hub_staff)
    assert client.post(SEARCH, {"q": "田中"}).status_code == 405
    assert client.post(MATCHES).status_code == 405


# --- likely matches -------------------------------------------------------------------
def test_matches_rank_birth_year_and_nationality(client, hub_staff, hub_desk):
    best = ClientFactory(registered_desk=hub_desk, name="田中 太郎", birth_year=1988, nationality="VN")
    same_year = ClientFactory(registered_desk=hub_desk, name="田中 太郎", birth_year=1988, nationality="CN")
    other_year = ClientFactory(registered_desk=hub_desk, name="田中 太郎", birth_year=1990, nationality="VN")
    unknown = ClientFactory(registered_desk=hub_desk, name="TANAKA Taro")
    ClientFactory(registered_desk=hub_desk, name="佐藤 花子", birth_year=1988, nationality="VN")
    as_user(client, hub_staff)
    response = client.get(
        MATCHES,
        {"name": "田中　太郎", "name_kana": "", "name_latin": "Tanaka Taro", "birth_year": "1988", "nationality": "VN"},
    )
    assert response.status_code == 200
    order = [int(pk) for pk in re.findall(r'name="client_choice" value="(\d+)"', response.content.decode())]
    # 100 (name, year, nationality) > 60 (name, year) = 50 (name only) by id > 40 (name, other year).
    assert order[0] == best.pk
    assert order.index(same_year.pk) < order.index(other_year.pk)
    assert order.index(unknown.pk) < order.index(other_year.pk)
    assert len(order) == 4
    assert "data-pick-client" in response.content.decode()


def test_matches_through_reading_romaji_and_reversed_order(client, hub_staff, hub_desk):
    person = ClientFactory(registered_desk=hub_desk, name="グエン・ヴァン・ア", name_latin="NGUYEN Van A")
    as_user(client, hub_staff)
    for params in ({"name_latin": "Van A Nguyen"}, {"name_kana": "ぐえん ゔぁん"}, {"name": "Nguyễn Văn A"}):
        assert _found(client.get(MATCHES, params)) == {person.pk}, params


def test_matches_stay_inside_the_users_scope(client, ibara_clerk, hub_desk):
    ClientFactory(registered_desk=hub_desk, name="田中 太郎", birth_year=1988)
    as_user(client, ibara_clerk)
    response = client.get(MATCHES, {"name": "田中 太郎", "birth_year": "1988"})
    assert response.status_code == 200 and _found(response) == set()


def test_matches_ignore_nonsense_parameters(client, hub_staff, hub_desk):
    person = ClientFactory(registered_desk=hub_desk, name="田中 太郎", birth_year=1988)
    as_user(client, hub_staff)
    response = client.get(MATCHES, {"name": "田中", "birth_year": "19x8", "nationality": "1;"})
    assert _found(response) == {person.pk}
    assert _found(client.get(MATCHES, {})) == set()


# --- the client page ---------------------------------------------------------------------
def test_client_page_owner_and_colleague_and_audit(client, hub_staff, coordinator, hub_desk):
    person = ClientFactory(
        registered_desk=hub_desk, name="田中 太郎", name_kana="タナカ タロウ", birth_year=1988, nationality="VN"
    )
    case = _case_for(person, hub_staff, hub_desk)
    url = reverse("consult:client_detail", args=[person.pk])
    for user in (hub_staff, coordinator):
        as_user(client, user)
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "田中 太郎" in html and "タナカ タロウ" in html and "ベトナム" in html
        assert case.reference in html
        assert f'href="{reverse("consult:consultation_new")}?client={person.pk}"' in html
        assert AuditEvent.objects.filter(
            actor=user, action="view", object_type="consult.client", object_id=str(person.pk)
        ).exists()


def test_client_page_views_are_recorded_once_per_visit(client, hub_staff, coordinator, hub_desk, redis_cache):
    """A reload within the coalescing window adds nothing to the trail (as
    on the case page); another person's view is recorded on its own."""
    from django.test import TestCase

    person = ClientFactory(registered_desk=hub_desk, name="田中 太郎")
    _case_for(person, hub_staff, hub_desk)
    url = reverse("consult:client_detail", args=[person.pk])
    views = AuditEvent.objects.filter(action="view", object_type="consult.client", object_id=str(person.pk))
    for user in (hub_staff, coordinator):
        as_user(client, user)
        for _ in range(3):
            with TestCase.captureOnCommitCallbacks(execute=True):
                assert client.get(url).status_code == 200
        assert views.filter(actor=user).count() == 1
        event = views.get(actor=user)
        assert event.desk_id == hub_desk.pk and event.case_id is None


def test_client_page_shows_the_preferred_language_without_reading_it(client, hub_staff, hub_desk):
    """From the per-process reference rows: the page names the language and
    asks no query for it; a language no longer in those rows is still named."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from consult.reference_cache import clear_reference_cache

    vi = Language.objects.get(code="vi")
    person = ClientFactory(registered_desk=hub_desk, name="グエン テスト", preferred_language=vi)
    url = reverse("consult:client_detail", args=[person.pk])
    as_user(client, hub_staff)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert vi.autonym in html
    assert not [q for q in queries.captured_queries if 'FROM "consult_language"' in q["sql"]]
    retired = Language.objects.get(code="ne")
    Language.objects.filter(pk=retired.pk).update(active=False)
    clear_reference_cache()  # as the signals do when a language is retired
    person.preferred_language = retired
    person.save(update_fields=["preferred_language"])
    assert retired.autonym in client.get(url).content.decode()


def test_client_page_lists_only_visible_cases(client, hub_staff, ibara_clerk, hub_desk, ibara_desk):
    person = ClientFactory(registered_desk=ibara_desk, name="田中 太郎")
    ibara_case = _case_for(person, ibara_clerk, ibara_desk)
    hub_case = _case_for(person, hub_staff, hub_desk)
    as_user(client, ibara_clerk)
    html = client.get(reverse("consult:client_detail", args=[person.pk])).content.decode()
    assert ibara_case.reference in html
    assert hub_case.reference not in html


def test_client_page_outsider_gets_404(client, hub_staff, ibara_clerk, soja_clerk, outsider, hub_desk):
    person = ClientFactory(registered_desk=hub_desk, name="田中 太郎")
    _case_for(person, hub_staff, hub_desk)
    url = reverse("consult:client_detail", args=[person.pk])
    for user in (ibara_clerk, soja_clerk, outsider):
        as_user(client, user)
        assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="view", object_type="consult.client").exists()


def test_client_page_wrong_method_and_anonymous(client, hub_staff, hub_desk):
    person = ClientFactory(registered_desk=hub_desk, name="田中 太郎")
    url = reverse("consult:client_detail", args=[person.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    as_user(client, hub_staff)
    assert client.post(url).status_code == 405
    assert client.get(reverse("consult:client_detail", args=[999999])).status_code == 404
