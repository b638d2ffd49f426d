"""Issue 12 point 3: the role the application connects as owns nothing, so
it cannot rewrite the audit trail — TRUNCATE, DISABLE TRIGGER, DROP TRIGGER,
session_replication_role and UPDATE/DELETE all fail for it — while the
application's ordinary work (read, insert, update its own tables, append to
the trail) still succeeds.  The role is set up by `grant_app_role`, the
command docker-compose's migrate service runs."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from core.audit import audit_log
from core.models import AuditEvent
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

ROLE = "madoguchi_app_test"
AUDIT = AuditEvent._meta.db_table


@pytest.fixture
def app_role(db):
    # Roles are cluster-wide, but CREATE ROLE is transactional: the test's
    # rollback removes it again.
    call_command("grant_app_role", ROLE, stdout=io.StringIO())
    return ROLE


def _as_app(statement: str, params=None):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {ROLE}")
        cursor.execute(statement, params)
        return cursor.rowcount


@pytest.mark.parametrize(
    "statement",
    [
        f"TRUNCATE {AUDIT}",
        f"ALTER TABLE {AUDIT} DISABLE TRIGGER core_auditevent_no_update_delete",
        f"ALTER TABLE {AUDIT} DISABLE TRIGGER ALL",
        f"DROP TRIGGER core_auditevent_no_update_delete ON {AUDIT}",
        "SET session_replication_role = replica",
        "UPDATE core_auditevent SET summary = 'rewritten'",
        "DELETE FROM core_auditevent",
        "DROP FUNCTION core_auditevent_append_only() CASCADE",
        f"ALTER TABLE {AUDIT} OWNER TO {ROLE}",
    ],
)
def test_the_app_role_cannot_rewrite_the_audit_trail(app_role, hub_staff, statement):
    audit_log(actor=hub_staff, action="view", obj=hub_staff)
    with pytest.raises(DatabaseError) as error:
        _as_app(statement)
    assert "permission denied" in str(error.value) or "must be owner" in str(error.value), str(error.value)
    assert AuditEvent.objects.count() == 1
    assert AuditEvent.objects.get().summary == ""


def test_the_app_role_does_its_ordinary_work(app_role, hub_desk):
    person = ClientFactory(registered_desk=hub_desk)
    assert _as_app("SELECT 1 FROM core_auditevent") >= 0
    assert (
        _as_app(
            "INSERT INTO core_auditevent (at, action, object_type, object_id, summary, changes) "
            "VALUES (now(), 'view', 'consult.client', %s, '', '{}')",
            [str(person.pk)],
        )
        == 1
    )
    assert _as_app("UPDATE consult_client SET phone = '0' WHERE id = %s", [person.pk]) == 1
    assert _as_app("SELECT 1 FROM django_migrations LIMIT 1") == 1


def test_the_command_refuses_a_superuser_role(db):
    from django.core.management.base import CommandError

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (me,) = cursor.fetchone()
    with pytest.raises(CommandError):
        call_command("grant_app_role", me)


def test_docker_compose_runs_the_app_as_the_role_that_owns_nothing():
    import yaml

    from tests.test_ops_deploy import compose

    result = compose("config")
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://madoguchi_app:"), name
    assert services["migrate"]["environment"]["DATABASE_URL"].startswith("postgres://madoguchi:")
    assert "grant_app_role madoguchi_app" in " ".join(services["migrate"]["command"])
