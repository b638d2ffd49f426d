"""Issue 12 point 2: the client address behind the reverse proxy.  By
default (TRUSTED_PROXY_COUNT=0) a forged X-Forwarded-For from a direct
caller changes nothing: the audit row and the sign-in rate limit use the
peer.  With one trusted proxy, the proxy's own entry (the last) is the
client: one person's wrong passwords do not block the whole network behind
the proxy, and the audit trail says who it was."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import AuditEvent
from tests.factories import ClientFactory, as_user

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")


def _view_client(client, user, hub_desk, **headers):
    person = ClientFactory(registered_desk=hub_desk)
    as_user(client, user)
    response = client.get(reverse("consult:client_detail", args=[person.pk]), **headers)
    assert response.status_code == 200
    return AuditEvent.objects.filter(action="view", object_id=str(person.pk)).get().ip_address


TOO_MANY_JA = "ログイン失敗が連続しています。"


def _fail_sign_in(client, n, **headers) -> str:
    """A failed sign-in as a different (unknown) user name each time, so only
    the per-address limit can refuse it: 'refused' or 'tried'."""
    response = client.post(LOGIN, {"login": f"t-nobody-{n}", "password": "wrong-password-x"}, **headers)
    if response.status_code == 429 or TOO_MANY_JA in response.content.decode():
        return "refused"
    assert response.status_code == 200
    return "tried"


def test_untrusted_forwarded_for_is_ignored_by_the_audit_trail(client, coordinator, hub_desk):
    ip = _view_client(client, coordinator, hub_desk, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert ip == "203.0.113.9"


def test_untrusted_forwarded_for_does_not_dodge_the_sign_in_rate_limit(client, rate_limits_cleared):
    # Ten failures from one peer, each with another forged address ...
    for n in range(10):
        assert _fail_sign_in(client, n, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"6.6.6.{n}") == "tried"
    # ... still count against that peer.
    assert _fail_sign_in(client, 99, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="6.6.6.200") == "refused"
    # Another peer is not affected.
    assert _fail_sign_in(client, 100, REMOTE_ADDR="203.0.113.10") == "tried"


def test_behind_one_trusted_proxy_the_audit_trail_records_the_client(client, coordinator, hub_desk, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # The caller forged 6.6.6.6; the proxy appended the address it really saw.
    ip = _view_client(
        client, coordinator, hub_desk, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7"
    )
    assert ip == "198.51.100.7"


def test_behind_one_trusted_proxy_one_person_does_not_block_the_network(client, settings, rate_limits_cleared):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    via_proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(10):
        assert _fail_sign_in(client, n, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7", **via_proxy) == "tried"
    assert _fail_sign_in(client, 99, HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7", **via_proxy) == "refused"
    # A colleague behind the same proxy can still sign in.
    assert _fail_sign_in(client, 100, HTTP_X_FORWARDED_FOR="198.51.100.8", **via_proxy) == "tried"


def test_a_short_forwarded_for_falls_back_to_the_peer(client, coordinator, hub_desk, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    ip = _view_client(client, coordinator, hub_desk, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert ip == "10.0.0.1"
