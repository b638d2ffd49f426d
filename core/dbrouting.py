"""Reads of reports, the statistics dashboard and exports from a streaming
replica; everything else, and every write, on the primary (issue 13 point 4,
docs/decisions/0019-national-deployment.md).

* ``DATABASE_REPLICA_URL`` configures the database alias ``replica``
  (config/settings.py).  Without it this module changes nothing: every read
  goes to ``default``.
* :func:`replica_reads` (a context manager and a decorator) marks the code
  whose reads may be a little stale: the statistics dashboard, the grant
  report, export files.  :class:`ReplicaReadsMiddleware` applies it to every
  GET of the URL namespaces in ``DATABASE_REPLICA_NAMESPACES`` (``reports``),
  so the views themselves need no change; reports/services.py applies it
  around the export's data.
* Read-your-writes: a person who just changed something (any POST, PUT,
  PATCH or DELETE that got an answer) is pinned to the primary for
  ``READ_YOUR_WRITES_SECONDS`` through a small cookie, so their own report or
  export never misses what they just entered while the replica catches up.
  The cookie holds only a time; forging it can only send oneself to the
  primary.
* Reads inside a transaction on the primary always stay there (a service
  that writes and reads back sees its own rows), and so does every write.

The decision is per query, in :class:`PrimaryReplicaRouter`, from two context
variables: it works the same with persistent connections, Django's psycopg
pool or pgbouncer in front of either database.
"""

from __future__ import annotations

import contextvars
import time
from contextlib import ContextDecorator

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PIN_COOKIE = "mdg_primary_until"

_replica_wanted: contextvars.ContextVar[bool] = contextvars.ContextVar("madoguchi_replica_reads", default=False)
_pinned: contextvars.ContextVar[bool] = contextvars.ContextVar("madoguchi_pinned_to_primary", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


class _Scope(ContextDecorator):
    def __init__(self, var: contextvars.ContextVar, value: bool):
        self.var, self.value = var, value
        self._tokens: list[contextvars.Token] = []

    def __enter__(self):
        self._tokens.append(self.var.set(self.value))
        return self

    def __exit__(self, *exc):
        self.var.reset(self._tokens.pop())
        return False


def replica_reads(*, fresh: bool = False, timeout: float = 5.0) -> _Scope:
    """Reads in this block (or decorated function) may come from the replica.

    ``fresh=True`` (for a ``with`` block started when the work starts, such
    as an export): first wait up to `timeout` seconds until the replica has
    replayed everything the primary had committed by now — the requester's
    own last writes included — and read from the primary if it has not."""
    if fresh and replica_configured() and not replica_caught_up(timeout=timeout):
        return _Scope(_replica_wanted, False)
    return _Scope(_replica_wanted, True)


def replica_caught_up(*, timeout: float = 5.0) -> bool:
    """True once the replica has replayed the primary's current WAL position."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (target,) = cursor.fetchone()
    deadline = time.monotonic() + timeout
    while True:
        with connections[REPLICA].cursor() as cursor:
            # NULL: not a standby (a test mirror of the primary): nothing to wait for.
            cursor.execute("SELECT coalesce(pg_last_wal_replay_lsn() >= %s::pg_lsn, true)", [target])
            (caught_up,) = cursor.fetchone()
        if caught_up or time.monotonic() >= deadline:
            return caught_up
        time.sleep(0.05)


def primary_reads() -> _Scope:
    """Reads in this block come from the primary, even inside replica_reads()."""
    return _Scope(_pinned, True)


def read_alias() -> str:
    """Where a read issued now goes: ``replica`` or ``default``."""
    if not _replica_wanted.get() or _pinned.get() or not replica_configured():
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS  # read back what this transaction wrote
    return REPLICA


class PrimaryReplicaRouter:
    """settings.DATABASE_ROUTERS: writes and migrations on the primary,
    reads where :func:`read_alias` says."""

    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _pin_seconds() -> int:
    return int(getattr(settings, "READ_YOUR_WRITES_SECONDS", 15))


def _pinned_until(request) -> float:
    try:
        return float(request.COOKIES.get(PIN_COOKIE, "0"))
    except ValueError:
        return 0.0


def _wants_replica(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    match = getattr(request, "resolver_match", None)
    namespaces = set(getattr(settings, "DATABASE_REPLICA_NAMESPACES", ("reports",)))
    return match is not None and bool(namespaces & set(match.namespaces))


class ReplicaReadsMiddleware:
    """GETs of the report views read from the replica unless the person wrote
    something in the last READ_YOUR_WRITES_SECONDS; a request that may have
    written sets (or renews) that pin.  Last in MIDDLEWARE, so that the
    scope covers the view and the rendering of its response only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        now = time.time()
        pinned = _pinned.set(_pinned_until(request) > now)
        try:
            response = self.get_response(request)
        finally:
            token = getattr(request, "_replica_reads_token", None)
            if token is not None:
                _replica_wanted.reset(token)
            _pinned.reset(pinned)
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") and replica_configured():
            response.set_cookie(
                PIN_COOKIE,
                f"{now + _pin_seconds():.0f}",
                max_age=_pin_seconds(),
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if _wants_replica(request):
            request._replica_reads_token = _replica_wanted.set(True)
