"""Give the role the application connects as exactly what it needs, and no
more (issue 12 point 3).

Migrations run as the owner of the tables (docker-compose: the `migrate`
service); web, worker and beat connect as a role that owns nothing.  Such a
role cannot TRUNCATE, ALTER TABLE … DISABLE TRIGGER, DROP TRIGGER or set
session_replication_role, so the append-only audit trail cannot be
rewritten through the application's connection.  On the audit table it may
only INSERT and SELECT.

Idempotent: run it after every migrate (new tables get their grants).

    python manage.py grant_app_role madoguchi_app --password-env POSTGRES_APP_PASSWORD
"""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg import sql

from core.models import AuditEvent


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
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
            row = cursor.fetchone()
            if row is None:
                if password:
                    cursor.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(ident, sql.Literal(password)))
                else:
                    cursor.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(ident))
            elif row[0]:
                raise CommandError(f"Role {role} is a superuser: the application must not connect as one.")
            elif password:
                cursor.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(ident, sql.Literal(password)))
            cursor.execute("SELECT current_user, current_database()")
            owner, database = cursor.fetchone()
            if owner == role:
                raise CommandError("Run this as the owner of the tables, not as the application's role.")
            statements = [
                sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), ident),
                sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(ident),
                sql.SQL("REVOKE CREATE ON SCHEMA public FROM {}").format(ident),
                sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(ident),
                sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(ident),
                sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(ident),
                # The audit trail: append and read, nothing else.
                sql.SQL("REVOKE ALL ON {} FROM {}").format(sql.Identifier(AuditEvent._meta.db_table), ident),
                sql.SQL("GRANT INSERT, SELECT ON {} TO {}").format(sql.Identifier(AuditEvent._meta.db_table), ident),
                # The schema's history is the owner's business.
                sql.SQL("REVOKE ALL ON django_migrations FROM {}").format(ident),
                sql.SQL("GRANT SELECT ON django_migrations TO {}").format(ident),
            ]
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"{role}: data access granted on {database}; the audit table is insert/select only.")
