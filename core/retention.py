"""Retention (issue 12 point 11, DESIGN §8): per record class, a number of
years (文書管理規程: 1, 3, 5, 10 or 30) counted from the end of the fiscal
year the record belongs to.  What expired is anonymised — names, contact
details, free text and sensitive notes are blanked — while every row that
statistics count stays, so every statistic is identical before and after.

Core sits below the apps whose records expire, so it offers a registry:
each app lists its record classes in a `retention.py` module
(`consult/retention.py`, `interpreters/retention.py`, `reports/retention.py`),
found by `autodiscover`.  The audit trail is core's own class: it is
partitioned by month (core migration 0006) and expires by dropping whole
partitions through a SECURITY DEFINER function (docs/decisions/0016).

A record of fiscal year F kept N years may go on 1 April of F+1+N:
`retention_cutoff(N)` is the first instant still kept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from .fiscal import fiscal_year

ALLOWED_YEARS = (1, 3, 5, 10, 30)
# What an anonymised free-text field holds where the database requires text
# (a cancelled booking's or a declined hand-off's reason): a dash, not a word.
ANONYMISED = "—"
AUDIT_TRAIL = "audit_trail"
# Partitions kept ready ahead of time, so that the DEFAULT partition stays empty.
AUDIT_MONTHS_AHEAD = 3
# What the application's database role must be allowed to EXECUTE (granted by
# `grant_app_role`): the two jobs on the partitioned audit trail, nothing else.
APP_ROLE_EXECUTE = ("core_audit_ensure_partitions(integer)", "core_audit_drop_expired_partitions()")


@dataclass(frozen=True)
class RecordClass:
    """`pending(cutoff)` counts what the next run would anonymise (records
    older than the cutoff still holding personal data); `anonymise(cutoff)`
    does it and returns how many records it changed.  Both idempotent."""

    key: str
    label: str
    pending: Callable[[datetime], int]
    anonymise: Callable[[datetime], int]
    order: int = 100


REGISTRY: dict[str, RecordClass] = {}
_discovered = False


def register(record_class: RecordClass) -> RecordClass:
    if record_class.key in REGISTRY and REGISTRY[record_class.key] != record_class:
        raise ValueError(f"record class {record_class.key!r} registered twice")
    REGISTRY[record_class.key] = record_class
    return record_class


def record_classes() -> list[RecordClass]:
    global _discovered
    if not _discovered:
        autodiscover_modules("retention")
        _discovered = True
    return sorted(REGISTRY.values(), key=lambda rc: (rc.order, rc.key))


def years_for(key: str) -> int:
    years = settings.RETENTION_YEARS[key]
    if years not in ALLOWED_YEARS:
        raise ValueError(f"retention of {key} must be one of {ALLOWED_YEARS}, not {years}")
    return years


def retention_cutoff(years: int, today: date | None = None) -> datetime:
    """1 April (Asia/Tokyo) of the fiscal year `years` before the current one:
    records before it belong to fiscal years whose retention has ended."""
    start = date(fiscal_year(today or timezone.localdate()) - years, 4, 1)
    return datetime.combine(start, time.min, tzinfo=timezone.get_default_timezone())


# --- the audit trail: monthly partitions ------------------------------------------


@dataclass(frozen=True)
class AuditPartition:
    name: str
    month: date
    rows: int


def redact(field: str):
    """An UPDATE value: "" stays "", anything else becomes ANONYMISED."""
    from django.db.models import Case, Value, When

    return Case(When(**{field: ""}, then=Value("")), default=Value(ANONYMISED))


def holds_text(*fields: str):
    """A filter: one of these fields holds text other than ANONYMISED."""
    from django.db.models import Q

    q = Q(pk__in=[])
    for field in fields:
        q |= ~Q(**{field: ""}) & ~Q(**{field: ANONYMISED})
    return q


def audit_partitions() -> list[AuditPartition]:
    """Month partitions of the audit trail, oldest first, with their row
    counts (read through the parent table: the application's role has no
    privilege on the partitions themselves)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'public.core_auditevent'::regclass AND c.relname ~ '^auditevent_y[0-9]{4}m[0-9]{2}$'
            ORDER BY c.relname
            """
        )
        names = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT date_trunc('month', at AT TIME ZONE 'Asia/Tokyo')::date, count(*) FROM core_auditevent GROUP BY 1"
        )
        counts = dict(cursor.fetchall())
    parts = []
    for name in names:
        month = date(int(name[12:16]), int(name[17:19]), 1)
        parts.append(AuditPartition(name=name, month=month, rows=counts.get(month, 0)))
    return parts


def audit_keep_years_in_database() -> int:
    """The years the database itself keeps (core_audit_keep_years(), written
    from settings at every migrate by the owner of the tables)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT core_audit_keep_years()")
        return cursor.fetchone()[0]


def audit_expired_partitions(today: date | None = None) -> list[AuditPartition]:
    cutoff = retention_cutoff(audit_keep_years_in_database(), today).date()
    return [p for p in audit_partitions() if _next_month(p.month) <= cutoff]


def _next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def audit_ensure_partitions(months_ahead: int = AUDIT_MONTHS_AHEAD) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT core_audit_ensure_partitions(%s)", [months_ahead])
        return cursor.fetchone()[0]


def audit_drop_expired_partitions() -> list[str]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_audit_drop_expired_partitions()")
        return [row[0] for row in cursor.fetchall()]


def install_audit_keep_years(*, using: str = "default", **kwargs) -> None:
    """post_migrate: write settings.RETENTION_YEARS["audit_trail"] into the
    database, where only the owner of the tables can change it.  Skipped
    (the value stays) when `migrate` runs as a role that does not own it."""
    from django.db import connections

    years = years_for(AUDIT_TRAIL)
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT pg_has_role(current_user, p.proowner, 'USAGE') FROM pg_proc p WHERE p.proname = 'core_audit_keep_years'"
        )
        row = cursor.fetchone()
        if not row or not row[0]:
            return
        cursor.execute(
            "CREATE OR REPLACE FUNCTION core_audit_keep_years() RETURNS integer "
            f"LANGUAGE sql IMMUTABLE AS 'SELECT {int(years)}'"
        )


def _audit_pending(cutoff: datetime) -> int:
    return sum(p.rows for p in audit_expired_partitions())


def _audit_anonymise(cutoff: datetime) -> int:
    rows = sum(p.rows for p in audit_expired_partitions())
    audit_drop_expired_partitions()
    return rows


register(
    RecordClass(key=AUDIT_TRAIL, label=_("audit trail"), pending=_audit_pending, anonymise=_audit_anonymise, order=900)
)


# --- running it -----------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionLine:
    key: str
    label: str
    years: int
    cutoff: datetime
    records: int


def retention_plan(today: date | None = None) -> list[RetentionLine]:
    """The dry run: per record class, how many records the next run touches."""
    lines = []
    for rc in record_classes():
        years = years_for(rc.key)
        cutoff = retention_cutoff(years, today)
        lines.append(RetentionLine(rc.key, str(rc.label), years, cutoff, rc.pending(cutoff)))
    return lines


def retention_run(today: date | None = None) -> list[RetentionLine]:
    """Anonymise what expired, class by class, each in its own transaction;
    then keep the audit trail's partitions ready for the months ahead."""
    lines = []
    for rc in record_classes():
        years = years_for(rc.key)
        cutoff = retention_cutoff(years, today)
        with transaction.atomic():
            done = rc.anonymise(cutoff)
        lines.append(RetentionLine(rc.key, str(rc.label), years, cutoff, done))
    audit_ensure_partitions()
    return lines
