"""The staff home page: who you are, your memberships, your desk."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import MembershipFactory, UserFactory, as_user

pytestmark = pytest.mark.django_db


def test_home_shows_the_partner_clerk_her_membership_and_desk(client, ibara_clerk):
    as_user(client, ibara_clerk)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert ibara_clerk.username in body
    assert "井原市" in body and "332071" in body
    with translation.override("ja"):
        assert str(ibara_clerk.memberships.get().get_role_display()) in body
    assert "井原市役所 外国人相談受付" in body
    assert reverse("desk_detail", args=[ibara_clerk.memberships.get().desk_id]) in body
    assert [m.municipality.code for m in response.context["memberships"]] == ["332071"]
    assert [d.code for d in response.context["desks"]] == ["IBR"]


def test_home_shows_every_membership_of_a_colleague(client, ibara, soja):
    user = UserFactory(username="t-two-hats")
    MembershipFactory(user=user, municipality=ibara, role="partner_clerk", desk=ibara.desks.get())
    MembershipFactory(user=user, municipality=soja, role="statistics_viewer")
    as_user(client, user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert [(m.municipality.code, m.role) for m in response.context["memberships"]] == [
        ("332071", "partner_clerk"),
        ("332089", "statistics_viewer"),
    ]
    body = response.content.decode()
    assert "井原市" in body and "総社市" in body
    assert "総社市役所 外国人相談受付" not in body  # a statistics viewer has no desk there


def test_home_for_the_hub_shows_the_hub_desk(client, hub_staff):
    as_user(client, hub_staff)
    body = client.get(reverse("home")).content.decode()
    assert "倉敷市役所本庁舎1階 外国人相談窓口" in body


def test_home_hides_an_inactive_membership(client, ibara_clerk):
    ibara_clerk.memberships.update(active=False)
    as_user(client, ibara_clerk)
    response = client.get(reverse("home"))
    assert list(response.context["memberships"]) == []
    assert "井原市役所 外国人相談受付" not in response.content.decode()


def test_home_for_someone_without_membership_says_so(client, outsider, reference_data):
    as_user(client, outsider)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert list(response.context["memberships"]) == []
    body = response.content.decode()
    assert "倉敷市" not in body and "井原市" not in body


def nav_names(response) -> list[str]:
    return [entry["name"] for entry in response.context["nav"]]


def test_home_navigation_follows_capabilities(client, ibara_clerk, ibara_stats):
    as_user(client, ibara_clerk)
    assert "desk_list" in nav_names(client.get(reverse("home")))
    as_user(client, ibara_stats)
    assert "desk_list" not in nav_names(client.get(reverse("home")))


def test_home_offers_no_desk_the_person_cannot_open(client, ibara_stats):
    """The fixture gives the statistics viewer a usual desk; its page would
    answer 404 to her, so home does not list it as her desk."""
    assert ibara_stats.memberships.get().desk is not None
    as_user(client, ibara_stats)
    response = client.get(reverse("home"))
    assert response.context["desks"] == []


def test_home_refuses_post(client, hub_staff):
    as_user(client, hub_staff)
    assert client.post(reverse("home")).status_code == 405


def test_home_is_closed_to_anonymous_visitors(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
