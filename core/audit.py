"""Write to the append-only audit trail (DESIGN §8).

The client address of the request being served comes from a context
variable that `core.middleware.AuditContextMiddleware` sets for each request,
so that services record it without being handed the request.  Outside a
request (tasks, commands, tests calling services) it is empty."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from contextvars import ContextVar, Token
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from .models import AuditEvent

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Model

_client_address: ContextVar[str | None] = ContextVar("audit_client_address", default=None)


def set_client_address(address: str | None) -> Token:
    """Set the address recorded by audit_log in this context; returns the
    token to `reset_client_address` with."""
    return _client_address.set(address or None)


def reset_client_address(token: Token) -> None:
    _client_address.reset(token)


def current_client_address() -> str | None:
    return _client_address.get()


def audit_log(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    obj: Model,
    # A consult Case and a municipalities Desk: core sits below both.
    case: Model | None = None,
    desk: Model | None = None,
    summary: str = "",
    changes: dict | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        # An unsaved object: e.g. a failed sign-in for a user name nobody has.
        object_id="" if obj.pk is None else str(obj.pk),
        case=case,
        desk=desk,
        summary=summary[:300],
        changes=changes or {},
        ip_address=current_client_address(),
    )


VIEW_COALESCE = timedelta(minutes=5)


def audit_views(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    shown: Iterable[tuple[Model, Model | None, Model | None]],
    summary: str,
    throttle: timedelta = VIEW_COALESCE,
) -> int:
    """Record that `actor` was shown these records: (object, case, desk) for
    each.  Coalesced like the case page: an object this person was recorded
    viewing within `throttle` adds nothing, so a reload or a search typed
    letter by letter records visits, not keystrokes.  One statement (an
    INSERT … SELECT … WHERE NOT EXISTS) whatever the number of rows, so list
    pages keep their query budget.  Returns the number of events written.

    A reload shows the same records again: when the statement wrote an
    event for every one of them, a mark in the shared cache (Redis) says so
    until `throttle` has passed, and the same records shown to the same
    person meanwhile are not even asked about (the statement would write
    nothing: issue 13).  No mark (some were already recorded, at times this
    does not know; an expired or lost key; no cache): the trail decides."""
    if not getattr(actor, "is_authenticated", False):
        return 0
    rows = {}
    for obj, case, desk in shown:
        rows.setdefault((obj._meta.label_lower, str(obj.pk)), (getattr(case, "pk", None), getattr(desk, "pk", None)))
    if not rows:
        return 0
    table = AuditEvent._meta.db_table
    written = 0
    for object_type in {key[0] for key in rows}:
        keys = [key for key in rows if key[0] == object_type]
        mark = view_mark_key(actor, object_type, [key[1] for key in keys])
        if view_mark_read(mark) is not None:
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {table} (at, actor_id, action, object_type, object_id, case_id, desk_id,
                                     summary, changes, ip_address)
                SELECT now(), %(actor)s, 'view', %(type)s, v.object_id, v.case_id, v.desk_id,
                       %(summary)s, '{{}}'::jsonb, %(ip)s::inet
                FROM unnest(%(ids)s::text[], %(cases)s::bigint[], %(desks)s::bigint[]) AS v(object_id, case_id, desk_id)
                WHERE NOT EXISTS (
                    SELECT 1 FROM {table} e
                    WHERE e.object_type = %(type)s AND e.object_id = v.object_id AND e.actor_id = %(actor)s
                      AND e.action = 'view' AND e.at >= now() - %(throttle)s
                )
                RETURNING at
                """,  # noqa: S608 - the table name is ours, every value is a parameter
                {
                    "actor": actor.pk,
                    "type": object_type,
                    "summary": summary[:300],
                    "ip": current_client_address(),
                    "ids": [key[1] for key in keys],
                    "cases": [rows[key][0] for key in keys],
                    "desks": [rows[key][1] for key in keys],
                    "throttle": throttle,
                },
            )
            recorded = [row[0] for row in cursor.fetchall()]
            written += len(recorded)
            if recorded and len(recorded) == len(keys):
                at = recorded[0]  # now() of the transaction: one time for every row
                transaction.on_commit(lambda mark=mark, at=at: view_mark_set(mark, at, throttle))
    return written


# --- marks of recorded views in the shared cache (issue 13) -------------------
# "This person's view of these records is in the trail until T": a reload
# before T need not ask the trail.  Used by audit_views and by the case
# page (consult.services.cases.case_record_view).
def view_mark_key(actor, kind: str, ids: Iterable[str]) -> str:
    """The mark of `actor`'s view of the records `ids` of `kind`.  The
    person's date_joined keeps a mark theirs even where ids repeat (a
    database restored from a backup, or created afresh, while Redis keeps
    its keys)."""
    joined = int(actor.date_joined.timestamp()) if getattr(actor, "date_joined", None) else 0
    digest = hashlib.blake2b("\n".join(sorted(ids)).encode(), digest_size=16).hexdigest()
    return f"core:views:{actor.pk}:{joined}:{kind}:{digest}"


def view_mark_read(key: str) -> float | None:
    """When the marked view was recorded (a timestamp), or None: no mark,
    or no cache (then the trail decides)."""
    try:
        return cache.get(key)
    except Exception:  # without the cache, the trail decides
        log.warning("audit views: the cache cannot be read; the audit trail decides", exc_info=True)
        return None


def view_mark_set(key: str, at: datetime, throttle: timedelta) -> None:
    """Mark a view recorded `at`, until `at + throttle`."""
    remaining = (at + throttle - timezone.now()).total_seconds()
    if remaining < 1:
        return
    try:
        cache.set(key, at.timestamp(), timeout=int(remaining))
    except Exception:  # the next view asks the trail instead
        log.warning("audit views: the cache cannot be written", exc_info=True)


def audit_auth_event(*, action: str, user=None, actor=None, summary: str = "", changes: dict | None = None) -> None:
    """An authentication event (accounts/audit.py registers this writer
    through municipalities): the object is the staff member concerned, or
    an unsaved one (empty id) for a user name nobody has."""
    from django.contrib.auth import get_user_model

    audit_log(
        actor=actor,
        action=action,
        obj=user if user is not None else get_user_model()(),
        summary=summary,
        changes=changes,
    )
