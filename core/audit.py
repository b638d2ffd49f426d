"""Write to the append-only audit trail (DESIGN §8).

The client address of the request being served comes from a context
variable that `core.middleware.AuditContextMiddleware` sets for each request,
so that services record it without being handed the request.  Outside a
request (tasks, commands, tests calling services) it is empty."""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar, Token
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import connection

from .models import AuditEvent

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
    pages keep their query budget.  Returns the number of events written."""
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
            written += cursor.rowcount
    return written


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
