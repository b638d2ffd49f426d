"""case_access(user, case): one answer to "what may this user see and do with
this case", for every role × where the case is handled — and proof that the
views, the services and the templates agree with it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from consult import services
from consult.access import (
    CaseAccess,
    CaseGrant,
    case_access,
    get_case_for_user,
    register_case_grant,
    unregister_case_grant,
)
from consult.models import Case
from tests.factories import DeskFactory, MembershipFactory, UserFactory, as_user, make_case

pytestmark = pytest.mark.django_db

# What each role may do where it may work (CaseAccess flags, one letter each):
# S summary, D details, N sensitive notes, A audit trail, E edit,
# L log a consultation, C close/reopen, F forward, M merge clients, G assign.
FLAGS = {
    "S": "can_see_summary",
    "D": "can_see_details",
    "N": "can_see_sensitive_notes",
    "A": "can_see_audit_trail",
    "E": "can_edit",
    "L": "can_log_consultation",
    "C": "can_close",
    "F": "can_forward",
    "M": "can_merge_clients",
    "G": "can_assign",
}
STAFF = "SDNELCF"
CLERK = "SDELCF"  # no sensitive notes (roles.py: partner clerks do not hold VIEW_SENSITIVE_NOTES)
COORD = "SDNAELCFMG"
NONE = ""

# Where the case is handled, seen from the member's municipality ("home"):
# own desk · another desk of the same municipality · the hub desk ·
# another municipality of the consortium · another consortium.
POSITIONS = ("own", "same_municipality", "hub", "other_municipality", "other_consortium")

# role, home:                   own    same_m  hub    other_m other_consortium
MATRIX = {
    ("counter_staff", "hub"): (STAFF, STAFF, STAFF, STAFF, NONE),
    ("counter_staff", "partner"): (STAFF, STAFF, NONE, NONE, NONE),
    ("partner_clerk", "hub"): (CLERK, CLERK, CLERK, CLERK, NONE),
    ("partner_clerk", "partner"): (CLERK, CLERK, NONE, NONE, NONE),
    ("coordinator", "hub"): (COORD, COORD, COORD, COORD, NONE),
    ("coordinator", "partner"): (COORD, COORD, NONE, NONE, NONE),
    ("administrator", "hub"): (NONE, NONE, NONE, NONE, NONE),
    ("administrator", "partner"): (NONE, NONE, NONE, NONE, NONE),
    ("statistics_viewer", "hub"): (NONE, NONE, NONE, NONE, NONE),
    ("statistics_viewer", "partner"): (NONE, NONE, NONE, NONE, NONE),
    (None, "hub"): (NONE, NONE, NONE, NONE, NONE),  # no membership at all
    (None, "partner"): (NONE, NONE, NONE, NONE, NONE),
}


def expected(letters: str) -> CaseAccess:
    return CaseAccess(**{name: letter in letters for letter, name in FLAGS.items()})


@pytest.fixture
def desks(kurashiki, ibara, soja, hub_desk, ibara_desk, second_consortium):
    """Two desks in each home municipality, the hub's, Soja's and another
    consortium's."""
    return {
        "hub": {
            "own": hub_desk,
            "same_municipality": DeskFactory(municipality=kurashiki, name_ja="倉敷 第二窓口", name_en="Kurashiki 2"),
            "hub": hub_desk,
            "other_municipality": ibara_desk,
        },
        "partner": {
            "own": ibara_desk,
            "same_municipality": DeskFactory(municipality=ibara, name_ja="井原 第二窓口", name_en="Ibara 2"),
            "hub": hub_desk,
            "other_municipality": soja.desks.get(),
        },
        "other_consortium": second_consortium["hub"].desks.get(),
    }


@pytest.mark.parametrize(("role", "home"), list(MATRIX))
def test_every_role_at_every_desk(role, home, desks, kurashiki, ibara, hub_staff):
    municipality = kurashiki if home == "hub" else ibara
    user = UserFactory(username=f"t-matrix-{role}-{home}")
    if role is not None:
        MembershipFactory(user=user, municipality=municipality, role=role, desk=desks[home]["own"])
    for position, letters in zip(POSITIONS, MATRIX[(role, home)], strict=True):
        desk = desks["other_consortium"] if position == "other_consortium" else desks[home][position]
        case = make_case(desk, hub_staff)
        access = case_access(user, case)
        assert access == expected(letters), (role, home, position)
        # The one visibility rule and case_access agree on who sees the case…
        assert Case.objects.visible_to(user).filter(pk=case.pk).exists() == access.can_see, (role, home, position)
        # …and the fetch helper answers 404 to everyone else.
        if access.can_see:
            assert get_case_for_user(user, case.pk, write=True) == case
        else:
            with pytest.raises(Http404):
                get_case_for_user(user, case.pk)


def test_an_inactive_membership_gives_nothing(ibara, ibara_desk, hub_staff):
    user = UserFactory(username="t-matrix-inactive", is_active=False)
    MembershipFactory(user=user, municipality=ibara, role="coordinator", desk=ibara_desk)
    assert case_access(user, make_case(ibara_desk, hub_staff)) == CaseAccess()


def test_access_is_immutable_and_combines(hub_staff, hub_desk):
    access = case_access(hub_staff, make_case(hub_desk, hub_staff))
    with pytest.raises(AttributeError):
        access.can_edit = False
    combined = CaseAccess(can_see_summary=True) | CaseAccess(can_see_details=True)
    assert combined.can_see and combined.can_see_details and not combined.can_edit


# --- views, services and templates agree ----------------------------------------
@pytest.fixture
def grant():
    """Register a grant for one test (as forwarding will), removed afterwards."""
    names = []

    def register(name, *, cases, access, users):
        def scope(user):
            return Q(pk__in=[c.pk for c in cases]) if user in users else None

        def grant_access(user, case):
            return access if user in users and case in cases else None

        register_case_grant(CaseGrant(name=name, scope=scope, access=grant_access))
        names.append(name)

    yield register
    for name in names:
        unregister_case_grant(name)


@pytest.fixture
def krs_case(hub_desk, hub_staff):
    return make_case(hub_desk, hub_staff, assignee=hub_staff, sensitive_notes="DVの相談歴あり（テスト）")


def _page(client, user, case) -> str:
    response = as_user(client, user).get(reverse("consult:case_detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


WORK_MARKERS = ('data-testid="edit-case"', 'data-testid="close-form"', 'data-testid="follow-up-form"')


def test_who_may_edit_sees_the_buttons_and_may_post(client, hub_staff, krs_case):
    access = case_access(hub_staff, krs_case)
    assert access.can_edit and access.can_close and access.can_see_sensitive_notes
    html = _page(client, hub_staff, krs_case)
    assert all(marker in html for marker in WORK_MARKERS)
    assert 'data-testid="add-consultation"' in html
    assert "DVの相談歴あり" in html
    response = client.post(reverse("consult:case_close", args=[krs_case.pk]), {"outcome": "resolved", "version": 1})
    assert response.status_code == 302
    krs_case.refresh_from_db()
    assert krs_case.status == "closed"


def test_a_reader_sees_no_button_and_gets_403_from_views_and_services(client, soja_clerk, krs_case, grant):
    """A clerk of another municipality to whom a feature (e.g. an accepted
    referral) grants the details but not the work: the page shows no edit,
    close or follow-up control, every POST answers 403 and every service
    refuses."""
    reader = CaseAccess(can_see_summary=True, can_see_details=True)
    grant("test-reader", cases=[krs_case], access=reader, users=[soja_clerk])
    assert case_access(soja_clerk, krs_case) == reader

    html = _page(client, soja_clerk, krs_case)
    assert not any(marker in html for marker in WORK_MARKERS)
    assert 'data-testid="add-consultation"' not in html
    assert "DVの相談歴あり" not in html  # no sensitive notes either

    for name, data in (
        ("consult:case_edit", {"title": "x", "status": "open", "version": 1}),
        ("consult:case_close", {"outcome": "resolved", "version": 1}),
        ("consult:case_reopen", {"version": 1}),
        ("consult:case_follow_up_add", {"due_date": timezone.localdate().isoformat(), "note": "x"}),
        ("consult:case_link_earlier", {"reference": "KRS-2026-00001"}),
        ("consult:case_consultation_new", {}),
    ):
        assert client.post(reverse(name, args=[krs_case.pk]), data).status_code == 403, name
    assert client.get(reverse("consult:case_edit", args=[krs_case.pk])).status_code == 403

    with pytest.raises(PermissionDenied):
        services.case_update(case=krs_case, by=soja_clerk, expected_version=1, changes={"title": "x"})
    with pytest.raises(PermissionDenied):
        services.follow_up_create(case=krs_case, by=soja_clerk, due_date=timezone.localdate(), note="x")
    krs_case.refresh_from_db()
    assert krs_case.status == "open" and krs_case.version == 1


def test_a_pending_hand_off_shows_no_case_page(client, soja_clerk, krs_case, grant):
    """Summary only (a pending hand-off): the case is in the user's scope,
    but its details page answers 403 until they accept it."""
    grant("test-summary", cases=[krs_case], access=CaseAccess(can_see_summary=True), users=[soja_clerk])
    assert get_case_for_user(soja_clerk, krs_case.pk, details=False) == krs_case
    assert as_user(client, soja_clerk).get(reverse("consult:case_detail", args=[krs_case.pk])).status_code == 403


def test_outsiders_and_statistics_viewers_get_404(client, outsider, ibara_stats, hub_stats, soja_clerk, krs_case):
    for user in (outsider, ibara_stats, hub_stats, soja_clerk):
        assert case_access(user, krs_case) == CaseAccess()
        c = as_user(client, user)
        assert c.get(reverse("consult:case_detail", args=[krs_case.pk])).status_code == 404
        assert c.post(reverse("consult:case_close", args=[krs_case.pk]), {"outcome": "resolved"}).status_code == 404
        with pytest.raises(PermissionDenied):
            services.case_update(case=krs_case, by=user, expected_version=1, changes={"title": "x"})


def test_a_clerk_edits_but_sensitive_notes_stay_closed(client, ibara_clerk, ibara_desk):
    case = make_case(ibara_desk, ibara_clerk, sensitive_notes="通院中（テスト）")
    access = case_access(ibara_clerk, case)
    assert access.can_edit and not access.can_see_sensitive_notes
    html = _page(client, ibara_clerk, case)
    assert 'data-testid="edit-case"' in html and "通院中" not in html
    with pytest.raises(PermissionDenied):
        services.case_update(case=case, by=ibara_clerk, expected_version=1, changes={"sensitive_notes": "x"})


def test_extra_scope_goes_through_the_one_visibility_function(soja_clerk, ibara_stats, krs_case):
    """`visible_to(extra=…)` widens the scope for holders of the capability
    only: a statistics viewer gets nothing even with a grant's Q."""
    extra = Q(pk=krs_case.pk)
    assert not Case.objects.visible_to(soja_clerk).filter(pk=krs_case.pk).exists()
    assert Case.objects.visible_to(soja_clerk, extra=extra).filter(pk=krs_case.pk).exists()
    assert not Case.objects.visible_to(ibara_stats, extra=extra).exists()
