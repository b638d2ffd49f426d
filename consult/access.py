"""What a user may see and do with one case — asked once, answered here
(CONVENTIONS "Access").

``case_access(user, case)`` returns an immutable ``CaseAccess``.  Views,
services and templates (as ``access`` in the context) all read it; nothing
else derives case permissions from the desk.  It is built from two things
only:

* the capabilities of the user's roles (``municipalities/roles.py``) that
  hold at the case's handling desk, through the one visibility rule
  (``municipalities.visibility.desk_capabilities``);
* grants that a feature registers with ``register_case_grant`` for access on
  its own terms, which are OR-ed in.  Forwarding (取次, not built yet) will
  register one: a pending hand-off to the user's desk → ``SUMMARY_ONLY``;
  an accepted referral → details.  A grant also names the extra cases it
  makes visible (a ``Q`` on Case), which ``Case.objects.visible_to(user,
  extra=…)`` passes to ``visible_desks_q(extra=…)`` — no second copy of the
  rule.

The fetch helpers below answer 404 outside the user's scope (never 403:
nobody learns that a case exists at a desk they cannot see) and 403 when the
case is visible but the user may not do what they ask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import reduce

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from municipalities.roles import Capability
from municipalities.visibility import desk_capabilities, user_can

from .models import Case, Client, FollowUp


@dataclass(frozen=True)
class CaseAccess:
    """One user's rights on one case.  ``can_see_summary`` without
    ``can_see_details`` is a pending hand-off's minimal summary."""

    can_see_summary: bool = False
    can_see_details: bool = False
    # consultation notes (相談内容): a case received without them shows its
    # consultations' facts but not what was discussed
    can_see_notes: bool = False
    can_see_sensitive_notes: bool = False
    can_see_audit_trail: bool = False
    can_edit: bool = False  # title, status, follow-ups, links to earlier cases
    can_log_consultation: bool = False  # another consultation, promoting a quick contact
    can_close: bool = False  # close and reopen
    can_forward: bool = False
    can_merge_clients: bool = False
    can_assign: bool = False  # hand the case to a colleague (anyone may take it on)

    def __or__(self, other: CaseAccess) -> CaseAccess:
        return CaseAccess(**{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)})

    @property
    def can_see(self) -> bool:
        return self.can_see_summary


NO_ACCESS = CaseAccess()
SUMMARY_ONLY = CaseAccess(can_see_summary=True)


def _from_capabilities(capabilities: frozenset[str]) -> CaseAccess:
    """The roles table read for one case.  VIEW_CASES is "see and work on
    cases": without it nothing else counts (an administrator's audit-trail
    capability does not open a case)."""
    if Capability.VIEW_CASES not in capabilities:
        return NO_ACCESS
    return CaseAccess(
        can_see_summary=True,
        can_see_details=True,
        can_see_notes=True,
        can_see_sensitive_notes=Capability.VIEW_SENSITIVE_NOTES in capabilities,
        can_see_audit_trail=Capability.VIEW_AUDIT_TRAIL in capabilities,
        can_edit=True,
        can_log_consultation=Capability.LOG_CONSULTATIONS in capabilities,
        can_close=True,
        can_forward=Capability.FORWARD_CASES in capabilities,
        can_merge_clients=Capability.MERGE_CLIENTS in capabilities,
        can_assign=Capability.ASSIGN_WORK in capabilities,
    )


# --- grants: how a feature widens access (forwarding) ---------------------------
@dataclass(frozen=True)
class CaseGrant:
    """`scope(user)`: a Q on Case for the extra cases the feature makes
    visible (or None); `access(user, case)`: what it allows on one case
    (or None).  Both must agree: a case in the scope gets an access."""

    name: str
    scope: Callable[[object], Q | None]
    access: Callable[[object, Case], CaseAccess | None]


_GRANTS: dict[str, CaseGrant] = {}


def register_case_grant(grant: CaseGrant) -> None:
    _GRANTS[grant.name] = grant


def unregister_case_grant(name: str) -> None:
    _GRANTS.pop(name, None)


def extra_case_scope(user: User) -> Q | None:
    """The cases visible to `user` through grants, for `visible_to(extra=…)`."""
    scopes = [q for q in (grant.scope(user) for grant in _GRANTS.values()) if q is not None]
    return reduce(lambda a, b: a | b, scopes) if scopes else None


_MEMO_ATTR = "_case_access_memo"


def case_access(user: User, case: Case) -> CaseAccess:
    """What `user` may see and do with `case` (see the module docstring)."""
    memo = request_memo(case, "access")
    if memo is not None and user.pk in memo:
        return memo[user.pk]
    access = _from_capabilities(desk_capabilities(user, case.handling_desk))
    for grant in _GRANTS.values():
        extra = grant.access(user, case)
        if extra is not None:
            access = access | extra
    if memo is not None:
        memo[user.pk] = access
    return access


def remember_access(case: Case) -> Case:
    """Let `case_access` answer once per user for this case object: for a
    read-only request that asks it from several places (the case page: the
    view, the timeline hooks, the forms; issue 13).  Never for an object that
    a service changes afterwards.  Reads that serve both the access check and
    the page (the case's hand-offs) are kept with it: `request_memo`."""
    setattr(case, _MEMO_ATTR, {})
    return case


def request_memo(case: Case, name: str) -> dict | None:
    """A dict kept on a case object that `remember_access` marked (None for
    any other): a selector keeps there what it read for this request, so
    that the access check and the page do not read it twice."""
    memo = getattr(case, _MEMO_ATTR, None)
    if memo is None:
        return None
    return memo.setdefault(name, {})


# --- fetching through the user's scope --------------------------------------------
def _int_pk(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None


def visible_cases(user: User):
    return Case.objects.visible_to(user, extra=extra_case_scope(user))


def get_case_for_user(
    user: User, pk, *, write: bool = False, details: bool = True, remember: bool = False, annotate: dict | None = None
) -> Case:
    """The case `pk` if `user` may see it (404 otherwise).  403 when they see
    only its summary and `details` are asked for, or when `write` is asked
    and they may not edit it.  `remember`: the case keeps the answer (and
    what was read for it) for the rest of a read-only request
    (`remember_access`).  `annotate`: expressions read with the case (the
    case page's presence flags, consult.selectors.case_page.page_presence)."""
    cases = visible_cases(user).select_related(
        "handling_desk__municipality", "client__residence_municipality", "assignee"
    )
    case = get_object_or_404(cases.annotate(**annotate) if annotate else cases, pk=_int_pk(pk))
    if remember:
        remember_access(case)
    access = case_access(user, case)
    if not access.can_see:
        raise Http404
    if (details and not access.can_see_details) or (write and not access.can_edit):
        raise PermissionDenied
    return case


def get_follow_up_for_user(user: User, pk, *, write: bool = False) -> FollowUp:
    """A follow-up is visible exactly when its case's details are."""
    follow_up = get_object_or_404(
        FollowUp.objects.filter(case__in=visible_cases(user)).select_related(
            "case__handling_desk__municipality", "assignee"
        ),
        pk=_int_pk(pk),
    )
    access = case_access(user, follow_up.case)
    if not access.can_see_details or (write and not access.can_edit):
        raise PermissionDenied
    return follow_up


def get_client_for_user(user: User, pk, *, write: bool = False) -> Client:
    """A client the user may see (registered at a visible desk or with a
    visible case).  Merged-away duplicates (tombstones) are not returned:
    they 404 like anything else out of reach.  With `write`, 403 unless
    the user may log consultations at the client's desk (a client is not a
    case: its rights follow the desk that registered it)."""
    client = get_object_or_404(
        Client.objects.visible_to(user).select_related("registered_desk", "residence_municipality"), pk=_int_pk(pk)
    )
    if write and not user_can(user, Capability.LOG_CONSULTATIONS, desk=client.registered_desk):
        raise PermissionDenied
    return client
