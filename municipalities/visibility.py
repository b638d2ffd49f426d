"""The visibility rule of DESIGN §2 — the one place it is written.

Every list, detail, search, report, export, task and API asks this module
which desks (and so which cases, consultations, bookings…) a user may see:

* hub roles (a membership with the capability at the consortium's hub
  municipality) see every desk of that consortium;
* the same roles at any other municipality see that municipality's desks
  (partner clerks: their own counters; forwarded cases are added by the
  forwarding feature through `extra` below, never by a second copy of this);
* statistics viewers hold no case capability, so they see no desk here and
  get aggregates through `statistics_municipality_ids`;
* anyone else sees nothing (views answer 404, never 403).

The desk ids are computed once per user object and capability (a
consortium has tens of desks), so querysets filter with `desk_id IN (…)`
on indexes that lead with the desk — cheap at national scale.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from django.db import connections, router
from django.db.models import Q, QuerySet

from .models import Consortium, Desk, Membership, MembershipQuerySet, Municipality
from .roles import ROLE_CAPABILITIES, Capability

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    AnyUser = User | AnonymousUser

_CACHE_ATTR = "_madoguchi_visibility_cache"


def _cache(user: AnyUser) -> dict:
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE_ATTR, cache)
    return cache


def clear_visibility_cache(user: AnyUser) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _columns(model, alias: str) -> list[str]:
    return [f'{alias}."{field.column}"' for field in model._meta.concrete_fields]


_MEMBERSHIP_PARTS = (
    (Membership, "m"),
    (Municipality, "mu"),
    (Consortium, "co"),
    (Desk, "d"),
)


@lru_cache(maxsize=1)
def _memberships_sql() -> str:
    """The memberships of one user with their municipality, its consortium,
    their usual desk and the desk ids of the municipality and of the
    consortium: one statement, written once per process.

    Every page asks for these (the MFA policy, the visibility rule), and the
    ORM spent several milliseconds per request compiling the same
    select_related + two ArraySubquery statement (issue 13, decision 0018).
    The columns come from the models' own field lists, so a new field is
    picked up without touching this."""
    user_table = Membership._meta.get_field("user").related_model._meta.db_table
    columns = ", ".join(column for model, alias in _MEMBERSHIP_PARTS for column in _columns(model, alias))
    desk, municipality = Desk._meta.db_table, Municipality._meta.db_table
    return (
        f"SELECT {columns}, "  # noqa: S608 - table and column names from the models, the user id a parameter
        f"ARRAY(SELECT md.id FROM {desk} md WHERE md.municipality_id = m.municipality_id), "
        f"ARRAY(SELECT cd.id FROM {desk} cd JOIN {municipality} cm ON cm.id = cd.municipality_id "
        f"WHERE cm.consortium_id = mu.consortium_id) "
        f"FROM {Membership._meta.db_table} m "
        f"JOIN {user_table} u ON u.id = m.user_id "
        f"JOIN {municipality} mu ON mu.id = m.municipality_id "
        f"LEFT JOIN {Consortium._meta.db_table} co ON co.id = mu.consortium_id "
        f"LEFT JOIN {desk} d ON d.id = m.desk_id "
        f"WHERE m.user_id = %s AND m.active AND u.is_active "
        f'ORDER BY mu."code", m."role"'
    )


def _load_memberships(user: AnyUser) -> list[Membership]:
    """`Membership.objects.active().filter(user=user)` with municipality,
    consortium and desk loaded and the two desk-id arrays annotated, as model
    instances (tests/municipalities compare it with that queryset)."""
    db = router.db_for_read(Membership)
    with connections[db].cursor() as cursor:
        cursor.execute(_memberships_sql(), [user.pk])
        rows = cursor.fetchall()
    names = [[field.attname for field in model._meta.concrete_fields] for model, _alias in _MEMBERSHIP_PARTS]
    memberships = []
    for row in rows:
        start, objects = 0, []
        for (model, _alias), attnames in zip(_MEMBERSHIP_PARTS, names, strict=True):
            values = row[start : start + len(attnames)]
            start += len(attnames)
            objects.append(None if values[0] is None else model.from_db(db, attnames, values))
        membership, municipality, consortium, desk = objects
        municipality._state.fields_cache["consortium"] = consortium
        membership._state.fields_cache["municipality"] = municipality
        membership._state.fields_cache["desk"] = desk
        membership.municipality_desk_ids, membership.consortium_desk_ids = row[start], row[start + 1]
        memberships.append(membership)
    return memberships


def _memberships_with(user: AnyUser, capability: str) -> list[Membership]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    memberships = _cache(user).get("memberships")
    if memberships is None:
        # The desks of each membership's municipality and of its consortium
        # come with the memberships (two array subqueries), so the visible
        # desks of any capability cost no second query (issue 13).
        memberships = _load_memberships(user)
        _cache(user)["memberships"] = memberships
    return [m for m in memberships if m.has(capability)]


def _scope(memberships: Iterable[Membership]) -> tuple[set[int], set[int]]:
    """(consortia seen whole from a hub membership, municipalities seen alone)."""
    consortium_ids = {
        m.municipality.consortium_id
        for m in memberships
        if m.municipality.consortium_id and m.municipality.consortium.hub_municipality_id == m.municipality_id
    }
    return consortium_ids, {m.municipality_id for m in memberships}


def _scope_desk_ids(memberships: Iterable[Membership], consortium_ids: set[int]) -> set[int]:
    """The desks of a scope from the arrays loaded with the memberships: the
    whole consortium for a hub membership, else the municipality's desks."""
    ids: set[int] = set()
    for m in memberships:
        desk_ids = getattr(m, "municipality_desk_ids", None)
        if desk_ids is None:  # a membership loaded elsewhere: ask the database
            return set(
                Desk.objects.filter(
                    Q(municipality__consortium_id__in=consortium_ids)
                    | Q(municipality_id__in={m.municipality_id for m in memberships})
                ).values_list("pk", flat=True)
            )
        ids.update(desk_ids)
        if m.municipality.consortium_id in consortium_ids:
            ids.update(m.consortium_desk_ids or ())
    return ids


def user_memberships(user: AnyUser) -> list[Membership]:
    """Active memberships of a user (any role), cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    _memberships_with(user, Capability.VIEW_DESKS)  # fills the cache
    return list(_cache(user).get("memberships", []))


def user_roles(user: AnyUser) -> frozenset[str]:
    """The roles of a user's active memberships (the MFA policy asks:
    accounts/mfa.py); shares the membership cache, so no extra query."""
    return frozenset(m.role for m in user_memberships(user))


def visible_desk_ids(user: AnyUser, capability: str = Capability.VIEW_CASES) -> frozenset[int]:
    """Ids of the desks whose objects `user` may see with `capability`."""
    key = ("desks", str(capability))
    cache = _cache(user) if getattr(user, "is_authenticated", False) else {}
    if key in cache:
        return cache[key]
    memberships = _memberships_with(user, capability)
    consortium_ids, municipality_ids = _scope(memberships)
    # Capabilities held through the same memberships share one scope: its
    # desks are read once per request, not once per capability.
    scope_key = ("scope-desks", frozenset(consortium_ids), frozenset(municipality_ids))
    if not memberships:
        ids: frozenset[int] = frozenset()
    elif scope_key in cache:
        ids = cache[scope_key]
    else:
        ids = frozenset(_scope_desk_ids(memberships, consortium_ids))
        cache[scope_key] = ids
    if getattr(user, "is_authenticated", False):
        cache[key] = ids
    return ids


def visible_desks_q(
    user: AnyUser,
    *,
    capability: str = Capability.VIEW_CASES,
    desk_field: str = "pk",
    lookup: str = "in",
    extra: Q | None = None,
) -> Q:
    """A Q object for any model that belongs to a desk.

    `desk_field` names the desk column on the queried model ("pk" for Desk
    itself, "handling_desk_id" for cases, "case__handling_desk_id" for
    consultations…).  `lookup` is "in" for a desk column and "overlap" for
    an array of desk ids (Client.desk_ids: the desks a client has cases
    at).  `extra` widens the scope for a feature that grants
    access on its own terms (e.g. a case forwarded to the user's desk); it is
    OR-ed here so that the rule still lives in one function.
    """
    ids = visible_desk_ids(user, capability)
    q = Q(**{f"{desk_field}__{lookup}": sorted(ids)}) if ids else Q(pk__in=[])
    # `extra` is for holders of the capability only — but also for those
    # whose municipality has no desk yet (a new partner still receives
    # forwarded cases), so the test is the membership, not the desk ids.
    if extra is not None and _memberships_with(user, capability):
        q |= extra
    return q


def visible_desks(user: AnyUser, capability: str = Capability.VIEW_DESKS) -> QuerySet[Desk]:
    """The desks `user` may open (the desk list and pages): lazy, the query
    runs when the queryset is evaluated."""
    return Desk.objects.filter(visible_desks_q(user, capability=capability))


def user_can(
    user: AnyUser, capability: str, *, municipality: Municipality | None = None, desk: Desk | None = None
) -> bool:
    """Does `user` hold `capability` — anywhere, for a municipality, or for a desk?"""
    memberships = _memberships_with(user, capability)
    if not memberships:
        return False
    if desk is not None:
        return desk.pk in visible_desk_ids(user, capability)
    if municipality is not None:
        return municipality.pk in statistics_municipality_ids(user, capability)
    return True


def desk_capabilities(user: AnyUser, desk: Desk) -> frozenset[str]:
    """Every capability `user` holds for objects handled at `desk` — the same
    rule as `visible_desk_ids`, tested on one desk in Python so that asking
    for all capabilities at once costs no query beyond the (cached)
    memberships.  `desk.municipality` should be loaded."""
    memberships = user_memberships(user)
    capabilities = set()
    for capability in {cap for m in memberships for cap in m.capabilities}:
        consortium_ids, municipality_ids = _scope([m for m in memberships if m.has(capability)])
        if desk.municipality_id in municipality_ids or desk.municipality.consortium_id in consortium_ids:
            capabilities.add(capability)
    return frozenset(capabilities)


def statistics_municipality_ids(user: AnyUser, capability: str = Capability.VIEW_STATISTICS) -> frozenset[int]:
    """Municipalities whose aggregates `user` may see: the whole consortium
    from a hub membership, otherwise the membership's own municipality."""
    key = ("municipalities", str(capability))
    cache = _cache(user) if getattr(user, "is_authenticated", False) else {}
    if key in cache:
        return cache[key]
    memberships = _memberships_with(user, capability)
    consortium_ids, municipality_ids = _scope(memberships)
    ids: frozenset[int] = frozenset()
    if memberships:
        ids = frozenset(
            Municipality.objects.filter(Q(consortium_id__in=consortium_ids) | Q(pk__in=municipality_ids)).values_list(
                "pk", flat=True
            )
        )
    if getattr(user, "is_authenticated", False):
        cache[key] = ids
    return ids


def memberships_seeing_desks(desk_ids: Iterable[int], capability: str = Capability.VIEW_CASES) -> MembershipQuerySet:
    """The same rule read backwards: active memberships whose holders see any
    of `desk_ids` with `capability` — the capability at the desk's own
    municipality, or at the hub municipality of the desk's consortium.
    Used to offer assignees; tests check it against `visible_desk_ids`."""
    roles = sorted(role for role, caps in ROLE_CAPABILITIES.items() if capability in caps)
    ids = sorted(desk_ids)
    return (
        Membership.objects.active()
        .filter(role__in=roles)
        .filter(Q(municipality__desks__id__in=ids) | Q(municipality__hub_of__municipalities__desks__id__in=ids))
    )


def visible_consortium_ids(user, capability: str = Capability.VIEW_CASES) -> frozenset[int]:
    """Consortia of the desks `user` sees with `capability` (for data kept
    per consortium, e.g. the interpreter roster): the consortium of each
    membership holding it — a hub membership sees its whole consortium, a
    partner's its own municipality's desks, which belong to the same one.
    No query beyond the cached memberships."""
    return frozenset(
        m.municipality.consortium_id for m in _memberships_with(user, capability) if m.municipality.consortium_id
    )
