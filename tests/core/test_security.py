"""Security from the first page: CSP, framing, idle sessions (DESIGN §8)."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from tests.factories import as_user

pytestmark = pytest.mark.django_db


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.fixture
def pages(client, coordinator):
    """An open page and signed-in pages."""
    anonymous = client.get(reverse("account_login"))
    as_user(client, coordinator)
    return {
        "sign-in": anonymous,
        "home": client.get(reverse("home")),
        "desk list": client.get(reverse("desk_list")),
        "desk": client.get(coordinator.memberships.get().desk.get_absolute_url()),
    }


def test_csp_allows_scripts_and_styles_only_from_the_app(pages):
    for name, response in pages.items():
        assert response.status_code == 200, name
        csp = csp_directives(response)
        assert csp["script-src"] == ["'self'"], name
        assert csp["style-src"] == ["'self'"], name
        assert csp["object-src"] == ["'none'"], name
        assert csp["frame-ancestors"] == ["'none'"], name
        header = response["Content-Security-Policy"]
        assert "'unsafe-inline'" not in header, name
        assert "'unsafe-eval'" not in header, name
        assert "http:" not in header and "https:" not in header, name  # no CDN, closed network


def test_pages_have_no_inline_script(pages):
    """The CSP would block it; the page would silently break."""
    for name, response in pages.items():
        for tag in re.findall(r"<script\b[^>]*>", response.content.decode()):
            assert "src=" in tag, f"{name}: inline {tag}"


def test_pages_cannot_be_framed_or_sniffed(pages):
    for name, response in pages.items():
        assert response["X-Frame-Options"] == "DENY", name
        assert response["X-Content-Type-Options"] == "nosniff", name


def test_session_idle_expiry_is_configured():
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert 5 * 60 <= settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY


def _forget_cached_copy(session_key: str) -> None:
    from django.core.cache import caches

    from core.sessions import ROW_FRESH_PREFIX, SessionStore

    caches[settings.SESSION_CACHE_ALIAS].delete_many(
        [SessionStore.cache_key_prefix + session_key, ROW_FRESH_PREFIX + session_key]
    )


def _session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_each_request_pushes_the_session_expiry(client, hub_staff, settings):
    # The row follows every request when SESSION_DB_REFRESH_SECONDS is 0;
    # by default Redis carries the push and the row follows within a minute
    # (core/sessions.py, tests/perf/test_sessions.py).
    settings.SESSION_DB_REFRESH_SECONDS = 0
    as_user(client, hub_staff)
    client.get(reverse("home"))
    # Pretend the person was idle until a minute before the timeout.
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(seconds=60)
    )
    before_request = timezone.now()
    assert client.get(reverse("home")).status_code == 200
    pushed = _session(client).expire_date
    assert pushed >= before_request + timedelta(seconds=settings.SESSION_COOKIE_AGE - 5)


def test_an_idle_session_has_expired(client, hub_staff):
    as_user(client, hub_staff)
    client.get(reverse("home"))
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    # With Redis, its copy's TTL is the same idle timeout: it runs out too.
    _forget_cached_copy(client.session.session_key)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
