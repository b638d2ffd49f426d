"""Sessions beyond the idle timeout (issue 12 point 9): the sign-in time
kept in the session for the absolute limit, and every session of a person
ended at once (deactivation).  Works with any session engine: the time is
in the session data, and sessions are ended through the engine's own store
(allauth.usersessions lists them per person)."""

from __future__ import annotations

import time

SIGNED_IN_AT_KEY = "madoguchi_signed_in_at"


def stamp_sign_in(request) -> None:
    request.session[SIGNED_IN_AT_KEY] = time.time()


def end_all_sessions(user) -> int:
    """End every session of `user` (each through the session engine, so a
    cached_db or cache engine forgets it too).  Returns how many ended."""
    from allauth.usersessions.models import UserSession

    ended = 0
    for user_session in UserSession.objects.filter(user_id=user.pk):
        user_session.end()
        ended += 1
    return ended


def end_reason_note(user, reason: str) -> None:
    from .audit import Action, audit_auth

    audit_auth(action=Action.SESSION_END, user=user, actor=user, summary=reason)
