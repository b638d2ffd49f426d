"""The test suite connects as the application does in production (issue 12
point 3; docs/decisions/0017-app-role.md).

pytest-django creates and migrates the test database as the owner (the role
of DATABASE_URL).  Then `grant_app_role` gives a role that owns nothing its
data access, exactly as docker-compose's `migrate` service does, and the
`default` connection — the test client, services, live_server threads, and
the gunicorn and Celery subprocesses that get the URL from
`live_database_url()` — signs in as that role from then on.

Two kinds of work stay with the owner, as they do in production:
- the flush after a transactional test (TRUNCATE of every table, which the
  application's role may not do), run on a separate owner connection;
- tests marked `@pytest.mark.table_owner` (benchmark dataset builders that
  disable triggers and set sequences, like `make bench`'s owner connection):
  their `default` connection signs in as the owner.
"""

from __future__ import annotations

import io
import os
import secrets
import warnings
from contextlib import contextmanager

import psycopg
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.postgresql.operations import DatabaseOperations
from psycopg import sql

PASSWORD_ENV = "MADOGUCHI_TEST_APP_ROLE_PASSWORD"


class AppRole:
    """Switches the `default` alias between the owner and the app role."""

    def __init__(self) -> None:
        self.settings = connections[DEFAULT_DB_ALIAS].settings_dict
        self.owner = (self.settings.get("USER") or "", self.settings.get("PASSWORD") or "")
        # Roles are cluster-wide: one per test database, so parallel runs
        # on one server (other checkouts, CI) never share or drop each other's.
        self.role = f"{self.settings['NAME']}_app"[:63]
        self.password = secrets.token_hex(16)
        self.active = False
        self._flush = DatabaseOperations.execute_sql_flush

    # --- set-up and tear-down of the session ---------------------------------
    def set_up(self) -> None:
        # What the test set-up creates as owner, as `migrate` does in production.
        call_command("createcachetable", verbosity=0)
        os.environ[PASSWORD_ENV] = self.password
        try:
            call_command("grant_app_role", self.role, password_env=PASSWORD_ENV, verbosity=0, stdout=io.StringIO())
        finally:
            del os.environ[PASSWORD_ENV]
        role = self

        def execute_sql_flush(ops, sql_list):
            if role.active and ops.connection.alias == DEFAULT_DB_ALIAS:
                return role.flush_as_owner(sql_list)
            return role._flush(ops, sql_list)

        DatabaseOperations.execute_sql_flush = execute_sql_flush
        self.use_app_role()

    def tear_down(self, *, keep: bool) -> None:
        self.use_owner()
        DatabaseOperations.execute_sql_flush = self._flush
        if keep:
            return
        try:
            with self.owner_connection() as conn:
                # Privileges in this database and on it; the database itself goes next.
                conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(self.role)))
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(self.role)))
        except psycopg.Error as exc:  # a left-over role is harmless (re-used next run)
            warnings.warn(f"could not drop the test app role {self.role}: {exc}", stacklevel=1)

    # --- switching ------------------------------------------------------------
    def _sign_in_as(self, user: str, password: str) -> None:
        connections[DEFAULT_DB_ALIAS].close()
        self.settings["USER"], self.settings["PASSWORD"] = user, password

    def use_app_role(self) -> None:
        self._sign_in_as(self.role, self.password)
        self.active = True

    def use_owner(self) -> None:
        self._sign_in_as(*self.owner)
        self.active = False

    @contextmanager
    def owner_connection(self):
        """A separate autocommit-off connection to the test database as owner."""
        params = {
            "dbname": self.settings["NAME"],
            "user": self.owner[0] or None,
            "password": self.owner[1] or None,
            "host": self.settings.get("HOST") or None,
            "port": self.settings.get("PORT") or None,
        }
        with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
            yield conn

    def flush_as_owner(self, sql_list) -> None:
        with self.owner_connection() as conn:
            for statement in sql_list:
                conn.execute(statement)
