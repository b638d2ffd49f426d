"""Writes for notifications: scheduling rows, claiming due ones, delivering
one, reading, retrying, preferences.

The delivery protocol, step by step (why it sends each message once):

1. A producer inserts a row with a unique `occurrence_key`
   (`INSERT … ON CONFLICT DO NOTHING`): running a producer twice, or two
   ticks at once, creates the reminder once.
2. The tick claims due rows with one conditional `UPDATE … WHERE id IN
   (SELECT … FOR UPDATE SKIP LOCKED)`: two claimers never get the same row.
   The claim commits before any task is sent, so the row — not the broker —
   says what is left to do.
3. `notification_deliver` takes the row with one conditional `UPDATE … SET
   state = 'sent' … WHERE state is claimed (or pending and due) RETURNING *`
   — which locks it — re-checks that it still matters, hands the message to
   the mail backend, and commits.  A second delivery of the same task waits
   for the first to commit, then finds it sent and does nothing; if the send
   fails the same transaction records the failure instead.
4. A worker killed mid-batch leaves its rows `claimed` with its transaction
   rolled back; after `NOTIFICATIONS_CLAIM_LEASE_SECONDS` the sweep puts them
   back to pending and the next tick sends them.  A broker outage only delays
   the wake-up: the rows wait, the sweep catches up.

The hand-over is at-least-once (docs/decisions/0021): a worker killed after
the mail backend accepted a message and before the COMMIT that marks its
row sent sends that message again after the restart — only that one, the
message in flight — with the same Message-ID (derived from the occurrence
key alone), so the recipient's mailbox folds the copy.  A reminder is never
lost for it.  The delivery's COMMIT does not wait for the disk
(`synchronous_commit = off`, that transaction only): a database crash that
loses a mark is the same case, a folded copy.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from core.audit import audit_log

from .models import Channel, Notification, NotificationPreference, State
from .registry import Draft, kinds
from .timing import Clocks
from .unread import forget_unread_counts

log = logging.getLogger(__name__)

# Explicit retry schedule for transient send failures, then `failed`.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1))


def channel_for(user_id: int, kind_key: str) -> str:
    preference = NotificationPreference.objects.filter(user_id=user_id, kind=kind_key).values_list("channel", flat=True)
    if preference:
        return preference[0]
    kind = kinds.get(kind_key)
    return kind.default_channel if kind else Channel.IN_APP


def notification_schedule(
    *, kind: str, drafts: Iterable[Draft], now: datetime | None = None, forget_counts_at_commit: bool = True
) -> int:
    """Insert one pending row per draft that does not exist yet; returns how
    many were new.  The channel comes from the recipient's choice for this
    kind; e-mail waits for office hours, a digest for the next day's start.
    The recipients' cached unread counts are dropped (notifications/unread.py)."""
    now = now or timezone.now()
    drafts = list(drafts)
    if not drafts:
        return 0
    definition = kinds.get(kind)
    if definition is None:
        raise ValueError(f"unknown notification kind {kind!r}")
    chosen = dict(
        NotificationPreference.objects.filter(kind=kind, user_id__in={d.recipient_id for d in drafts}).values_list(
            "user_id", "channel"
        )
    )
    clocks = Clocks()
    rows = []
    for draft in drafts:
        if draft.recipient_id is None and not draft.email:
            raise ValueError(f"draft {draft.occurrence_key!r} has neither a recipient nor an e-mail address")
        if draft.recipient_id is None:
            channel = Channel.EMAIL  # outside the portal: no inbox, no preference
        else:
            channel = chosen.get(draft.recipient_id, definition.default_channel)
        at = draft.at or now
        content_type_id = object_id = None
        if draft.obj is not None:
            content_type_id = ContentType.objects.get_for_model(draft.obj).pk
            object_id = draft.obj.pk
        rows.append(
            Notification(
                recipient_id=draft.recipient_id,
                to_address="" if draft.recipient_id else draft.email,
                language="" if draft.recipient_id else draft.language,
                kind=kind,
                content_type_id=content_type_id,
                object_id=object_id,
                desk_id=draft.desk_id,
                occurrence_key=draft.occurrence_key,
                channel=channel,
                visible_at=at,
                due_at=clocks[draft.desk_id].due_at(channel, at),
                created_at=now,
            )
        )
    keys = [row.occurrence_key for row in rows]
    with transaction.atomic():
        before = set(Notification.objects.filter(occurrence_key__in=keys).values_list("occurrence_key", flat=True))
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
    forget_unread_counts((draft.recipient_id for draft in drafts), at_commit=forget_counts_at_commit)
    return len(set(keys) - before)


def notify(
    *,
    kind: str,
    occurrence_key: str,
    recipient=None,
    email: str = "",
    language: str = "",
    obj=None,
    desk=None,
    at: datetime | None = None,
) -> None:
    """For a producer reacting to an event in its own transaction (e.g. a
    hand-off was declined): the row is written with the event, and a worker
    is woken once it commits.  A duplicate occurrence is ignored.  Someone
    outside the portal is given by `email` (and `language`) instead."""
    draft = Draft(
        recipient_id=getattr(recipient, "pk", None),
        occurrence_key=occurrence_key,
        obj=obj,
        desk_id=getattr(desk, "pk", desk),
        at=at,
        email=email,
        language=language,
    )
    notification_schedule(kind=kind, drafts=[draft], forget_counts_at_commit=False)
    transaction.on_commit(lambda: _committed(draft.recipient_id, occurrence_key))


def _committed(recipient_id: int | None, occurrence_key: str) -> None:
    """notify's row is committed: the header count shows it, a worker sends it."""
    forget_unread_counts([recipient_id], at_commit=False)
    wake_for_keys([occurrence_key])


def wake_for_keys(keys: list[str]) -> None:
    ids = list(
        Notification.objects.filter(
            occurrence_key__in=keys, state=State.PENDING, due_at__lte=timezone.now()
        ).values_list("pk", flat=True)
    )
    if ids:
        wake(ids)


def wake(ids: list[int]) -> None:
    """Ask a worker to deliver `ids`.  If the broker is down, nothing is
    lost: the rows stay due and the tick (or the sweep) sends them later."""
    from .tasks import send_notifications

    try:
        send_notifications.apply_async(args=[list(ids)], retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure: the row is the truth
        log.warning(
            "notifications: broker unavailable, %d row(s) wait for the sweep (%s)", len(ids), type(exc).__name__
        )


# --- claiming -------------------------------------------------------------------
CLAIM_SQL = """
UPDATE notifications_notification
   SET state = 'claimed', claimed_at = %(now)s, attempts = attempts + 1
 WHERE id = ANY(ARRAY(
        SELECT id FROM notifications_notification
         WHERE state = 'pending' AND due_at <= %(now)s
         ORDER BY due_at
         LIMIT %(limit)s
         FOR UPDATE SKIP LOCKED))
RETURNING id
"""
# How many rows one claim takes (the tick loops until none is due).
CLAIM_BATCH = 200


def notification_claim_due(*, now: datetime | None = None, limit: int = CLAIM_BATCH) -> list[int]:
    """Claim up to `limit` due rows atomically; returns their ids (committed
    when this returns, outside an outer transaction)."""
    now = now or timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(CLAIM_SQL, {"now": now, "limit": limit})
        return sorted(row[0] for row in cursor.fetchall())


def notification_sweep_stale_claims(*, now: datetime | None = None, lease: timedelta | None = None) -> int:
    """Claims older than the lease belong to a worker that died (or whose
    wake-up the broker lost): make them due again."""
    now = now or timezone.now()
    lease = lease if lease is not None else timedelta(seconds=settings.NOTIFICATIONS_CLAIM_LEASE_SECONDS)
    return Notification.objects.filter(state=State.CLAIMED, claimed_at__lt=now - lease).update(
        state=State.PENDING, claimed_at=None
    )


# --- delivery -------------------------------------------------------------------
def _deliverable(now):
    """Rows a delivery may act on: claimed ones, or pending ones already due
    (a wake-up right after an event, before any tick claimed them)."""
    from django.db.models import Q

    return Notification.objects.filter(Q(state=State.CLAIMED) | Q(state=State.PENDING, due_at__lte=now))


def _release(notification: Notification, *, due_at: datetime, failure: str = "", count_attempt: bool) -> None:
    notification.state = State.PENDING
    notification.sent_at = None
    notification.claimed_at = None
    notification.due_at = due_at
    notification.failure = failure
    if not count_attempt and notification.attempts:
        notification.attempts -= 1
    notification.save(update_fields=["state", "sent_at", "claimed_at", "due_at", "failure", "attempts"])


class DeliveryBatch:
    """What a batch of deliveries shares: desk clocks, recipients, and the
    objects the rows are about, loaded once per kind (with the kind's
    select_related) instead of once per row.  Each row is still taken,
    re-checked and committed on its own."""

    def __init__(self, ids: list[int] | None = None) -> None:
        self.clocks = Clocks()
        self.objects: dict[tuple[int, int, str], Any] = {}
        self.recipients: dict[int, Any] = {}
        self._loaded: set[tuple[int, int, str]] = set()
        if ids:
            self.preload(ids)

    def preload(self, ids: list[int]) -> None:
        self.preload_rows(
            Notification.objects.filter(pk__in=ids).values_list("content_type_id", "object_id", "kind", "recipient_id")
        )

    def preload_rows(self, rows: Iterable[tuple[int | None, int | None, str, int | None]]) -> None:
        """Load, per kind, the objects of these (content type, object id,
        kind, recipient) rows that are not loaded yet — one query per kind,
        plus the kind's own `preload` (what its `still_due` and `context`
        read: consents, …) — and their recipients in one query."""
        from django.contrib.auth import get_user_model

        wanted: dict[tuple[int, str], set[int]] = {}
        recipient_ids = set()
        for content_type_id, object_id, kind, recipient_id in rows:
            known = content_type_id is None or object_id is None or (content_type_id, object_id, kind) in self._loaded
            if not known:
                wanted.setdefault((content_type_id, kind), set()).add(object_id)
            if recipient_id is not None and recipient_id not in self.recipients:
                recipient_ids.add(recipient_id)
        if recipient_ids:
            self.recipients.update(get_user_model()._default_manager.in_bulk(recipient_ids))
        for (content_type_id, kind_key), object_ids in wanted.items():
            self._load_objects(content_type_id, kind_key, object_ids)

    def _load_objects(self, content_type_id: int, kind_key: str, object_ids: set[int]) -> None:
        self._loaded.update((content_type_id, object_id, kind_key) for object_id in object_ids)
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            return
        kind = kinds.get(kind_key)
        query = model._default_manager.filter(pk__in=object_ids)
        if kind is not None and kind.select_related:
            query = query.select_related(*kind.select_related)
        objects = list(query)
        if kind is not None and kind.preload and objects:
            kind.preload(objects)
        for obj in objects:
            self.objects[(content_type_id, obj.pk, kind_key)] = obj

    def object_of(self, notification: Notification):
        """The object the row is about (None if it was deleted), loaded with
        the rest of the batch, or now with its kind's select_related and
        preload if the batch did not know the row."""
        if notification.content_type_id is None or notification.object_id is None:
            return None
        key = (notification.content_type_id, notification.object_id, notification.kind)
        if key not in self._loaded:
            self.preload_rows([(*key, notification.recipient_id)])
        return self.objects.get(key)

    def attach_recipient(self, notification: Notification) -> None:
        user = self.recipients.get(notification.recipient_id)
        if user is not None:
            notification.recipient = user


# Take one row for delivery: mark it sent (provisionally, inside the
# delivery's transaction) if it is still deliverable.  The UPDATE locks the
# row: a second delivery of the same row waits for the first to commit, then
# finds it sent and takes nothing.  One statement instead of SELECT … FOR
# UPDATE + UPDATE: a round trip less per message.
#
# The same statement sets `synchronous_commit = off` for this transaction
# only (`set_config(…, true)` is SET LOCAL, undone at COMMIT or ROLLBACK; no
# extra round trip): the delivery's COMMIT then returns before its WAL record
# reaches the disk.  (When the statement takes no row the transaction writes
# nothing, so there is nothing to flush either way.)  Safe here and only here
# (docs/decisions/0021): what a database crash can lose is the last few
# hundred milliseconds of marks, and a lost mark puts the row back to
# `claimed`, so the sweep sends it again with the same Message-ID — a copy
# the mailbox folds, the case of a worker killed before COMMIT.  It never
# loses a message and never leaves one half-done: the commit stays atomic,
# only its durability is deferred.
TAKE_SQL = """
UPDATE notifications_notification
   SET state = 'sent', sent_at = %(now)s
 WHERE id = %(id)s
   AND (state = 'claimed' OR (state = 'pending' AND due_at <= %(now)s))
   AND set_config('synchronous_commit', 'off', true) = 'off'
RETURNING {columns}
"""


@functools.cache
def _take_statement() -> tuple[str, list[str]]:
    fields = Notification._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    return TAKE_SQL.format(columns=columns), [field.attname for field in fields]


def _take(notification_id: int, now: datetime) -> Notification | None:
    sql, attnames = _take_statement()
    with connection.cursor() as cursor:
        cursor.execute(sql, {"id": notification_id, "now": now})
        row = cursor.fetchone()
    return None if row is None else Notification.from_db(connection.alias, attnames, row)


def _undo_take(notification: Notification, **fields) -> None:
    """The row is not sent after all: record what it is instead."""
    notification.sent_at = None
    for name, value in fields.items():
        setattr(notification, name, value)
    notification.save(update_fields=["sent_at", *fields])


def notification_deliver(
    *, notification_id: int, now: datetime | None = None, mail_connection=None, batch: DeliveryBatch | None = None
) -> str:
    """Deliver one row at most once.  Returns what happened: "sent",
    "cancelled", "postponed", "retry", "failed" or "skipped" (it is done, or
    not due)."""
    from . import mail

    now = now or timezone.now()
    batch = batch or DeliveryBatch()
    with transaction.atomic():
        notification = _take(notification_id, now)
        if notification is None:
            return "skipped"
        batch.attach_recipient(notification)
        kind = kinds.get(notification.kind)
        if kind is None:
            _undo_take(notification, state=State.FAILED, failure=f"unknown kind {notification.kind}"[:500])
            return "failed"
        obj = batch.object_of(notification)
        if (notification.content_type_id and obj is None) or (kind.still_due and not kind.still_due(notification, obj)):
            _undo_take(notification, state=State.CANCELLED)
            return "cancelled"
        if notification.channel == Channel.IN_APP:
            return "sent"
        if notification.channel == Channel.EMAIL and settings.NOTIFICATIONS_OFFICE_HOURS_ONLY:
            clock = batch.clocks[notification.desk_id]
            if not clock.is_office_moment(now):
                _release(notification, due_at=clock.next_office_moment(now), count_attempt=False)
                return "postponed"
        if not notification.email_address:
            _undo_take(notification, state=State.FAILED, failure="no e-mail address")
            return "failed"
        if notification.channel == Channel.DIGEST and notification.recipient_id:
            return _deliver_digest(notification, now, mail_connection, batch)
        try:
            mail.send_one(notification, obj, kind, connection=mail_connection)
        except Exception as exc:  # noqa: BLE001 - recorded on the row, retried on a schedule
            return _record_failure(notification, now, exc)
        return "sent"


def _mark_sent(notification: Notification, now: datetime) -> None:
    notification.state = State.SENT
    notification.sent_at = now
    notification.failure = ""
    notification.save(update_fields=["state", "sent_at", "failure"])


def _record_failure(notification: Notification, now: datetime, exc: Exception) -> str:
    reason = f"{type(exc).__name__}: {exc}"[:500]
    if notification.attempts > len(RETRY_DELAYS):
        _undo_take(notification, state=State.FAILED, failure=reason, claimed_at=None)
        return "failed"
    _release(notification, due_at=now + RETRY_DELAYS[notification.attempts - 1], failure=reason, count_attempt=True)
    return "retry"


def _deliver_digest(first: Notification, now: datetime, mail_connection, batch: DeliveryBatch) -> str:
    """One e-mail with every digest row of the recipient due by now; all of
    them are locked and marked sent in this transaction."""
    from . import mail

    rows = list(
        _deliverable(now)
        .select_for_update(skip_locked=True, of=("self",))
        .filter(recipient_id=first.recipient_id, channel=Channel.DIGEST)
        .exclude(pk=first.pk)
        .order_by("visible_at", "pk")
    )
    batch.preload_rows((row.content_type_id, row.object_id, row.kind, None) for row in rows)
    items = []
    for row in [first, *rows]:
        kind = kinds.get(row.kind)
        obj = batch.object_of(row)
        if kind is None or (row.content_type_id and obj is None) or (kind.still_due and not kind.still_due(row, obj)):
            row.state = State.CANCELLED
            row.sent_at = None
            row.save(update_fields=["state", "sent_at"])
            continue
        items.append((row, obj, kind))
    if not items:
        return "cancelled"
    try:
        mail.send_digest(first.recipient, items, connection=mail_connection)
    except Exception as exc:  # noqa: BLE001
        outcome = _record_failure(first, now, exc)
        for row, _obj, _kind in items[1:]:
            _release(row, due_at=first.due_at, failure=first.failure, count_attempt=True)
        return outcome
    for row, _obj, _kind in items:
        _mark_sent(row, now)
    return "sent"


# --- people ---------------------------------------------------------------------
def notification_mark_read(*, notification: Notification, by) -> Notification:
    if notification.recipient_id != by.pk:
        raise PermissionDenied
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
        forget_unread_counts([by.pk])
        notification.refresh_from_db(fields=["read_at"])
    return notification


def notification_mark_all_read(*, by) -> int:
    marked = Notification.objects.for_inbox(by).unread().update(read_at=timezone.now())
    forget_unread_counts([by.pk])
    return marked


def notification_retry(*, notification: Notification, by) -> Notification:
    """A coordinator sends a failed (or stuck) row again, now."""
    if notification.state not in (State.FAILED, State.PENDING, State.CLAIMED):
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        before = notification.state
        notification.state = State.PENDING
        notification.due_at = now
        notification.claimed_at = None
        notification.attempts = 0
        notification.save(update_fields=["state", "due_at", "claimed_at", "attempts"])
        audit_log(
            actor=by,
            action="update",
            obj=notification,
            desk=notification.desk,
            summary=f"retry {notification.kind} #{notification.pk}",
            changes={"state": [before, State.PENDING]},
        )
        ids = [notification.pk]
        transaction.on_commit(lambda: wake(ids))
    return notification


def preference_set(*, user, kind: str, channel: str) -> NotificationPreference:
    if kind not in kinds or channel not in Channel.values:
        raise ValueError("unknown kind or channel")
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"channel": channel}
    )
    return preference
