"""Issue 12 point 3: the role the application connects as owns nothing, so
it cannot rewrite the audit trail — TRUNCATE, DISABLE TRIGGER, DROP TRIGGER,
session_replication_role and UPDATE/DELETE all fail for it — while the
application's ordinary work (read, insert, update its own tables, append to
the trail) still succeeds.

The test suite's own `default` connection is that role (tests/app_role.py:
the test database is created and migrated by the owner, then
`grant_app_role` — the command docker-compose's migrate service runs — sets
the role up), so these statements run exactly as the application would."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from core.audit import audit_log
from core.models import AuditEvent
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

AUDIT = AuditEvent._meta.db_table


def _run(statement: str, params=None) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def _whoami() -> tuple[str, str, bool]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, session_user, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
        )
        return cursor.fetchone()


def test_the_suite_connects_as_a_role_that_owns_nothing(db):
    current, session, superuser = _whoami()
    assert current == session == connection.settings_dict["USER"]
    assert current.endswith("_app") and not superuser
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = current_user"
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = %s", [AUDIT])
        assert cursor.fetchone()[0] != current


@pytest.mark.parametrize(
    "statement",
    [
        # The four of the issue…
        f"TRUNCATE {AUDIT}",
        f"ALTER TABLE {AUDIT} DISABLE TRIGGER core_auditevent_no_update_delete",
        "SET session_replication_role = replica",
        f"DROP TRIGGER core_auditevent_no_update_delete ON {AUDIT}",
        # …and their relatives.
        f"ALTER TABLE {AUDIT} DISABLE TRIGGER ALL",
        f"TRUNCATE consult_client, {AUDIT} CASCADE",
        "UPDATE core_auditevent SET summary = 'rewritten'",
        "DELETE FROM core_auditevent",
        "DROP FUNCTION core_auditevent_append_only() CASCADE",
        "CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS 'BEGIN RETURN OLD; END' LANGUAGE plpgsql",
        f"ALTER TABLE {AUDIT} OWNER TO CURRENT_USER",
        f"DROP TABLE {AUDIT}",
        "SET ROLE postgres",
        f"CREATE TABLE {AUDIT}_copy (id int)",
    ],
)
def test_the_app_role_cannot_rewrite_the_audit_trail(hub_staff, statement):
    audit_log(actor=hub_staff, action="view", obj=hub_staff)
    with pytest.raises(DatabaseError) as error:
        _run(statement)
    message = str(error.value)
    assert any(
        reason in message for reason in ("permission denied", "must be owner", "must be a member", "append-only")
    ), message
    assert AuditEvent.objects.count() == 1
    assert AuditEvent.objects.get().summary == ""


def test_updating_or_deleting_an_audit_row_fails_on_privileges_before_the_trigger(hub_staff):
    audit_log(actor=hub_staff, action="view", obj=hub_staff)
    for statement in ("UPDATE core_auditevent SET summary = 'x'", "DELETE FROM core_auditevent"):
        with pytest.raises(DatabaseError, match="permission denied"):
            _run(statement)


def test_the_app_role_does_its_ordinary_work(hub_desk, hub_staff):
    person = ClientFactory(registered_desk=hub_desk)
    audit_log(actor=hub_staff, action="view", obj=person)
    assert AuditEvent.objects.filter(object_id=str(person.pk)).count() == 1
    assert _run("UPDATE consult_client SET phone = '0' WHERE id = %s", [person.pk]) == 1
    assert _run("SELECT 1 FROM django_migrations LIMIT 1") == 1
    with pytest.raises(DatabaseError, match="permission denied"):
        _run("DELETE FROM django_migrations")


def test_grant_app_role_refuses_to_run_as_the_app_role(db):
    with pytest.raises(CommandError, match="owner of the tables"):
        call_command("grant_app_role", connection.settings_dict["USER"], stdout=io.StringIO())


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
