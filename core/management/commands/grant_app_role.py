"""Give the role the application connects as exactly what it needs, and no
more (issue 12 point 3; docs/decisions/0017-app-role.md).

Migrations run as the owner of the tables (docker-compose: the `migrate`
service; the test suite: the role pytest-django creates the test database
with); web, worker and beat connect as a role that owns nothing.  Such a
role cannot TRUNCATE, ALTER TABLE … DISABLE TRIGGER, DROP TRIGGER or set
session_replication_role, so the append-only audit trail cannot be
rewritten through the application's connection.  On the audit table it may
only INSERT and SELECT.

Every grant of the application's role is in this one command.  Idempotent:
run it after every migrate (tables that a migration adds get their grants
then; no default privileges on tables, so nothing a later DDL statement
creates is writable by the application before this command has looked at it).

The audit trail may be a partitioned table: the grants are on the parent
(PostgreSQL checks only the parent's privileges for rows reached through it),
and the application gets nothing on the partitions themselves, whether they
exist now or are created later by the owner's SECURITY DEFINER function.
The application may EXECUTE the schema's functions (that partition function
among them: it runs with its owner's rights, doing only what it was written
to do).

    python manage.py grant_app_role madoguchi_app --password-env POSTGRES_APP_PASSWORD
"""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg import sql

from core.models import AuditEvent

# Tables the application may read but never change.
READ_ONLY_TABLES = ("django_migrations",)
# Tables the application may append to and read, and nothing else.
APPEND_ONLY_TABLES = (AuditEvent._meta.db_table,)


def grant_statements(role: str, database: str, cursor) -> list[sql.Composable]:
    """The complete set of grants of the application's role, in order."""
    ident = sql.Identifier(role)
    statements = [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), ident),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(ident),
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(ident),
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(ident),
        sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {}").format(ident),
        # No TRUNCATE, REFERENCES or TRIGGER: data access only.
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(ident),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(ident),
        sql.SQL("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {}").format(ident),
    ]
    for table in APPEND_ONLY_TABLES + READ_ONLY_TABLES:
        # The table and, if it is partitioned, every partition (nothing
        # through them directly; the parent's grant is the only way in).
        # (pg_partition_tree lists nothing for a table that is not partitioned.)
        statements.append(sql.SQL("REVOKE ALL ON TABLE {} FROM {}").format(sql.Identifier(table), ident))
        cursor.execute(
            "SELECT relid::regclass::text FROM pg_partition_tree(%s::regclass) WHERE relid <> %s::regclass",
            [table, table],
        )
        for (relation,) in cursor.fetchall():
            statements.append(sql.SQL("REVOKE ALL ON TABLE {} FROM {}").format(sql.SQL(relation), ident))
    for table in APPEND_ONLY_TABLES:
        statements.append(sql.SQL("GRANT INSERT, SELECT ON TABLE {} TO {}").format(sql.Identifier(table), ident))
    for table in READ_ONLY_TABLES:
        statements.append(sql.SQL("GRANT SELECT ON TABLE {} TO {}").format(sql.Identifier(table), ident))
    return statements


class Command(BaseCommand):
    help = "Create (if missing) the application's database role and grant it data access only."

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role web, worker and beat connect as")
        parser.add_argument(
            "--password-env",
            help="environment variable holding the role's password; creates a LOGIN role (required when creating one)",
        )

    def handle(self, *args, role: str, password_env: str | None = None, **options):
        password = os.environ.get(password_env, "") if password_env else ""
        if password_env and not password:
            raise CommandError(f"{password_env} is empty: refusing to create a role without a password.")
        ident = sql.Identifier(role)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_database()")
            owner, database = cursor.fetchone()
            if owner == role:
                raise CommandError("Run this as the owner of the tables, not as the application's role.")
            cursor.execute(
                "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = %s", [role]
            )
            row = cursor.fetchone()
            if row is None:
                if password:
                    cursor.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(ident, sql.Literal(password)))
                else:
                    cursor.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(ident))
            elif any(row):
                raise CommandError(
                    f"Role {role} is a superuser or may create roles or databases or bypass row security: "
                    "the application must not connect as one."
                )
            elif password:
                cursor.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(ident, sql.Literal(password)))
            cursor.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner"
                " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE r.rolname = %s AND n.nspname = 'public'",
                [role],
            )
            if cursor.fetchone()[0]:
                raise CommandError(f"Role {role} owns tables in schema public: it must own nothing.")
            for statement in grant_statements(role, database, cursor):
                cursor.execute(statement)
        self.stdout.write(f"{role}: data access granted on {database}; the audit table is insert/select only.")
