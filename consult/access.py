"""Fetch consultation objects through the user's scope (CONVENTIONS "Access").

* Outside the user's scope → 404, never 403: nobody learns that a case,
  follow-up or client exists at a desk they cannot see.
* ``write=True`` → the object is visible but the user may not change it →
  403.  Today every path that makes a case visible (VIEW_CASES at its desk)
  also allows working on it; the distinction matters once forwarding adds
  read-only views (a pending hand-off shows a summary only), and the views
  already ask for the right thing.

Every lookup goes through ``Case.objects.visible_to`` /
``Client.objects.visible_to``, i.e. through ``municipalities.visibility``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from municipalities.roles import Capability
from municipalities.visibility import user_can

from .models import Case, Client, FollowUp


def _check_write(user, case: Case) -> None:
    if not user_can(user, Capability.VIEW_CASES, desk=case.handling_desk):
        raise PermissionDenied


def get_case_for_user(user, pk, *, write: bool = False) -> Case:
    """The case `pk` if `user` may see it (404 otherwise); with `write`, 403
    when they may see but not change it."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    case = get_object_or_404(
        Case.objects.visible_to(user).select_related(
            "handling_desk__municipality", "client__residence_municipality", "assignee"
        ),
        pk=pk,
    )
    if write:
        _check_write(user, case)
    return case


def get_follow_up_for_user(user, pk, *, write: bool = False) -> FollowUp:
    """A follow-up is visible exactly when its case is."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    follow_up = get_object_or_404(
        FollowUp.objects.filter(case__in=Case.objects.visible_to(user)).select_related(
            "case__handling_desk", "assignee"
        ),
        pk=pk,
    )
    if write:
        _check_write(user, follow_up.case)
    return follow_up


def get_client_for_user(user, pk, *, write: bool = False) -> Client:
    """A client the user may see (registered at a visible desk or with a
    visible case).  Merged-away duplicates (tombstones) are not returned:
    they 404 like anything else out of reach.  With `write`, 403 unless
    the user may log consultations at the client's desk."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    client = get_object_or_404(
        Client.objects.visible_to(user).select_related("registered_desk", "residence_municipality"), pk=pk
    )
    if write and not user_can(user, Capability.LOG_CONSULTATIONS, desk=client.registered_desk):
        raise PermissionDenied
    return client
