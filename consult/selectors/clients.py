"""Reads about clients: likely duplicates, the search behind the intake
screen, the client page's and the merge screen's cases.  Every read starts
from Client.objects.visible_to / Case.objects.visible_to (the one visibility
rule), and case counts count only the cases the viewer may see."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db.models import Count, QuerySet

from accounts.models import User
from consult import names
from consult.countries import country_name
from municipalities.roles import Capability
from municipalities.visibility import visible_desks_q

from ..models import Case, Client

SEARCH_LIMIT = 10
MATCH_LIMIT = 5
MERGE_CANDIDATE_LIMIT = 20


def client_find_matches(
    *,
    user: User,
    name: str = "",
    name_kana: str = "",
    name_latin: str = "",
    birth_year: int | str | None = None,
    nationality: str = "",
    limit: int = 5,
) -> list[tuple[Client, int]]:
    """Likely duplicates among the clients `user` may see, best first, with a
    score: a name hit in any script or order counts most, then birth year
    and nationality agreeing."""
    candidates: dict[int, Client] = {}
    for value in (name, name_kana, name_latin):
        if not names.query_tokens(value):
            continue
        for client in Client.objects.visible_to(user).search(value)[:20]:
            candidates[client.pk] = client
    scored = []
    for client in candidates.values():
        score = 50
        if birth_year and client.birth_year:
            score += 30 if int(birth_year) == client.birth_year else -30
        if nationality and client.nationality:
            score += 20 if nationality.upper() == client.nationality else -20
        scored.append((client, score))
    scored.sort(key=lambda pair: (-pair[1], pair[0].pk))
    return scored[:limit]


def with_visible_case_count(qs: QuerySet[Client], user: User) -> QuerySet[Client]:
    """Count only the cases the user may see: a number must not reveal
    cases at other municipalities' desks either."""
    visible = visible_desks_q(user, capability=Capability.VIEW_CASES, desk_field="cases__handling_desk_id")
    return qs.annotate(case_count=Count("cases", filter=visible, distinct=True))


def _decorate(clients: list[Client]) -> list[Client]:
    for client in clients:
        client.nationality_name = country_name(client.nationality)
    return clients


def clients_for_display(clients: Iterable[Client], user: User) -> list[Client]:
    """`clients` with the number of their visible cases and the nationality's name."""
    clients = list(clients)
    counts = dict(
        with_visible_case_count(Client.objects.filter(pk__in=[c.pk for c in clients]), user).values_list(
            "pk", "case_count"
        )
    )
    for client in clients:
        client.case_count = counts.get(client.pk, 0)
    return _decorate(clients)


def client_likely_matches(user: User, data: Mapping) -> list[tuple[Client, int]]:
    """Likely duplicates of a client being typed in (`data`: a QueryDict or
    dict with name, name_kana, name_latin, birth_year, nationality)."""
    params = {key: (data.get(key) or "").strip()[:200] for key in ("name", "name_kana", "name_latin")}
    if not any(names.query_tokens(value) for value in params.values()):
        return []
    birth_year = (data.get("birth_year") or "").strip()
    nationality = (data.get("nationality") or "").strip()[:2]
    matches = client_find_matches(
        user=user,
        birth_year=int(birth_year) if birth_year.isdigit() and 1900 <= int(birth_year) <= 2100 else None,
        nationality=nationality if nationality.isalpha() else "",
        limit=MATCH_LIMIT,
        **params,
    )
    clients_for_display([client for client, _ in matches], user)
    return matches


def client_with_case_count(user: User, pk: int) -> Client | None:
    """The visible client `pk` with its visible case count, or None."""
    return with_visible_case_count(Client.objects.visible_to(user).filter(pk=pk), user).first()


def client_search(user: User, q: str, *, limit: int = SEARCH_LIMIT) -> list[Client]:
    """Visible clients whose name matches `q` in any script, order, width or
    case (consult/names.py), most recently updated first."""
    if not names.query_tokens(q):
        return []
    return _decorate(
        list(
            with_visible_case_count(Client.objects.visible_to(user).search(q), user)
            .select_related("residence_status")
            .order_by("-updated_at", "-pk")[:limit]
        )
    )


def client_cases(user: User, *clients: Client) -> list[Case]:
    """The cases of `clients` that `user` may see, latest activity first."""
    return list(
        Case.objects.visible_to(user)
        .filter(client__in=clients)
        .select_related("handling_desk", "assignee")
        .defer("sensitive_notes")
        .order_by("-last_activity_at", "-pk")
    )


def client_merge_candidates(user: User, q: str, *, limit: int = MERGE_CANDIDATE_LIMIT) -> list[Client]:
    """Step 1 of a merge: visible clients matching `q`, newest first."""
    if not names.query_tokens(q):
        return []
    return list(
        Client.objects.visible_to(user)
        .search(q)
        .select_related("registered_desk", "residence_municipality")
        .order_by("-created_at", "-id")[:limit]
    )
