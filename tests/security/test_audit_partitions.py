"""Issue 13 point 3 (the audit part): the audit trail is partitioned by
month (core migration 0006), and

- the migration converts the existing table and keeps every row and id;
- it still refuses UPDATE and DELETE — through the parent, on a month
  partition, on the DEFAULT partition and on a partition created later;
- a role that owns nothing (INSERT, SELECT on the audit table and EXECUTE
  on the two partition jobs, as `grant_app_role` gives the application)
  creates the months ahead and drops expired months through the SECURITY
  DEFINER functions, and can do nothing else to the partitions;
- retention drops whole expired partitions, never a month still kept."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from core.audit import audit_log
from core.models import AuditEvent
from core.retention import (
    APP_ROLE_EXECUTE,
    audit_drop_expired_partitions,
    audit_ensure_partitions,
    audit_expired_partitions,
    audit_partitions,
    retention_cutoff,
)

pytestmark = [pytest.mark.django_db, pytest.mark.table_owner]  # partition jobs and role set-up are owner work

ROLE = "madoguchi_app_partitions_test"


def _insert(at: datetime, summary: str = "") -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditevent (at, action, object_type, object_id, summary, changes) "
            "VALUES (%s, 'view', 'consult.case', '1', %s, '{}') RETURNING id",
            [at, summary],
        )
        return cursor.fetchone()[0]


def _partition_of(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM core_auditevent WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def _create_month(day: date) -> None:
    """As the owner (the migration does this for past months with rows)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT core_audit_create_month(%s)", [day])


@pytest.fixture
def app_role(db):
    call_command("grant_app_role", ROLE, stdout=io.StringIO())
    with connection.cursor() as cursor:
        for function in APP_ROLE_EXECUTE:
            cursor.execute(f"GRANT EXECUTE ON FUNCTION {function} TO {ROLE}")
    return ROLE


def _as_app(statement: str, params=None):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {ROLE}")
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else cursor.rowcount


def test_the_table_is_partitioned_by_month_with_a_default_partition():
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = 'public.core_auditevent'::regclass")
        assert cursor.fetchone()[0] == "p"
        cursor.execute("SELECT pg_get_partkeydef('public.core_auditevent'::regclass)")
        assert cursor.fetchone()[0] == "RANGE (at)"
        cursor.execute("SELECT to_regclass('core_audit.auditevent_default') IS NOT NULL")
        assert cursor.fetchone()[0]
    this_month = timezone.localdate().replace(day=1)
    months = [p.month for p in audit_partitions()]
    assert this_month in months and months[-1] > this_month  # months ahead exist
    event = audit_log(actor=None, action="view", obj=AuditEvent(pk=1))
    assert _partition_of(event.pk) == f"core_audit.auditevent_y{this_month:%Y}m{this_month:%m}"


@pytest.mark.parametrize("where", ["parent", "month", "default", "new month"])
@pytest.mark.parametrize(
    "statement", ["UPDATE {t} SET summary = 'rewritten' WHERE id = %s", "DELETE FROM {t} WHERE id = %s"]
)
def test_update_and_delete_are_refused_on_every_partition(where, statement):
    if where == "default":
        at = timezone.now() + timedelta(days=3 * 366)  # no partition that far ahead
    elif where == "new month":
        at = timezone.now() + timedelta(days=2 * 366)
        _create_month(at.date())
    else:
        at = timezone.now()
    pk = _insert(at)
    table = "core_auditevent" if where == "parent" else _partition_of(pk)
    assert (where == "default") == table.endswith("_default")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.format(t=table), [pk])
    assert AuditEvent.objects.filter(pk=pk, summary="").count() == 1


def test_the_app_role_creates_months_ahead_and_nothing_else(app_role):
    this_month = timezone.localdate().replace(day=1)
    far = (this_month + timedelta(days=32 * 20)).replace(day=1)
    stray = _insert(datetime(far.year, far.month, 15, 12, tzinfo=timezone.get_default_timezone()), "stray")
    assert _partition_of(stray) == "core_audit.auditevent_default"
    before = AuditEvent.objects.count()

    created = _as_app("SELECT core_audit_ensure_partitions(24)")[0][0]
    assert created >= 20
    # The stray row moved out of DEFAULT into its month, same id, nothing lost.
    assert _partition_of(stray) == f"core_audit.auditevent_y{far:%Y}m{far:%m}"
    assert AuditEvent.objects.count() == before
    assert _as_app("SELECT core_audit_ensure_partitions(24)")[0][0] == 0  # idempotent

    for refused in [
        "SELECT core_audit_ensure_partitions(25)",
        "SELECT core_audit_ensure_partitions(-1)",
    ]:
        with pytest.raises(DatabaseError, match="between 0 and 24"):
            _as_app(refused)
    for refused in [
        "SELECT core_audit_create_month('2099-01-01')",
        "CREATE OR REPLACE FUNCTION core_audit_keep_years() RETURNS integer LANGUAGE sql AS 'SELECT 0'",
        f"SELECT count(*) FROM core_audit.auditevent_y{far:%Y}m{far:%m}",  # noqa: S608
        f"DROP TABLE core_audit.auditevent_y{far:%Y}m{far:%m}",
        f"ALTER TABLE core_auditevent DETACH PARTITION core_audit.auditevent_y{far:%Y}m{far:%m}",
        "CREATE TABLE core_audit.mine (id int)",
        "TRUNCATE core_auditevent",
        "DELETE FROM core_auditevent",
    ]:
        with pytest.raises(DatabaseError, match=r"permission denied|must be owner"):
            _as_app(refused)
    # Appending and reading through the parent still work for the app.
    assert (
        _as_app(
            "INSERT INTO core_auditevent (at, action, object_type, object_id, summary, changes) "
            "VALUES (now(), 'view', 'consult.case', '2', '', '{}')"
        )
        == 1
    )
    assert _as_app("SELECT count(*) FROM core_auditevent")[0][0] == before + 1


def test_the_app_role_drops_expired_months_only(app_role):
    """5 years (the test settings' default) from the end of the fiscal year:
    a month before the cutoff goes whole, the month from the cutoff stays."""
    cutoff = retention_cutoff(5).date()  # 1 April
    tz = timezone.get_default_timezone()
    old_months = [date(cutoff.year - 9, 4, 1), date(cutoff.year, 3, 1)]
    kept_month = cutoff
    for month in [*old_months, kept_month]:
        _create_month(month)
    old_rows = [_insert(datetime(m.year, m.month, 10, tzinfo=tz), "old") for m in old_months]
    old_rows.append(_insert(datetime(cutoff.year, 3, 31, 23, 59, tzinfo=tz), "last minute of the fiscal year"))
    kept = _insert(datetime(cutoff.year, 4, 1, 0, 0, tzinfo=tz), "first minute kept")
    now_row = audit_log(actor=None, action="view", obj=AuditEvent(pk=1)).pk

    expected = {f"auditevent_y{m:%Y}m{m:%m}" for m in old_months}
    assert {p.name for p in audit_expired_partitions()} == expected
    dropped = {row[0] for row in _as_app("SELECT * FROM core_audit_drop_expired_partitions()")}
    assert dropped == expected
    assert not AuditEvent.objects.filter(pk__in=old_rows).exists()
    assert AuditEvent.objects.filter(pk__in=[kept, now_row]).count() == 2
    assert _as_app("SELECT * FROM core_audit_drop_expired_partitions()") == []
    assert audit_expired_partitions() == []


def test_the_years_kept_live_in_the_database_and_follow_settings(settings):
    settings.RETENTION_YEARS = {**settings.RETENTION_YEARS, "audit_trail": 10}
    from core.retention import audit_keep_years_in_database, install_audit_keep_years

    install_audit_keep_years()
    assert audit_keep_years_in_database() == 10
    settings.RETENTION_YEARS = {**settings.RETENTION_YEARS, "audit_trail": 5}
    install_audit_keep_years()
    assert audit_keep_years_in_database() == 5


def test_the_owner_side_helpers_run_the_same_jobs():
    assert audit_ensure_partitions() == 0  # the migration made this month and three ahead
    assert audit_drop_expired_partitions() == []


def test_the_migration_converts_the_table_and_keeps_every_row():
    executor = MigrationExecutor(connection)
    executor.migrate([("core", "0005_draft_store_and_print_audit")])
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT relkind FROM pg_class WHERE oid = 'public.core_auditevent'::regclass")
            assert cursor.fetchone()[0] == "r"
            tz = timezone.get_default_timezone()
            ids = [_insert(datetime(2019, 5, 1, tzinfo=tz), "reiwa 1"), _insert(timezone.now(), "today")]
        executor = MigrationExecutor(connection)
        executor.migrate([("core", "0006_auditevent_partitioned")])
    finally:
        MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = 'public.core_auditevent'::regclass")
        assert cursor.fetchone()[0] == "p"
    assert list(AuditEvent.objects.filter(pk__in=ids).order_by("pk").values_list("summary", flat=True)) == [
        "reiwa 1",
        "today",
    ]
    assert _partition_of(ids[0]) == "core_audit.auditevent_y2019m05"
    assert _insert(timezone.now()) > max(ids)  # the identity continues after the copied ids
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=ids[0]).update(summary="rewritten")
