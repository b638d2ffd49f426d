"""Issue 12 point 7: with the mail relay down, password reset answers a
known address exactly as an unknown one (no 500 that reveals who has an
account), and the log line names neither the address nor the account."""

from __future__ import annotations

import logging
import socket

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: connections are refused


@pytest.fixture
def relay_down(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": _closed_port(), "timeout": 3},
        }
    }


def test_known_and_unknown_address_get_the_same_answer(client, hub_staff, relay_down, rate_limits_cleared, caplog):
    url = reverse("account_reset_password")
    with caplog.at_level(logging.INFO):
        known = client.post(url, {"email": hub_staff.email})
        unknown = client.post(url, {"email": "nobody-here@example.invalid"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    failures = [r for r in caplog.records if "could not be sent" in r.getMessage()]
    assert len(failures) == 1  # the relay really was tried, and failed, for the known address
    for record in caplog.records:
        text = record.getMessage() + str(record.exc_info or "")
        assert hub_staff.email not in text and hub_staff.username not in text
