"""Issue 12 point 9: an absolute session timeout beside the idle one; a
deactivated account loses every session at once; a person sees their other
sessions and ends them; authentication events in the audit trail.  Real
PostgreSQL sessions (whatever SESSION_ENGINE is) and the real cache."""

from __future__ import annotations

import time
from importlib import import_module

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.sessions import SIGNED_IN_AT_KEY
from core.models import AuditEvent
from tests import mfa
from tests.factories import PASSWORD, as_user, make_case

pytestmark = pytest.mark.django_db


def sign_in(client, user, password: str = PASSWORD, **extra):
    mfa.clear_sign_in_rate_limit()
    return client.post(reverse("account_login"), {"login": user.username, "password": password}, **extra)


def session_exists(key: str) -> bool:
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


def _age_session(client, seconds: float) -> None:
    session = client.session
    session[SIGNED_IN_AT_KEY] = time.time() - seconds
    session.save()


def test_absolute_timeout_defaults_to_twelve_hours():
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 3600
    assert settings.SESSION_COOKIE_AGE < settings.SESSION_ABSOLUTE_SECONDS  # the idle one is shorter


def test_a_busy_session_still_ends_after_the_absolute_timeout(client, hub_staff, hub_desk):
    case = make_case(hub_desk, hub_staff)
    url = reverse("consult:case_detail", args=[case.pk])
    sign_in(client, hub_staff)
    key = client.session.session_key
    # Eleven hours and 59 minutes of steady work: still signed in.
    _age_session(client, settings.SESSION_ABSOLUTE_SECONDS - 60)
    assert client.get(url).status_code == 200
    # Past twelve hours: signed out, however recent the last request was.
    _age_session(client, settings.SESSION_ABSOLUTE_SECONDS + 1)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not session_exists(key)
    assert client.get(reverse("home")).status_code == 302
    event = AuditEvent.objects.get(action="sess_end", object_id=str(hub_staff.pk))
    assert event.summary == "absolute timeout"


def test_the_absolute_timeout_is_configurable(client, hub_staff, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 3600
    sign_in(client, hub_staff)
    _age_session(client, 3601)
    assert client.get(reverse("home"))["Location"].startswith(reverse("account_login"))


def test_a_deactivated_account_loses_every_session_at_once(hub_staff, coordinator):
    counter, phone = Client(), Client(HTTP_USER_AGENT="another browser")
    sign_in(counter, hub_staff)
    sign_in(phone, hub_staff)
    keys = [counter.session.session_key, phone.session.session_key]
    colleague = as_user(Client(), coordinator)
    assert all(session_exists(k) for k in keys)

    hub_staff.is_active = False
    hub_staff.save()  # what the user admin's "active" box does

    assert not any(session_exists(k) for k in keys)
    for client in (counter, phone):
        assert client.get(reverse("home"))["Location"].startswith(reverse("account_login"))
    # Nobody else is touched.
    assert colleague.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action="sess_end", object_id=str(hub_staff.pk), summary="account deactivated")


def test_a_person_sees_their_other_sessions_and_ends_them(hub_staff, coordinator):
    counter = Client(HTTP_USER_AGENT="Counter PC 3")
    laptop = Client(HTTP_USER_AGENT="Laptop at home")
    sign_in(counter, hub_staff)
    sign_in(laptop, hub_staff)
    colleague = Client(HTTP_USER_AGENT="Colleague PC")
    sign_in(colleague, coordinator)  # a password-only session: coordinators may still manage their own

    page = counter.get(reverse("usersessions_list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Counter PC 3" in body and "Laptop at home" in body
    assert "Colleague PC" not in body  # only one's own sessions

    laptop_key = laptop.session.session_key
    response = counter.post(reverse("usersessions_list"))
    assert response.status_code == 302
    assert not session_exists(laptop_key)
    assert laptop.get(reverse("home"))["Location"].startswith(reverse("account_login"))
    assert counter.get(reverse("home")).status_code == 200
    assert session_exists(colleague.session.session_key)
    assert AuditEvent.objects.filter(
        action="sess_end", object_id=str(hub_staff.pk), actor=hub_staff, summary="ended by the person"
    ).exists()


def test_authentication_events_go_to_the_audit_trail(client, hub_staff, rate_limits_cleared, redis_cache):
    """Sign-in, failure, lock-out, sign-out — with the client address,
    without anything typed into the form."""
    wrong = "wrong-Password-4711"
    sign_in(client, hub_staff, wrong, REMOTE_ADDR="192.0.2.10")
    failed = AuditEvent.objects.get(action="login_fail", object_id=str(hub_staff.pk))
    assert failed.actor is None and failed.ip_address == "192.0.2.10" and failed.summary == "wrong password"

    sign_in(client, hub_staff, wrong.upper(), REMOTE_ADDR="192.0.2.10")
    sign_in(client, type(hub_staff)(username="t-nobody-here"), wrong, REMOTE_ADDR="192.0.2.10")
    unknown = AuditEvent.objects.get(action="login_fail", object_id="")
    assert unknown.summary == "unknown user name" and unknown.object_type == "accounts.user"

    # Spend the per-name budget: the next attempt is refused as a lock-out.
    for _ in range(10):
        sign_in(client, hub_staff, wrong, REMOTE_ADDR="192.0.2.11")
    assert AuditEvent.objects.filter(action="lockout", object_id=str(hub_staff.pk)).exists()

    _clear = __import__("tests.conftest", fromlist=["_clear_allauth_rate_limits"])._clear_allauth_rate_limits
    _clear()
    sign_in(client, hub_staff, REMOTE_ADDR="192.0.2.12")
    login = AuditEvent.objects.get(action="login", object_id=str(hub_staff.pk))
    assert login.actor == hub_staff and login.ip_address == "192.0.2.12" and login.changes == {"methods": ["password"]}
    client.post(reverse("account_logout"), REMOTE_ADDR="192.0.2.12")
    assert AuditEvent.objects.filter(action="logout", actor=hub_staff).exists()

    for event in AuditEvent.objects.filter(object_type="accounts.user"):
        text = f"{event.summary} {event.changes}"
        assert wrong not in text and wrong.upper() not in text and "t-nobody-here" not in text


def test_every_auth_event_action_is_an_audit_trail_action():
    from accounts.audit import Action

    names = {value for key, value in vars(Action).items() if key.isupper()}
    assert names <= set(AuditEvent.Action.values)
