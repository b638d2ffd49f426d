"""The Django admin: only through allauth's sign-in, only for staff accounts."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import as_user

pytestmark = pytest.mark.django_db


def test_admin_login_redirects_to_allauth_sign_in(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?")
    assert "next=%2Fadmin%2F" in response["Location"]


def test_anonymous_admin_ends_at_allauth_sign_in(client):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert b'name="password"' in response.content


def test_admin_login_post_cannot_bypass_allauth(client, superuser):
    """Posting credentials to /admin/login/ signs nobody in (no second,
    un-rate-limited login form)."""
    from tests.factories import PASSWORD

    response = client.post(reverse("admin:login"), {"username": superuser.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("who", ["hub_staff", "coordinator", "outsider"])
def test_non_staff_user_cannot_use_the_admin(client, request, who):
    as_user(client, request.getfixturevalue(who))
    # Was an endless redirect loop: admin → admin login → allauth sign-in
    # (already signed in, so on to next) → admin …
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) <= 2


def test_non_staff_user_cannot_change_data_through_the_admin(client, ibara_clerk, ibara):
    as_user(client, ibara_clerk)
    url = reverse("admin:municipalities_municipality_change", args=[ibara.pk])
    assert client.get(url, follow=True).status_code == 403
    client.post(url, {"code": ibara.code, "name_ja": "乗っ取り市", "name_en": "x", "kind": "city"}, follow=True)
    ibara.refresh_from_db()
    assert ibara.name_ja == "井原市"


def test_superuser_uses_the_admin(client, superuser, reference_data):
    as_user(client, superuser)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:municipalities_municipality_changelist")).status_code == 200


def test_signed_in_staff_at_admin_login_go_on_to_next(client, superuser):
    as_user(client, superuser)
    response = client.get(reverse("admin:login") + "?next=/admin/municipalities/")
    assert response["Location"] == "/admin/municipalities/"
    off_site = client.get(reverse("admin:login") + "?next=https://evil.example/")
    assert off_site["Location"] == reverse("admin:index")


def test_staff_flag_without_permissions_sees_an_empty_admin(client, outsider):
    """is_staff alone grants the admin's door, not its data (Django's model
    permissions still apply)."""
    User.objects.filter(pk=outsider.pk).update(is_staff=True)
    as_user(client, outsider)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:municipalities_municipality_changelist")).status_code == 403
