"""grant_app_role as the owner runs it (docker-compose's migrate service):
it refuses roles that could do more than data access, covers partitions of
the audit table, and is idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.table_owner]

ROLE = "madoguchi_app_grant_test"
AUDIT = AuditEvent._meta.db_table


def _privileges(cursor, relation: str) -> set[str]:
    cursor.execute(
        "SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = %s AND table_name = %s",
        [ROLE, relation],
    )
    return {row[0] for row in cursor.fetchall()}


def test_grants_are_data_access_only_and_idempotent():
    from django.db import connection

    # CREATE ROLE is transactional: the test's rollback removes it again.
    call_command("grant_app_role", ROLE, stdout=io.StringIO())
    call_command("grant_app_role", ROLE, stdout=io.StringIO())
    with connection.cursor() as cursor:
        assert _privileges(cursor, AUDIT) == {"INSERT", "SELECT"}
        assert _privileges(cursor, "consult_client") == {"SELECT", "INSERT", "UPDATE", "DELETE"}
        assert _privileges(cursor, "django_migrations") == {"SELECT"}
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolcanlogin FROM pg_roles WHERE rolname = %s", [ROLE]
        )
        assert cursor.fetchone() == (False, False, False, False)


def test_partitions_of_the_audit_table_get_nothing_the_parent_everything_needed():
    """The audit trail becomes a partitioned table: a partition reached
    directly is closed; rows reached through the parent are insert/select."""
    from django.db import connection

    with connection.cursor() as cursor:
        # A stand-in partitioned table named like the audit table's partitions.
        cursor.execute("CREATE TABLE grant_test_parent (at date NOT NULL, n int) PARTITION BY RANGE (at)")
        cursor.execute(
            "CREATE TABLE grant_test_parent_2026_11 PARTITION OF grant_test_parent"
            " FOR VALUES FROM ('2026-11-01') TO ('2026-12-01')"
        )
    from core.management.commands import grant_app_role

    old = grant_app_role.APPEND_ONLY_TABLES
    grant_app_role.APPEND_ONLY_TABLES = (*old, "grant_test_parent")
    try:
        call_command("grant_app_role", ROLE, stdout=io.StringIO())
    finally:
        grant_app_role.APPEND_ONLY_TABLES = old
    with connection.cursor() as cursor:
        assert _privileges(cursor, "grant_test_parent") == {"INSERT", "SELECT"}
        assert _privileges(cursor, "grant_test_parent_2026_11") == set()


def test_the_command_refuses_a_superuser_role(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (me,) = cursor.fetchone()
    with pytest.raises(CommandError):
        call_command("grant_app_role", me, stdout=io.StringIO())
