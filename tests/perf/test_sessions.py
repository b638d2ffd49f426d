"""Sessions in Redis with the row as the authority (core/sessions.py, issue 13):
the idle timeout still signs a person out, a plain page view writes no row,
Redis losing a session falls back to the row, deleting the row signs out."""

from __future__ import annotations

import time

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from core.sessions import SessionStore
from tests.factories import as_user

pytestmark = pytest.mark.django_db

HOME = reverse("home")


@pytest.fixture
def redis_sessions(settings, redis_cache):
    assert settings.SESSION_ENGINE == "core.sessions", "REDIS_URL is set: sessions live in Redis"
    return redis_cache


def _signed_out(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_the_idle_timeout_still_signs_a_person_out(client, hub_staff, settings, redis_sessions):
    settings.SESSION_COOKIE_AGE = 3
    c = as_user(client, hub_staff)
    assert c.get(HOME).status_code == 200
    # Active: every request pushes the timeout, past the first three seconds.
    for _ in range(3):
        time.sleep(1.5)
        assert c.get(HOME).status_code == 200
    # Idle longer than the timeout: signed out (Redis's TTL, and the row too).
    time.sleep(3.5)
    assert _signed_out(c.get(HOME))
    key = c.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert not Session.objects.filter(session_key=key, expire_date__gt=timezone.now()).exists()


def test_a_plain_page_view_pushes_redis_not_the_row(client, hub_staff, redis_sessions):
    c = as_user(client, hub_staff)
    c.get(HOME)
    key = c.cookies[django_settings.SESSION_COOKIE_NAME].value
    row_expiry = Session.objects.get(session_key=key).expire_date
    time.sleep(1.1)
    assert c.get(HOME).status_code == 200
    assert Session.objects.get(session_key=key).expire_date == row_expiry  # no write
    raw = redis_sessions._cache.get_client(write=False)
    ttl = raw.ttl(redis_sessions.make_and_validate_key(SessionStore.cache_key_prefix + key))
    assert django_settings.SESSION_COOKIE_AGE - 5 <= ttl <= django_settings.SESSION_COOKIE_AGE


def test_the_row_follows_after_the_refresh_interval(client, hub_staff, settings, redis_sessions):
    settings.SESSION_DB_REFRESH_SECONDS = 1
    c = as_user(client, hub_staff)
    c.get(HOME)
    key = c.cookies[django_settings.SESSION_COOKIE_NAME].value
    before = Session.objects.get(session_key=key).expire_date
    time.sleep(1.5)
    assert c.get(HOME).status_code == 200
    assert Session.objects.get(session_key=key).expire_date > before


def test_redis_losing_the_session_falls_back_to_the_row(client, hub_staff, redis_sessions):
    c = as_user(client, hub_staff)
    c.get(HOME)
    key = c.cookies[django_settings.SESSION_COOKIE_NAME].value
    caches[django_settings.SESSION_CACHE_ALIAS].delete(SessionStore.cache_key_prefix + key)
    assert c.get(HOME).status_code == 200


def test_deleting_the_row_signs_out_at_once(client, hub_staff, redis_sessions):
    c = as_user(client, hub_staff)
    assert c.get(HOME).status_code == 200
    Session.objects.all().delete()  # an administrator ends every session
    assert _signed_out(c.get(HOME))


def test_signing_out_removes_both_copies(client, hub_staff, redis_sessions):
    c = as_user(client, hub_staff)
    c.get(HOME)
    key = c.cookies[django_settings.SESSION_COOKIE_NAME].value
    c.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert caches[django_settings.SESSION_CACHE_ALIAS].get(SessionStore.cache_key_prefix + key) is None
