"""Issue 12 point 11 / issue 13 point 3 end to end: the nightly retention
task, sent through a real Redis to a real Celery worker that connects to
PostgreSQL as a role that owns nothing (what `grant_app_role` gives, plus
EXECUTE on the two partition jobs), creates the audit trail's months ahead,
drops an expired month and anonymises an expired client."""

from __future__ import annotations

import io
import os
import uuid
from datetime import date, datetime
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from consult.models import Client
from core.retention import APP_ROLE_EXECUTE, audit_partitions
from tests.factories import ClientFactory
from tests.test_celery import celery_processes, redis_connection, redis_url  # noqa: F401 - fixtures

pytestmark = [pytest.mark.redis, pytest.mark.slow, pytest.mark.table_owner]  # creates a login role


@pytest.fixture
def app_login_role(transactional_db, monkeypatch):
    role = f"madoguchi_app_{uuid.uuid4().hex[:8]}"
    password = uuid.uuid4().hex
    monkeypatch.setenv("TEST_APP_ROLE_PASSWORD", password)
    call_command("grant_app_role", role, "--password-env", "TEST_APP_ROLE_PASSWORD", stdout=io.StringIO())
    with connection.cursor() as cursor:
        for function in APP_ROLE_EXECUTE:
            cursor.execute(f"GRANT EXECUTE ON FUNCTION {function} TO {role}")
    db = settings.DATABASES["default"]
    port = f":{db['PORT']}" if db.get("PORT") else ""
    yield f"postgres://{role}:{quote(password)}@{db.get('HOST') or '127.0.0.1'}{port}/{db['NAME']}"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s AND pid <> pg_backend_pid()",
            [role],
        )
        cursor.execute(f"DROP OWNED BY {role}")
        cursor.execute(f"DROP ROLE {role}")


def _has_partition(month: date) -> bool:
    return any(p.month == month for p in audit_partitions())


def test_the_nightly_task_runs_in_a_worker_as_a_role_that_owns_nothing(
    app_login_role,
    celery_processes,  # noqa: F811 - the fixture imported above
    hub_desk,
    coordinator,
):
    tz = timezone.get_default_timezone()
    expired_month = date(2015, 6, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT core_audit_create_month(%s)", [expired_month])
        cursor.execute(
            "INSERT INTO core_auditevent (at, action, object_type, object_id, summary, changes) "
            "VALUES (%s, 'view', 'consult.case', '1', 'FY2015', '{}')",
            [datetime(2015, 6, 10, tzinfo=tz)],
        )
        furthest = audit_partitions()[-1]
        cursor.execute(f"DROP TABLE core_audit.{furthest.name}")  # the worker must create it again
    old = ClientFactory(registered_desk=hub_desk, name="期限切れ 太郎", phone="090-1111-2222")
    Client.objects.filter(pk=old.pk).update(
        created_at=datetime(2015, 5, 1, tzinfo=tz), updated_at=datetime(2015, 5, 1, tzinfo=tz)
    )
    assert _has_partition(expired_month) and not _has_partition(furthest.month)

    celery_processes.env["DATABASE_URL"] = app_login_role
    celery_processes.start_worker()
    from core.tasks import retention_nightly

    with redis_connection(celery_processes.redis_url) as broker:
        retention_nightly.apply_async(
            queue=celery_processes.queue, routing_key=celery_processes.queue, connection=broker
        )
    celery_processes.wait_for(
        lambda: (
            "retention_nightly" in celery_processes.log("worker")
            and ("succeeded" in celery_processes.log("worker") or "ERROR" in celery_processes.log("worker"))
        ),
        "the retention task to finish",
        timeout=90,
    )
    log = celery_processes.log("worker")
    assert "succeeded" in log and "permission denied" not in log, log
    assert not _has_partition(expired_month)
    assert _has_partition(furthest.month)
    old.refresh_from_db()
    assert (old.name, old.phone) == ("", "")
    assert os.environ.get("TEST_APP_ROLE_PASSWORD") not in log
