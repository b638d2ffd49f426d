"""Issue 12 point 8 in a real browser: the demo coordinator (coordinator-332020)
without an authenticator signs in with the password, cannot open a case page,
sets up TOTP (re-entering the password first), then signs in again with
password and code.  Screenshots: test-artifacts/screenshots/test_coordinator_*.png"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests import mfa
from tests.browser.helpers import assert_page_sound

pytestmark = pytest.mark.browser


def _password_step(page, live_server, username: str, password: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    form = page.locator('[data-testid="login-form"]')
    form.locator('input[name="login"]').fill(username)
    form.locator('input[name="password"]').fill(password)
    with page.expect_navigation():
        form.locator('button[type="submit"]').click()


def test_coordinator_enrols_totp_and_signs_in_with_it(live_server, demo_staff, new_page, screenshot):
    from allauth.mfa.models import Authenticator

    from municipalities.models import Desk
    from tests.factories import make_case

    coordinator = get_user_model().objects.get(username="coordinator-332020")
    # Start from no authenticator (seed_demo gives the demo one).
    Authenticator.objects.filter(user=coordinator).delete()
    case = make_case(Desk.objects.get(code="KRS"), coordinator)
    mfa.clear_sign_in_rate_limit()

    page = new_page(locale="ja-JP")
    _password_step(page, live_server, "coordinator-332020", demo_staff)
    # Signed in on the password, but sent to set up a second factor …
    assert page.url.endswith("/accounts/2fa/"), page.url
    # … and so is a case page.
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert page.url.endswith("/accounts/2fa/"), page.url
    assert case.reference not in page.content()
    screenshot(page, "mfa-required")
    assert_page_sound(page)

    # Set up the authenticator app: the password again first.
    page.goto(live_server.url + "/accounts/2fa/totp/activate/")
    assert "/accounts/reauthenticate/" in page.url
    page.locator('input[name="password"]').fill(demo_staff)
    with page.expect_navigation():
        page.locator('form:has(input[name="password"]) button[type="submit"]').first.click()
    assert "/accounts/2fa/totp/activate/" in page.url, page.url
    secret = page.locator("#authenticator_secret").input_value()
    assert len(secret) >= 16
    assert page.locator("img[alt]").first.is_visible()  # the QR code
    screenshot(page, "activate-totp")
    assert_page_sound(page)
    page.locator('input[name="code"]').fill(mfa.totp_now(secret))
    with page.expect_navigation():
        page.locator('form:has(input[name="code"]) button[type="submit"]').first.click()
    assert Authenticator.objects.filter(user=coordinator, type="totp").exists()
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert f"/cases/{case.pk}/" in page.url
    assert case.reference in page.content()

    # Sign out, and in again: password, then the code from the app.
    page.locator('[data-testid="sign-out"]').click()
    page.wait_for_url("**/accounts/login/**")
    _password_step(page, live_server, "coordinator-332020", demo_staff)
    assert "/accounts/2fa/authenticate/" in page.url, page.url
    screenshot(page, "code-step")
    assert_page_sound(page)
    page.locator('input[name="code"]').fill(mfa.fresh_code(coordinator, secret))
    with page.expect_navigation():
        page.locator('form:has(input[name="code"]) button[type="submit"]').first.click()
    assert "/accounts/" not in page.url, page.url
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert case.reference in page.content()
    screenshot(page, "case-after-mfa")


def test_sign_in_fixture_passes_the_demo_second_factor(live_server, demo_staff, new_page, sign_in, screenshot):
    """The shared fixture signs the demo coordinator and administrator in
    with the published demo secret, through the real code step; each then
    sees both of their sessions on /accounts/sessions/."""
    pages = []
    for username in ("coordinator-332020", "admin", "coordinator-332020"):
        page = new_page(locale="ja-JP")
        sign_in(page, username, demo_staff)
        page.goto(live_server.url + "/")
        assert "/accounts/" not in page.url
        pages.append(page)
    page = pages[-1]
    page.goto(live_server.url + "/accounts/sessions/")
    assert page.locator("table tbody tr").count() == 2  # this browser and the first one
    screenshot(page, "sessions")
    assert_page_sound(page)
