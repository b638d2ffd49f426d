"""/healthz for the load balancer: 200 only when the database, the broker and
a recent beat tick are fine; 503 otherwise; never personal data; no login."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from config.celery import app as celery_app
from core.models import Heartbeat
from core.services import heartbeat_record

pytestmark = pytest.mark.django_db


def healthz(client):
    response = client.get("/healthz")
    return response, json.loads(response.content)


def test_anonymous_gets_healthz_without_sign_in(client):
    response, _ = healthz(client)
    assert response.status_code in (200, 503)  # not a redirect to sign-in
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]


def test_503_when_beat_never_ticked(client):
    response, body = healthz(client)
    assert response.status_code == 503
    assert body["status"] == "fail"
    assert body["checks"]["beat"] == {"ok": False, "detail": "never"}
    assert body["checks"]["database"]["ok"] is True


def test_503_when_the_heartbeat_is_stale(client, settings):
    stale = timezone.now() - timedelta(seconds=settings.HEALTHZ_BEAT_MAX_AGE_SECONDS + 30)
    Heartbeat.objects.create(name="beat", last_seen=stale)
    response, body = healthz(client)
    assert response.status_code == 503
    assert body["checks"]["beat"]["ok"] is False
    assert body["checks"]["beat"]["detail"].startswith("stale ")


def test_200_with_a_fresh_heartbeat(client):
    heartbeat_record(name="beat")
    response, body = healthz(client)
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert all(check["ok"] for check in body["checks"].values())


def test_another_heartbeat_name_does_not_count(client):
    heartbeat_record(name="something-else")
    response, _ = healthz(client)
    assert response.status_code == 503


def test_503_when_the_broker_is_unreachable(client):
    """A real connection attempt to a port where nothing listens (port 1)."""
    heartbeat_record(name="beat")
    previous = celery_app.conf.broker_write_url
    celery_app.conf.broker_write_url = "redis://127.0.0.1:1/0"
    try:
        response, body = healthz(client)
    finally:
        celery_app.conf.broker_write_url = previous
    assert response.status_code == 503
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_body_carries_no_personal_or_version_data(client, hub_staff):
    heartbeat_record(name="beat")
    response, body = healthz(client)
    assert set(body) == {"status", "checks"}
    assert set(body["checks"]) == {"database", "broker", "beat"}
    for check in body["checks"].values():
        assert set(check) == {"ok", "detail"}
    text = response.content.decode()
    for forbidden in (hub_staff.username, hub_staff.email, "倉敷", "6.1", "postgres", "redis://", "Traceback"):
        assert forbidden not in text


def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405
