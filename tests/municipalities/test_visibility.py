"""The one visibility function of DESIGN §2 (municipalities/visibility.py)."""

import pytest
from django.db.models import Q

from municipalities.models import Desk, Membership, Municipality
from municipalities.roles import Capability
from municipalities.visibility import (
    clear_visibility_cache,
    statistics_municipality_ids,
    user_can,
    visible_desk_ids,
    visible_desks,
    visible_desks_q,
)
from tests.factories import DeskFactory, MembershipFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


def desk_codes(ids) -> set[str]:
    return set(Desk.objects.filter(pk__in=ids).values_list("code", flat=True))


ALL_TEN = {"KRS", "KSO", "IBR", "SOJ", "TKH", "NIM", "ASK", "HYS", "STS", "YKG"}


@pytest.mark.parametrize("who", ["hub_staff", "coordinator"])
def test_hub_case_workers_see_every_desk_of_the_consortium(request, who):
    user = request.getfixturevalue(who)
    assert desk_codes(visible_desk_ids(user)) == ALL_TEN
    assert set(visible_desks(user).values_list("code", flat=True)) == ALL_TEN


def test_partner_clerk_sees_only_her_municipality_desk(ibara_clerk):
    assert desk_codes(visible_desk_ids(ibara_clerk)) == {"IBR"}
    assert list(visible_desks(ibara_clerk).values_list("code", flat=True)) == ["IBR"]


def test_partner_clerk_sees_every_desk_of_her_municipality(ibara, ibara_clerk):
    second = Desk.objects.create(municipality=ibara, code="IBR2", name_ja="井原市 芳井支所", name_en="Yoshii branch")
    assert desk_codes(visible_desk_ids(ibara_clerk)) == {"IBR", second.code}


def test_statistics_viewer_sees_no_desk_but_her_municipality_statistics(ibara, ibara_stats):
    assert visible_desk_ids(ibara_stats) == frozenset()
    assert not visible_desks(ibara_stats).exists()
    assert statistics_municipality_ids(ibara_stats) == {ibara.pk}
    assert user_can(ibara_stats, Capability.VIEW_STATISTICS, municipality=ibara)
    assert not user_can(ibara_stats, Capability.VIEW_CASES)


def test_hub_statistics_viewer_sees_statistics_of_the_whole_consortium(consortium, hub_stats):
    expected = set(Municipality.objects.filter(consortium=consortium).values_list("pk", flat=True))
    assert len(expected) == 10
    assert statistics_municipality_ids(hub_stats) == expected
    assert visible_desk_ids(hub_stats) == frozenset()


def test_partner_statistics_viewer_cannot_see_another_municipality(ibara_stats, soja):
    assert not user_can(ibara_stats, Capability.VIEW_STATISTICS, municipality=soja)


def test_outsider_sees_nothing(outsider, reference_data):
    assert visible_desk_ids(outsider) == frozenset()
    assert statistics_municipality_ids(outsider) == frozenset()
    assert not visible_desks(outsider).exists()
    assert not user_can(outsider, Capability.VIEW_DESKS)


def test_anonymous_sees_nothing(reference_data):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert visible_desk_ids(anonymous) == frozenset()
    assert not visible_desks(anonymous).exists()
    assert not Desk.objects.filter(visible_desks_q(anonymous, extra=Q(code="KRS"))).exists()


def test_inactive_membership_sees_nothing(hub_staff):
    Membership.objects.filter(user=hub_staff).update(active=False)
    assert visible_desk_ids(hub_staff) == frozenset()
    assert statistics_municipality_ids(hub_staff, Capability.VIEW_CASES) == frozenset()


def test_inactive_user_sees_nothing(coordinator):
    coordinator.is_active = False
    coordinator.save(update_fields=["is_active"])
    assert visible_desk_ids(coordinator) == frozenset()
    assert statistics_municipality_ids(coordinator) == frozenset()


def test_two_memberships_give_the_union(ibara, soja):
    user = UserFactory(username="t-two-towns")
    MembershipFactory(user=user, municipality=ibara, role="partner_clerk")
    MembershipFactory(user=user, municipality=soja, role="partner_clerk")
    assert desk_codes(visible_desk_ids(user)) == {"IBR", "SOJ"}


def test_statistics_role_elsewhere_does_not_widen_case_visibility(ibara, soja):
    """A clerk of 井原市 who is also statistics viewer of 総社市 works 井原市's
    cases only, and sees statistics of 総社市 only."""
    user = UserFactory(username="t-clerk-and-stats")
    MembershipFactory(user=user, municipality=ibara, role="partner_clerk")
    MembershipFactory(user=user, municipality=soja, role="statistics_viewer")
    assert desk_codes(visible_desk_ids(user)) == {"IBR"}
    assert statistics_municipality_ids(user) == {soja.pk}


def test_second_consortium_is_invisible_to_the_first(hub_staff, coordinator, second_consortium):
    theirs = set(
        Desk.objects.filter(municipality__consortium=second_consortium["consortium"]).values_list("pk", flat=True)
    )
    assert len(theirs) == 2
    for user in (hub_staff, coordinator):
        assert not (visible_desk_ids(user) & theirs)
        assert desk_codes(visible_desk_ids(user)) == ALL_TEN


def test_second_consortium_hub_sees_only_its_own_desks(second_consortium, consortium):
    staff = second_consortium["staff"]
    theirs = set(
        Desk.objects.filter(municipality__consortium=second_consortium["consortium"]).values_list("pk", flat=True)
    )
    assert visible_desk_ids(staff) == theirs


def test_municipality_outside_any_consortium_sees_only_itself(reference_data):
    okayama = MunicipalityFactory(consortium=None, name_ja="岡山テスト市")
    own = DeskFactory(municipality=okayama)
    user = UserFactory(username="t-staff-alone")
    MembershipFactory(user=user, municipality=okayama, role="counter_staff")
    assert visible_desk_ids(user) == {own.pk}


def test_extra_widens_only_for_holders_of_the_capability(ibara, ibara_clerk, outsider, ibara_stats):
    forwarded_to = Q(code="SOJ")  # stands in for "a case forwarded to me"
    assert set(
        Desk.objects.filter(visible_desks_q(ibara_clerk, extra=forwarded_to)).values_list("code", flat=True)
    ) == {
        "IBR",
        "SOJ",
    }
    assert not Desk.objects.filter(visible_desks_q(outsider, extra=forwarded_to)).exists()
    assert not Desk.objects.filter(visible_desks_q(ibara_stats, extra=forwarded_to)).exists()


def test_extra_applies_to_a_clerk_whose_municipality_has_no_desk_yet(reference_data):
    new_partner = MunicipalityFactory(name_ja="新規連携町")
    clerk = UserFactory(username="t-clerk-no-desk")
    MembershipFactory(user=clerk, municipality=new_partner, role="partner_clerk")
    assert visible_desk_ids(clerk) == frozenset()
    assert list(Desk.objects.filter(visible_desks_q(clerk, extra=Q(code="KRS"))).values_list("code", flat=True)) == [
        "KRS"
    ]


def test_visible_desks_q_filters_related_models_by_desk_field(ibara_clerk):
    memberships = Membership.objects.filter(
        visible_desks_q(ibara_clerk, capability=Capability.VIEW_DESKS, desk_field="desk_id")
    )
    assert {m.desk.code for m in memberships} == {"IBR"}


def test_visible_desk_ids_costs_one_query_then_none(hub_staff, django_assert_num_queries):
    user = type(hub_staff).objects.get(pk=hub_staff.pk)  # a fresh object: empty cache
    with django_assert_num_queries(1):  # memberships, with their desks (issue 13)
        first = visible_desk_ids(user)
    with django_assert_num_queries(0):
        assert visible_desk_ids(user) == first
    with django_assert_num_queries(0):  # another capability with the same scope: same desks, cached
        assert visible_desk_ids(user, Capability.VIEW_DESKS) == first
    with django_assert_num_queries(0):
        visible_desks(user)  # building the queryset runs no query
    with django_assert_num_queries(1):
        statistics_municipality_ids(user, Capability.VIEW_CASES)
    with django_assert_num_queries(0):
        statistics_municipality_ids(user, Capability.VIEW_CASES)
        user_can(user, Capability.VIEW_CASES, desk=Desk(pk=next(iter(first))))


def test_query_count_does_not_grow_with_memberships(ibara, soja, kurashiki, django_assert_num_queries):
    user = UserFactory(username="t-many")
    for municipality in (ibara, soja, kurashiki):
        MembershipFactory(user=user, municipality=municipality, role="partner_clerk")
        MembershipFactory(user=user, municipality=municipality, role="statistics_viewer")
    user = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        assert len(visible_desk_ids(user)) == 10


def test_cache_is_per_user_object_and_can_be_cleared(hub_staff):
    assert len(visible_desk_ids(hub_staff)) == 10
    Membership.objects.filter(user=hub_staff).update(active=False)
    assert len(visible_desk_ids(hub_staff)) == 10  # same object: cached for the request
    clear_visibility_cache(hub_staff)
    assert visible_desk_ids(hub_staff) == frozenset()
    fresh = type(hub_staff).objects.get(pk=hub_staff.pk)
    assert visible_desk_ids(fresh) == frozenset()


def test_visible_consortium_ids_are_the_consortia_of_the_visible_desks(
    hub_staff, coordinator, ibara_clerk, ibara_stats, outsider, second_consortium
):
    from municipalities.models import Desk
    from municipalities.visibility import visible_consortium_ids, visible_desk_ids

    for user in (hub_staff, coordinator, ibara_clerk, ibara_stats, outsider, second_consortium["staff"]):
        desks = Desk.objects.filter(pk__in=visible_desk_ids(user))
        assert visible_consortium_ids(user) == frozenset(desks.values_list("municipality__consortium_id", flat=True))


def test_memberships_loaded_in_one_statement_equal_the_orm_query(ibara, soja, kurashiki, reference_data):
    """The memberships every request reads (municipalities.visibility, one
    hand-written statement for speed) are what the ORM query they replace
    returns: the same rows in the same order, with municipality, consortium,
    usual desk and the two desk-id arrays — also for a municipality outside
    any consortium, a membership with no usual desk and an inactive one."""
    from django.contrib.postgres.expressions import ArraySubquery
    from django.db.models import OuterRef

    from municipalities.visibility import _load_memberships

    alone = MunicipalityFactory(consortium=None, name_ja="岡山テスト市")
    user = UserFactory(username="t-many-hats")
    MembershipFactory(user=user, municipality=kurashiki, role="coordinator", desk=kurashiki.desks.first())
    MembershipFactory(user=user, municipality=ibara, role="partner_clerk", desk=None)
    MembershipFactory(user=user, municipality=soja, role="statistics_viewer", active=False)
    MembershipFactory(user=user, municipality=alone, role="counter_staff", desk=None)
    expected = list(
        Membership.objects.active()
        .filter(user=user)
        .select_related("municipality__consortium", "desk")
        .annotate(
            municipality_desk_ids=ArraySubquery(
                Desk.objects.filter(municipality_id=OuterRef("municipality_id")).order_by().values("pk")
            ),
            consortium_desk_ids=ArraySubquery(
                Desk.objects.filter(municipality__consortium_id=OuterRef("municipality__consortium_id"))
                .order_by()
                .values("pk")
            ),
        )
        .order_by("municipality__code", "role")
    )

    def shape(memberships):
        return [
            (
                m.pk,
                m.role,
                m.active,
                m.created_at,
                m.municipality.pk,
                m.municipality.name_ja,
                m.municipality.name_en,
                m.municipality.consortium
                and (m.municipality.consortium.pk, m.municipality.consortium.hub_municipality_id),
                m.desk and (m.desk.pk, m.desk.code, m.desk.active),
                sorted(m.municipality_desk_ids),
                sorted(m.consortium_desk_ids),
            )
            for m in memberships
        ]

    loaded = _load_memberships(user)
    assert len(loaded) == 3
    assert shape(loaded) == shape(expected)
    assert all(not m._state.adding for m in loaded)
