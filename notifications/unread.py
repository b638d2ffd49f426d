"""The unread count in the header, kept per person in the shared cache
(issue 13: one query less on every page).

What is counted is unchanged: the person's notifications that are visible by
now, not cancelled and not read (`Notification.objects.for_inbox(user).unread()`).
The count is kept for at most UNREAD_TTL_SECONDS, and never past the moment
the next of the person's unread notifications becomes visible (an e-mail
reminder scheduled for office hours shows in the portal from then, without
any write to wake the cache).  It is dropped at once whenever a
notification of that person is created, read, cancelled or deleted:

* a row saved or deleted one by one: post_save / post_delete (below);
* rows written in bulk (`notification_schedule`, marking read): the service
  calls `forget_unread_counts` — now, and again when its transaction
  commits, so that a page read in between cannot keep the old count.

The cached value carries the person's `date_joined`, so a count never
outlives its person where ids repeat (a database created afresh while
Redis keeps its keys).  Without a cache (it fails), the count is read, as
before.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Min, Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from .models import Notification, State

log = logging.getLogger(__name__)

UNREAD_TTL_SECONDS = 30


def _key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def _identity(user) -> float:
    joined = getattr(user, "date_joined", None)
    return joined.timestamp() if joined is not None else 0.0


def unread_count(user) -> int:
    """How many of `user`'s notifications are visible by now and unread."""
    now = timezone.now()
    try:
        hit = cache.get(_key(user.pk))
    except Exception:  # without the cache, the count is read
        log.warning("notifications: the cache cannot be read", exc_info=True)
        hit = None
    if hit is not None:
        identity, count, valid_until = hit
        if identity == _identity(user) and now.timestamp() < valid_until:
            return count
    # One query on the partial index of unread rows: the count, and when the
    # next unread row becomes visible (which ends the cached count's life).
    row = (
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .exclude(state=State.CANCELLED)
        .aggregate(
            count=Count("pk", filter=Q(visible_at__lte=now)),
            next_visible=Min("visible_at", filter=Q(visible_at__gt=now)),
        )
    )
    count = row["count"]
    valid_until = now.timestamp() + UNREAD_TTL_SECONDS
    if row["next_visible"] is not None:
        valid_until = min(valid_until, row["next_visible"].timestamp())
    try:
        cache.set(
            _key(user.pk),
            (_identity(user), count, valid_until),
            timeout=max(1, math.ceil(valid_until - now.timestamp())),
        )
    except Exception:  # the next page reads the count
        log.warning("notifications: the cache cannot be written", exc_info=True)
    return count


def _delete(keys: list[str]) -> None:
    try:
        cache.delete_many(keys)
    except Exception:  # the count is wrong for UNREAD_TTL_SECONDS at most
        log.warning("notifications: the cache cannot be written", exc_info=True)


def forget_unread_counts(user_ids: Iterable[int | None], *, at_commit: bool = True) -> None:
    """The counts of these people change: drop them now and, inside a
    transaction, again at commit (`at_commit=False`: the caller drops them
    at commit itself, as `notify` does with its wake-up)."""
    keys = sorted({_key(pk) for pk in user_ids if pk is not None})
    if not keys:
        return
    _delete(keys)
    if at_commit and transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _delete(keys))


def _row_changed(sender, instance: Notification, **kwargs) -> None:
    forget_unread_counts([instance.recipient_id])


def connect_signals() -> None:
    """Called from NotificationsConfig.ready()."""
    post_save.connect(_row_changed, sender=Notification, dispatch_uid="notifications-unread-save")
    post_delete.connect(_row_changed, sender=Notification, dispatch_uid="notifications-unread-delete")
