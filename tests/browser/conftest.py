"""Browser-test fixtures: headless Debian Chromium driven by Playwright (sync).

Reuse them in any feature's browser test:

    pytestmark = pytest.mark.browser

    def test_something(live_server, demo_staff, new_page, sign_in, screenshot):
        page = new_page(locale="ja-JP")              # 1280×800 unless viewport=…
        sign_in(page, "staff-332020")                # through the real login form
        page.goto(live_server.url + "/desks/")
        assert_page_sound(page)                      # tests/browser/helpers.py
        screenshot(page, "desks")                    # test-artifacts/screenshots/<test>-desks.png

Every page made by `new_page` is guarded: a request to any origin other than
the live server is blocked and recorded (the portal runs on a closed
network), and so is a console error (CSP violations are console errors), an
uncaught script error, a failed static asset and an HTML page served with
inline <script>, <style> or style="".  The test fails at
teardown if anything was recorded; `page.guard.assert_clean()` checks earlier.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.browser.helpers import inline_code_in
from tests.conftest import skip_or_fail

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
TABLET = {"width": 768, "height": 1024}
SCREENSHOT_DIR = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
DEMO_PASSWORD = "browser-demo-password-2026"  # synthetic demo staff only
STATIC_RESOURCE_TYPES = {"stylesheet", "script", "font", "image"}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class PageGuard:
    """What a page did that the closed network or the CSP would not allow."""

    origin: str
    foreign_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_assets: list[str] = field(default_factory=list)
    inline_code: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"request outside the app: {u}" for u in self.foreign_requests]
            + [f"console error: {m}" for m in self.console_errors]
            + [f"script error: {m}" for m in self.page_errors]
            + [f"static asset failed: {m}" for m in self.failed_assets]
            + [f"inline script/style served: {m}" for m in self.inline_code]
        )

    def assert_clean(self) -> None:
        problems = self.problems()
        assert problems == [], "the page misbehaved:\n" + "\n".join(problems)

    # -- listeners ----------------------------------------------------------
    def is_foreign(self, url: str) -> bool:
        return not url.startswith(("data:", "blob:", "about:")) and _origin(url) != self.origin

    def record_foreign(self, url: str) -> None:
        if url not in self.foreign_requests:
            self.foreign_requests.append(url)

    def route(self, route) -> None:
        url = route.request.url
        if self.is_foreign(url):
            self.record_foreign(url)
            route.abort("blockedbyclient")
        else:
            route.continue_()

    def on_request(self, request) -> None:
        # Belt and braces: anything the router did not see (e.g. a service
        # worker or a prefetch) is still caught here.
        if self.is_foreign(request.url):
            self.record_foreign(request.url)

    def on_console(self, message) -> None:
        # htmx reports a request it aborted itself (the person navigated or
        # picked another language while a fragment was loading) as
        # htmx:sendAbort and an unsuccessful htmx:afterRequest: like
        # net::ERR_ABORTED below, not a failure.  A server error still shows
        # as htmx:responseError.
        if message.type == "error" and message.text.startswith(("htmx:sendAbort", "htmx:afterRequest")):
            return
        if message.type == "error":
            location = message.location or {}
            self.console_errors.append(f"{message.text} ({location.get('url', '')})")

    def on_page_error(self, error) -> None:
        self.page_errors.append(str(error))

    def on_response(self, response) -> None:
        resource_type = response.request.resource_type
        if resource_type in STATIC_RESOURCE_TYPES and response.status >= 400:
            self.failed_assets.append(f"{response.status} {response.url}")
        if (
            resource_type == "document"
            and response.status == 200
            and "text/html" in (response.headers.get("content-type") or "")
        ):
            for offender in inline_code_in(response.text()):
                self.inline_code.append(f"{response.url}: {offender}")

    def on_request_failed(self, request) -> None:
        # net::ERR_ABORTED is the browser cancelling a request itself — a
        # font still loading when the test moves to the next page — not a
        # failure of the server; a missing file answers 404 (on_response).
        if request.failure and "ERR_ABORTED" in request.failure:
            return
        if request.resource_type in STATIC_RESOURCE_TYPES and request.url not in self.foreign_requests:
            self.failed_assets.append(f"{request.failure} {request.url}")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    if not CHROMIUM.exists():
        skip_or_fail(f"{CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - requirements-dev installs it
        skip_or_fail("the playwright package is not installed")
    # Playwright's sync API keeps an asyncio loop in this thread; Django's
    # ORM refuses to run next to one unless told it is safe (it is: the
    # tests and the ORM calls are sequential).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable]:
    """Factory: new_page(locale="ja-JP", viewport=DESKTOP) → a guarded Page in
    a fresh browser context (own cookies), with page.guard attached."""
    contexts = []
    guards = []
    origin = _origin(live_server.url)

    def make(locale: str = "ja-JP", viewport: dict | None = None, timezone_id: str = "Asia/Tokyo"):
        context = browser.new_context(
            locale=locale,
            viewport=viewport or DESKTOP,
            timezone_id=timezone_id,
            base_url=live_server.url,
            service_workers="block",
        )
        context.set_default_timeout(15_000)
        guard = PageGuard(origin=origin)
        context.route("**/*", guard.route)
        context.on("request", guard.on_request)
        context.on("requestfailed", guard.on_request_failed)
        context.on("response", guard.on_response)
        page = context.new_page()
        page.on("console", guard.on_console)
        page.on("pageerror", guard.on_page_error)
        page.guard = guard
        contexts.append(context)
        guards.append(guard)
        return page

    yield make
    for context in contexts:
        context.close()
    problems = [p for guard in guards for p in guard.problems()]
    if problems:
        pytest.fail("a browser page misbehaved:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def demo_staff(transactional_db) -> str:
    """The synthetic demo staff of `seed_demo` (staff-332020, clerk-<code>, …);
    returns their password."""
    call_command("seed_demo", password=DEMO_PASSWORD, stdout=io.StringIO())
    return DEMO_PASSWORD


@pytest.fixture
def sign_in(live_server) -> Callable:
    """sign_in(page, username, password=DEMO_PASSWORD): through the real form.

    Someone whose role requires MFA (accounts/mfa.py) then passes the
    second-factor step with a code computed from their TOTP secret (the
    demo secret of seed_demo, or an authenticator enrolled here through
    allauth's API when they have none)."""
    from django.contrib.auth import get_user_model

    from accounts.mfa import mfa_required
    from tests import mfa

    def do(page, username: str, password: str = DEMO_PASSWORD):
        user = get_user_model().objects.get(username=username)
        secret = mfa.totp_secret(user) if mfa_required(user) else None
        mfa.clear_sign_in_rate_limit()
        if "/accounts/login/" not in page.url:
            page.goto(live_server.url + "/accounts/login/")
        form = page.locator('[data-testid="login-form"]')
        form.locator('input[name="login"]').fill(username)
        form.locator('input[name="password"]').fill(password)
        with page.expect_navigation():
            form.locator('button[type="submit"]').click()
        assert "/accounts/login/" not in page.url, f"sign-in as {username} failed: still on {page.url}"
        if secret is not None:
            assert "/accounts/2fa/authenticate/" in page.url, f"{username}: no second-factor step ({page.url})"
            page.locator('input[name="code"]').fill(mfa.fresh_code(user, secret))
            with page.expect_navigation():
                page.locator('form:has(input[name="code"]) button[type="submit"]').first.click()
            assert "/accounts/2fa/" not in page.url, f"second factor of {username} refused: {page.url}"
        return page

    return do


@pytest.fixture
def screenshot(request) -> Callable:
    """screenshot(page, "step") → test-artifacts/screenshots/<test-name>-<step>.png"""
    test_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name).strip("_")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for stale in SCREENSHOT_DIR.glob(f"{test_name}-*.png"):
        stale.unlink()

    def take(page, step: str, *, full_page: bool = True) -> Path:
        path = SCREENSHOT_DIR / f"{test_name}-{re.sub(r'[^A-Za-z0-9_.-]+', '_', step)}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take
