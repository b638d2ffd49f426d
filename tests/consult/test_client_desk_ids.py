"""Client.desk_ids is kept by the database (migration 0004): it lets name
search lead with the tenant.  These tests pin the triggers' behaviour."""

from consult import services
from consult.models import Case, Client
from tests.factories import CaseFactory


def _desk_ids(client) -> list[int]:
    return Client.objects.values_list("desk_ids", flat=True).get(pk=client.pk)


def test_new_client_holds_its_registered_desk(hub_staff, hub_desk):
    client = services.client_create(by=hub_staff, desk=hub_desk, data={"name": "山田 花子"})
    assert _desk_ids(client) == [hub_desk.pk]


def test_a_case_at_another_desk_adds_that_desk_and_moving_it_away_removes_it(hub_staff, hub_desk, ibara):
    ibara_desk = ibara.desks.get()
    client = services.client_create(by=hub_staff, desk=hub_desk, data={"name": "山田 花子"})
    case = CaseFactory(client=client, handling_desk=ibara_desk)
    assert _desk_ids(client) == sorted([hub_desk.pk, ibara_desk.pk])
    Case.objects.filter(pk=case.pk).update(handling_desk=hub_desk)
    assert _desk_ids(client) == [hub_desk.pk]


def test_a_stale_value_saved_from_python_is_corrected(hub_staff, hub_desk, ibara):
    client = services.client_create(by=hub_staff, desk=hub_desk, data={"name": "山田 花子"})
    CaseFactory(client=client, handling_desk=ibara.desks.get())
    client.desk_ids = []  # what an old Python object would write back
    client.phone = "000-0000-0000"
    client.save()
    assert set(_desk_ids(client)) == {hub_desk.pk, ibara.desks.get().pk}


def test_partner_clerk_finds_a_hub_client_only_once_a_case_is_at_their_desk(hub_staff, ibara_clerk, hub_desk, ibara):
    client = services.client_create(by=hub_staff, desk=hub_desk, data={"name": "田中 太郎"})
    assert list(Client.objects.visible_to(ibara_clerk).search("田中")) == []
    CaseFactory(client=client, handling_desk=ibara.desks.get())
    assert list(Client.objects.visible_to(ibara_clerk).search("田中")) == [client]


def test_merge_moves_the_desks_with_the_cases(coordinator, hub_staff, hub_desk, ibara):
    keep = services.client_create(by=hub_staff, desk=hub_desk, data={"name": "王 芳"})
    merge = services.client_create(by=hub_staff, desk=hub_desk, data={"name": "王芳"})
    CaseFactory(client=merge, handling_desk=ibara.desks.get())
    services.client_merge(keep=keep, merge=merge, by=coordinator)
    assert set(_desk_ids(keep)) == {hub_desk.pk, ibara.desks.get().pk}
    assert _desk_ids(merge) == [hub_desk.pk]


def test_name_search_within_the_visible_desks_is_one_gin_index_scan(hub_staff, ibara_clerk, hub_desk, ibara):
    from django.db import connection

    for n in range(60):
        services.client_create(by=hub_staff, desk=hub_desk, data={"name_latin": f"Synthetic Person{n:02d}"})
    services.client_create(by=ibara_clerk, desk=ibara.desks.get(), data={"name": "田中 太郎"})
    sql, params = Client.objects.visible_to(ibara_clerk).search("田中").values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        # Price out sequential and plain index scans: only an index that can
        # answer the filters themselves remains.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on client_name_desks_gin" in plan, plan
    assert "name_grams @> '{田中}'" in plan and "desk_ids && " in plan, plan


def test_a_name_of_three_characters_or_more_is_found_on_the_trigram_index(hub_staff, ibara_clerk, hub_desk, ibara):
    """Every token of three characters or more: no bigram containment, the
    LIKEs themselves can be answered by client_search_trgm_desks_gin.  (On a
    few hundred rows which GIN index the planner takes is its whim: the
    clerk's one desk is as good a sieve there, so the index is shown usable
    for the name alone.)"""
    from django.db import connection

    for n in range(60):
        services.client_create(by=hub_staff, desk=hub_desk, data={"name_latin": f"Synthetic Person{n:02d}"})
    services.client_create(by=ibara_clerk, desk=ibara.desks.get(), data={"name_latin": "Nguyen Van Anan"})
    scoped = str(Client.objects.visible_to(ibara_clerk).search("anan nguyen").values("pk").query)
    assert "name_grams" not in scoped and "desk_ids" in scoped
    sql, params = Client.objects.search("anan nguyen").values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on client_search_trgm_desks_gin" in plan, plan
    assert "'%anan%'" in plan and "'%nguyen%'" in plan, plan
    assert list(Client.objects.visible_to(ibara_clerk).search("anan nguyen").values_list("name_latin", flat=True)) == [
        "Nguyen Van Anan"
    ]


def test_trigram_and_bigram_sieves_find_the_same_clients(hub_staff, hub_desk, monkeypatch):
    """The index only chooses the candidates; `search_text LIKE` decides.
    Names built so that bigrams match where the token does not (an + na is
    not "anan"), in Latin, kana and kanji, any order and width."""
    from consult import names

    people = [
        {"name_latin": "Anan Chai"},
        {"name_latin": "Nana Santos"},  # bigrams of "anan", not the token
        {"name_latin": "Ananda Gurung"},
        {"name": "グエン・ヴァン・アン", "name_latin": "NGUYEN VAN AN"},
        {"name": "田中 太郎"},
        {"name": "中田 一郎"},  # bigram 田中 absent, 中田 present
        {"name": "ＳＡＮＴＯＳ　Ｍａｒｉａ"},
    ]
    for data in people:
        services.client_create(by=hub_staff, desk=hub_desk, data=data)
    queries = ["anan", "ANAN", "nana", "ananda gurung", "gurung ananda", "グエン", "ぐえん ゔぁん", "nguyen", "田中太郎",
               "太郎 田中", "santos maria", "ｓａｎｔｏｓ", "van", "chai anan"]  # fmt: skip
    found = {q: sorted(Client.objects.search(q).values_list("pk", flat=True)) for q in queries}
    monkeypatch.setattr(names, "has_trigrams", lambda token: False)  # every query on the bigram index
    for q in queries:
        assert sorted(Client.objects.search(q).values_list("pk", flat=True)) == found[q], q
    # "anan": Anan Chai, Ananda Gurung and NGUYEN VAN AN (joined: nguyenvanan).
    assert len(found["anan"]) == 3 and len(found["nana"]) == 1 and found["gurung ananda"] == found["ananda gurung"]
