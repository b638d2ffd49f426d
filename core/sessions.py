"""Sessions that do not write the database on every request (issue 13).

The idle timeout (SESSION_IDLE_SECONDS) needs every signed-in request to
push the session's expiry (SESSION_SAVE_EVERY_REQUEST).  With Django's
database backend that is an UPDATE of django_session per page view; with
its cached_db backend it still is (cached_db writes the row, then the
cache).  This store, used when Redis is configured:

* reads the session from Redis (no query), falling back to the row when
  Redis has lost it;
* on a request that changed the session (sign-in, a stored preference,
  the warning's "stay signed in"), writes the row and Redis, like cached_db;
* on a request that only pushes the idle timeout, sets Redis (its TTL is
  the idle timeout) and writes the row at most once per
  SESSION_DB_REFRESH_SECONDS.  The row's expiry therefore lags the real one
  by at most that long and is never later: when Redis is lost, a person is
  signed out at most SESSION_DB_REFRESH_SECONDS early, never late;
* deleting a row (an administrator or a session list ending a session,
  `clearsessions`, `Session.objects…delete()`) also drops the Redis copy,
  so the database stays the authority on which sessions exist.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.models import Session

logger = logging.getLogger("django.contrib.sessions")

ROW_FRESH_PREFIX = "madoguchi.sessions.row-fresh:"


class SessionStore(cached_db.SessionStore):
    def _row_fresh_key(self) -> str:
        return ROW_FRESH_PREFIX + (self.session_key or "")

    def save(self, must_create: bool = False) -> None:
        refresh = int(getattr(settings, "SESSION_DB_REFRESH_SECONDS", 60))
        if must_create or self.modified or self.session_key is None or refresh <= 0:
            self._save_row_and_cache(must_create, refresh)
            return
        try:
            row_is_fresh = self._cache.get(self._row_fresh_key()) is not None
        except Exception:
            logger.exception("Error reading the session cache (%s)", self._cache)
            row_is_fresh = False
        if not row_is_fresh:
            self._save_row_and_cache(must_create, refresh)
            return
        # Only the idle timeout moves: Redis carries it; the row follows later.
        try:
            self._cache.set(self.cache_key, self._session, self.get_expiry_age())
        except Exception:
            logger.exception("Error saving to cache (%s)", self._cache)
            super().save(must_create)

    def _save_row_and_cache(self, must_create: bool, refresh: int) -> None:
        super().save(must_create)
        if refresh > 0:
            try:
                self._cache.set(self._row_fresh_key(), 1, refresh)
            except Exception:
                logger.exception("Error saving to cache (%s)", self._cache)

    def delete(self, session_key: str | None = None) -> None:
        key = session_key or self.session_key
        super().delete(session_key)
        if key:
            self._cache.delete(ROW_FRESH_PREFIX + key)


def forget_cached_session(sender, instance: Session, **kwargs) -> None:
    """post_delete of a session row: the Redis copy goes too."""
    from django.core.cache import caches

    cache = caches[settings.SESSION_CACHE_ALIAS]
    try:
        cache.delete_many(
            [SessionStore.cache_key_prefix + instance.session_key, ROW_FRESH_PREFIX + instance.session_key]
        )
    except Exception:
        logger.exception("Error deleting from the session cache (%s)", cache)


def connect_signals() -> None:
    from django.db.models.signals import post_delete

    if __name__ == settings.SESSION_ENGINE:
        post_delete.connect(forget_cached_session, sender=Session, dispatch_uid="core.sessions.forget_cached")
