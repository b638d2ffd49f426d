"""Checks behind /healthz.  Each returns (ok, detail); details name the
component and the failure kind only — never data."""

from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import connection
from django.utils import timezone


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        return False, type(exc).__name__
    return True, "ok"


def check_broker() -> tuple[bool, str]:
    # Celery's current app is config.celery's (config/__init__.py creates it
    # with the settings): core sits below config and does not import it.
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return False, type(exc).__name__
    return True, "ok"


def check_beat() -> tuple[bool, str]:
    from .models import Heartbeat

    try:
        heartbeat = Heartbeat.objects.filter(name="beat").first()
    except Exception as exc:  # noqa: BLE001
        return False, type(exc).__name__
    if heartbeat is None:
        return False, "never"
    age = timezone.now() - heartbeat.last_seen
    if age > timedelta(seconds=settings.HEALTHZ_BEAT_MAX_AGE_SECONDS):
        return False, f"stale {int(age.total_seconds())}s"
    return True, f"{int(age.total_seconds())}s ago"


CHECKS = {"database": check_database, "broker": check_broker, "beat": check_beat}
