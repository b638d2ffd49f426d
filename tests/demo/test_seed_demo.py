"""`manage.py seed_demo`: synthetic staff for every role, idempotent."""

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from municipalities.models import Membership, Municipality

pytestmark = pytest.mark.django_db

HUB = "332020"
PARTNERS = ["332054", "332071", "332089", "332097", "332101", "332160", "334235", "334456", "334618"]


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def roles_of(username: str) -> set[tuple[str, str, str | None]]:
    return {
        (m.municipality.code, m.role, m.desk.code if m.desk else None)
        for m in Membership.objects.filter(user__username=username).select_related("municipality", "desk")
    }


def expected_usernames() -> set[str]:
    return {
        "admin",
        f"coordinator-{HUB}",
        f"staff-{HUB}",
        *(f"clerk-{code}" for code in PARTNERS),
        *(f"stats-{code}" for code in [HUB, *PARTNERS]),
    }


def test_seed_demo_creates_staff_for_every_role():
    output = seed()
    User = get_user_model()
    assert set(User.objects.values_list("username", flat=True)) == expected_usernames()
    assert len(expected_usernames()) == 22
    assert settings.DEMO_PASSWORD_DEFAULT in output  # the command prints the demo password

    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert roles_of("admin") == {(HUB, "administrator", None)}
    assert roles_of(f"coordinator-{HUB}") == {(HUB, "coordinator", "KRS")}
    assert roles_of(f"staff-{HUB}") == {(HUB, "counter_staff", "KRS")}
    for code in PARTNERS:
        own_desk = Municipality.objects.get(code=code).desks.get().code
        assert roles_of(f"clerk-{code}") == {(code, "partner_clerk", own_desk)}
    for code in [HUB, *PARTNERS]:
        assert roles_of(f"stats-{code}") == {(code, "statistics_viewer", None)}
    assert not roles_of(f"clerk-{HUB}")  # the hub has counter staff, not a partner clerk
    # Only the administrator may use the Django admin.
    assert set(User.objects.filter(is_staff=True).values_list("username", flat=True)) == {"admin"}


def test_seed_demo_users_can_sign_in_with_the_demo_password():
    seed()
    User = get_user_model()
    for username in expected_usernames():
        assert User.objects.get(username=username).check_password(settings.DEMO_PASSWORD_DEFAULT), username


def test_seed_demo_twice_creates_nothing_new():
    seed()
    users, memberships = get_user_model().objects.count(), Membership.objects.count()
    passwords = dict(get_user_model().objects.values_list("username", "password"))
    output = seed()
    assert get_user_model().objects.count() == users
    assert Membership.objects.count() == memberships == 22
    assert "(0 new)" in output
    # Nothing was rewritten either: the stored password hashes are the same.
    assert dict(get_user_model().objects.values_list("username", "password")) == passwords


def test_seed_demo_password_option_sets_another_password():
    seed()
    seed("--password", "another-demo-pass-2026")
    User = get_user_model()
    for username in expected_usernames():
        user = User.objects.get(username=username)
        assert user.check_password("another-demo-pass-2026"), username
        assert not user.check_password(settings.DEMO_PASSWORD_DEFAULT), username


def test_seed_demo_without_password_option_leaves_a_changed_password_alone():
    seed()
    user = get_user_model().objects.get(username="staff-332020")
    user.set_password("changed-by-the-person-2026")
    user.save()
    seed()
    user.refresh_from_db()
    assert user.check_password("changed-by-the-person-2026")
    seed("--password", settings.DEMO_PASSWORD_DEFAULT)
    user.refresh_from_db()
    assert user.check_password(settings.DEMO_PASSWORD_DEFAULT)


def test_seed_demo_hub_staff_see_the_whole_consortium_and_clerks_their_own_desk():
    """The demo logins are usable for a demonstration of the visibility rule."""
    from municipalities.visibility import visible_desk_ids

    seed()
    User = get_user_model()
    assert len(visible_desk_ids(User.objects.get(username=f"staff-{HUB}"))) == 10
    assert len(visible_desk_ids(User.objects.get(username="clerk-332071"))) == 1
    assert visible_desk_ids(User.objects.get(username="stats-332071")) == frozenset()
