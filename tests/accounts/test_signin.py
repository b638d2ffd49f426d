"""Sign-in through allauth: username + password, rate limits, reset by e-mail."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOO_MANY_JA = "ログイン失敗が連続しています。時間が経ってからやり直してください。"


def sign_in(client, username: str, password: str):
    return client.post(reverse("account_login"), {"login": username, "password": password})


def signed_in_as(client):
    from django.contrib.auth import get_user

    user = get_user(client)
    return user.username if user.is_authenticated else None


def test_sign_in_with_username_and_password(client, hub_staff, rate_limits_cleared):
    response = sign_in(client, hub_staff.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in_as(client) == hub_staff.username
    assert client.get(reverse("home")).status_code == 200


def test_sign_in_goes_on_to_next(client, hub_staff, rate_limits_cleared):
    response = client.post(
        f"{reverse('account_login')}?next={reverse('desk_list')}", {"login": hub_staff.username, "password": PASSWORD}
    )
    assert response["Location"] == reverse("desk_list")


def test_sign_in_does_not_follow_next_off_site(client, hub_staff, rate_limits_cleared):
    response = client.post(
        f"{reverse('account_login')}?next=https://evil.example/", {"login": hub_staff.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_wrong_password_is_rejected(client, hub_staff, rate_limits_cleared):
    response = sign_in(client, hub_staff.username, "not-the-password")
    assert response.status_code == 200  # the form again, with an error
    assert response.context["form"].errors
    assert signed_in_as(client) is None


def test_unknown_user_is_rejected_like_a_wrong_password(client, rate_limits_cleared):
    response = sign_in(client, "t-nobody-at-all", "whatever-password")
    assert response.status_code == 200
    assert signed_in_as(client) is None


def test_inactive_user_cannot_sign_in(client, hub_staff, rate_limits_cleared):
    hub_staff.is_active = False
    hub_staff.save(update_fields=["is_active"])
    sign_in(client, hub_staff.username, PASSWORD)
    assert signed_in_as(client) is None


def test_sign_in_by_email_is_not_offered(client, hub_staff, rate_limits_cleared):
    """ACCOUNT_LOGIN_METHODS = {"username"}: the staff user name is the login."""
    sign_in(client, hub_staff.email, PASSWORD)
    assert signed_in_as(client) is None


def _failed_per_key_limit() -> int:
    """The per-user-name budget of failed sign-ins, read from the settings
    (e.g. "10/m/ip,5/5m/key" → 5)."""
    for rate in settings.ACCOUNT_RATE_LIMITS["login_failed"].split(","):
        amount, _duration, per = rate.split("/")
        if per == "key":
            return int(amount)
    raise AssertionError("no per-key login_failed rate limit configured")


def test_failed_sign_ins_are_rate_limited_in_redis(client, hub_staff, redis_cache, rate_limits_cleared):
    limit = _failed_per_key_limit()
    assert 3 <= limit <= 10
    for attempt in range(limit):
        response = sign_in(client, hub_staff.username, f"wrong-{attempt}")
        assert response.status_code == 200
        assert TOO_MANY_JA not in response.content.decode(), f"refused already at attempt {attempt + 1}"
    # The budget is spent: even the right password is refused now.
    response = sign_in(client, hub_staff.username, PASSWORD)
    assert response.status_code == 429 or TOO_MANY_JA in response.content.decode()
    assert signed_in_as(client) is None
    # The count lives in the shared cache (Redis), so every web process sees it.
    client_redis = redis_cache._cache.get_client(write=True)
    assert list(client_redis.scan_iter(match="*allauth:rl:*login_failed*"))


def test_rate_limit_is_per_user_name(client, hub_staff, coordinator, redis_cache, rate_limits_cleared):
    for attempt in range(_failed_per_key_limit()):
        sign_in(client, hub_staff.username, f"wrong-{attempt}")
    # A colleague at the same counter (same IP) can still sign in.
    sign_in(client, coordinator.username, PASSWORD)
    assert signed_in_as(client) == coordinator.username


def test_admin_login_goes_through_the_rate_limited_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fadmin%2F"


# --- password reset by e-mail ----------------------------------------------------


def _request_reset(client, email: str):
    return client.post(reverse("account_reset_password"), {"email": email})


def _reset_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.parametrize(
    ("ui_language", "subject", "sentence"),
    [
        ("ja", "パスワード再設定メール", "パスワード"),
        ("en", "Password Reset Email", "requested a password reset"),
    ],
)
def test_reset_mail_is_in_the_recipients_language(
    client, mailoutbox, rate_limits_cleared, ui_language, subject, sentence
):
    user = UserFactory(username=f"t-reset-{ui_language}", email=f"reset-{ui_language}@example.invalid")
    user.ui_language = ui_language
    user.save(update_fields=["ui_language"])
    # The request comes from a browser in the *other* language.
    other = "en" if ui_language == "ja" else "ja"
    response = client.post(reverse("account_reset_password"), {"email": user.email}, HTTP_ACCEPT_LANGUAGE=other)
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [user.email]
    assert subject in message.subject
    assert sentence in message.body
    assert _reset_link(message)


def test_reset_link_sets_a_new_password(client, mailoutbox, hub_staff, rate_limits_cleared):
    response = _request_reset(client, hub_staff.email)
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = _reset_link(mailoutbox[0])

    # allauth moves the key from the URL into the session, then shows the form.
    page = client.get(link, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    assert b'name="password1"' in page.content

    new_password = "a-brand-new-Password-2026"
    done = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    hub_staff.refresh_from_db()
    assert hub_staff.check_password(new_password)
    assert not hub_staff.check_password(PASSWORD)

    # …and the new password signs in.
    client.logout()
    sign_in(client, hub_staff.username, new_password)
    assert signed_in_as(client) == hub_staff.username


def test_reset_link_works_once(client, mailoutbox, hub_staff, rate_limits_cleared):
    _request_reset(client, hub_staff.email)
    link = _reset_link(mailoutbox[0])
    page = client.get(link, follow=True)
    form_url = page.redirect_chain[-1][0]
    client.post(form_url, {"password1": "first-new-Password-1", "password2": "first-new-Password-1"})
    client.logout()
    again = client.get(link, follow=True)
    assert b'name="password1"' not in again.content
    hub_staff.refresh_from_db()
    assert hub_staff.check_password("first-new-Password-1")


def test_reset_for_an_unknown_address_reveals_nothing(client, mailoutbox, hub_staff, rate_limits_cleared):
    known = _request_reset(client, hub_staff.email)
    unknown = _request_reset(client, "nobody-here@example.invalid")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # No reset link ever goes to an address no staff member has.
    links = [m for m in mailoutbox if "nobody-here@example.invalid" in m.to and "/password/reset/key/" in m.body]
    assert not links
    assert get_user_model().objects.filter(email="nobody-here@example.invalid").count() == 0


def test_the_user_name_field_has_the_focus(client):
    body = client.get("/accounts/login/").content.decode()
    field = body.split('name="login"')[0].rsplit("<input", 1)[1] + body.split('name="login"')[1].split(">", 1)[0]
    assert "autofocus" in field
