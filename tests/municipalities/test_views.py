"""desk_list and desk_detail: owner, permitted colleague, outsider 404, 405."""

import pytest
from django.urls import reverse

from municipalities.models import Desk
from tests.factories import as_user

pytestmark = pytest.mark.django_db


def desk(code: str) -> Desk:
    return Desk.objects.get(code=code)


# --- desk_detail -------------------------------------------------------------


def test_desk_detail_works_for_the_owner(client, soja_clerk):
    as_user(client, soja_clerk)
    response = client.get(reverse("desk_detail", args=[desk("SOJ").pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "総社市役所 外国人相談受付" in body
    assert "332089" in body
    assert str(soja_clerk) in body  # listed among the municipality's staff


@pytest.mark.parametrize("colleague", ["hub_staff", "coordinator"])
def test_desk_detail_works_for_hub_colleagues(client, request, soja_clerk, colleague):
    as_user(client, request.getfixturevalue(colleague))
    response = client.get(reverse("desk_detail", args=[desk("SOJ").pk]))
    assert response.status_code == 200
    assert "総社市役所 外国人相談受付" in response.content.decode()


def test_desk_detail_is_404_for_a_partner_clerk_of_another_municipality(client, ibara_clerk, soja_clerk):
    as_user(client, ibara_clerk)
    response = client.get(reverse("desk_detail", args=[desk("SOJ").pk]))
    assert response.status_code == 404
    assert str(soja_clerk) not in response.content.decode()


def test_partner_clerk_gets_404_for_every_desk_but_her_own(client, ibara_clerk):
    as_user(client, ibara_clerk)
    for other in Desk.objects.exclude(code="IBR"):
        assert client.get(reverse("desk_detail", args=[other.pk])).status_code == 404, other.code
    assert client.get(reverse("desk_detail", args=[desk("IBR").pk])).status_code == 200


def test_desk_detail_is_404_for_the_hub_desk_seen_from_a_partner(client, ibara_clerk):
    as_user(client, ibara_clerk)
    assert client.get(reverse("desk_detail", args=[desk("KRS").pk])).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "ibara_stats"])
def test_desk_detail_is_404_without_a_desk_capability(client, request, reference_data, who):
    as_user(client, request.getfixturevalue(who))
    assert client.get(reverse("desk_detail", args=[desk("IBR").pk])).status_code == 404


def test_desk_detail_is_404_for_a_desk_that_does_not_exist(client, coordinator):
    as_user(client, coordinator)
    missing = Desk.objects.order_by("-pk").first().pk + 1000
    assert client.get(reverse("desk_detail", args=[missing])).status_code == 404


def test_desk_detail_of_another_consortium_is_404_for_the_hub(client, hub_staff, second_consortium):
    as_user(client, hub_staff)
    theirs = Desk.objects.get(municipality=second_consortium["hub"])
    assert client.get(reverse("desk_detail", args=[theirs.pk])).status_code == 404


def test_desk_detail_refuses_post(client, soja_clerk):
    as_user(client, soja_clerk)
    assert client.post(reverse("desk_detail", args=[desk("SOJ").pk])).status_code == 405


# --- desk_list ---------------------------------------------------------------


def test_desk_list_shows_the_partner_clerk_her_desk_only(client, ibara_clerk):
    as_user(client, ibara_clerk)
    response = client.get(reverse("desk_list"))
    assert response.status_code == 200
    assert [d.code for d in response.context["desks"]] == ["IBR"]
    body = response.content.decode()
    assert "井原市役所 外国人相談受付" in body
    assert "総社市役所 外国人相談受付" not in body
    assert "倉敷市役所本庁舎1階 外国人相談窓口" not in body


@pytest.mark.parametrize("who", ["hub_staff", "coordinator"])
def test_desk_list_shows_hub_staff_all_ten_desks(client, request, who):
    as_user(client, request.getfixturevalue(who))
    response = client.get(reverse("desk_list"))
    assert response.status_code == 200
    assert len(response.context["desks"]) == 10
    body = response.content.decode()
    for name in ("倉敷市役所本庁舎1階 外国人相談窓口", "井原市役所 外国人相談受付", "矢掛町役場 外国人相談受付"):
        assert name in body


@pytest.mark.parametrize("who", ["outsider", "ibara_stats"])
def test_desk_list_is_empty_without_a_desk_capability(client, request, reference_data, who):
    as_user(client, request.getfixturevalue(who))
    response = client.get(reverse("desk_list"))
    assert response.status_code == 200
    assert list(response.context["desks"]) == []
    body = response.content.decode()
    for shown in Desk.objects.all():
        assert shown.name_ja not in body


def test_desk_list_hides_another_consortium(client, hub_staff, second_consortium):
    as_user(client, hub_staff)
    body = client.get(reverse("desk_list")).content.decode()
    assert "第二中核市" not in body


def test_desk_list_refuses_post(client, hub_staff):
    as_user(client, hub_staff)
    assert client.post(reverse("desk_list")).status_code == 405


def test_desk_list_query_count_is_bounded(client, coordinator, django_assert_max_num_queries):
    as_user(client, coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("desk_list"))
    assert len(response.context["desks"]) == 10
