"""Clients (相談者): the search and likely-matches partials behind the intake
screen, and the client page.  Every lookup goes through
Client.objects.visible_to(user): nobody finds a person registered only at a
desk they cannot see."""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from consult import names, services
from consult.access import get_client_for_user
from consult.countries import country_name
from consult.models import Case, Client
from core.audit import audit_log
from municipalities.roles import Capability
from municipalities.visibility import user_can, visible_desks_q

SEARCH_LIMIT = 10
MATCH_LIMIT = 5


def _with_visible_case_count(qs, user):
    """Count only the cases the user may see: a number must not reveal
    cases at other municipalities' desks either."""
    visible = visible_desks_q(user, capability=Capability.VIEW_CASES, desk_field="cases__handling_desk_id")
    return qs.annotate(case_count=Count("cases", filter=visible, distinct=True))


def _decorate(clients) -> list:
    for client in clients:
        client.nationality_name = country_name(client.nationality)
    return clients


def clients_for_display(clients, user) -> list:
    """`clients` with the number of their visible cases and the nationality's name."""
    counts = dict(
        _with_visible_case_count(Client.objects.filter(pk__in=[c.pk for c in clients]), user).values_list(
            "pk", "case_count"
        )
    )
    for client in clients:
        client.case_count = counts.get(client.pk, 0)
    return _decorate(list(clients))


def matches_for(user, data) -> list[tuple[Client, int]]:
    """Likely duplicates of a client being typed in (`data`: a QueryDict or
    dict with name, name_kana, name_latin, birth_year, nationality)."""
    params = {key: (data.get(key) or "").strip()[:200] for key in ("name", "name_kana", "name_latin")}
    if not any(names.query_tokens(value) for value in params.values()):
        return []
    birth_year = (data.get("birth_year") or "").strip()
    nationality = (data.get("nationality") or "").strip()[:2]
    matches = services.client_find_matches(
        user=user,
        birth_year=int(birth_year) if birth_year.isdigit() and 1900 <= int(birth_year) <= 2100 else None,
        nationality=nationality if nationality.isalpha() else "",
        limit=MATCH_LIMIT,
        **params,
    )
    clients_for_display([client for client, _ in matches], user)
    return matches


def _selected_client(request, user):
    """The client already picked in the intake form (sent along with each
    search), so that a new search does not silently drop the choice."""
    value = (request.GET.get("client_choice") or "").strip()
    if not value.isdigit():
        return None
    return _with_visible_case_count(Client.objects.visible_to(user).filter(pk=int(value)), user).first()


@require_GET
def client_search(request):
    """htmx partial: visible clients whose name matches `q` in any script,
    order, width or case (consult/names.py), each with a radio to pick."""
    user = request.user
    q = (request.GET.get("q") or "").strip()[:100]
    clients = []
    if names.query_tokens(q):
        clients = list(
            _with_visible_case_count(Client.objects.visible_to(user).search(q), user)
            .select_related("residence_status")
            .order_by("-updated_at", "-pk")[:SEARCH_LIMIT]
        )
    selected = _selected_client(request, user)
    if selected is not None and all(c.pk != selected.pk for c in clients):
        clients.insert(0, selected)
    context = {
        "clients": _decorate(clients),
        "q": q,
        "selected": str(selected.pk) if selected else "",
        "limit_reached": len(clients) >= SEARCH_LIMIT,
    }
    return render(request, "consult/partials/client_search_results.html", context)


@require_GET
def client_matches(request):
    """htmx partial: likely duplicates of the client being typed in (names in
    any script or order, reading, romaji, birth year, nationality)."""
    context = {
        "matches": matches_for(request.user, request.GET),
        "selected": (request.GET.get("client_choice") or "").strip(),
    }
    return render(request, "consult/partials/client_matches.html", context)


@require_GET
def client_detail(request, pk: int):
    """The client's details and their cases the viewer may see.  Viewing
    personal data is recorded in the audit trail (DESIGN §8)."""
    client = get_client_for_user(request.user, pk)
    cases = list(
        Case.objects.visible_to(request.user)
        .filter(client=client)
        .select_related("handling_desk", "assignee")
        .defer("sensitive_notes")
        .order_by("-last_activity_at", "-pk")
    )
    audit_log(actor=request.user, action="view", obj=client, desk=client.registered_desk, request=request)
    client.nationality_name = country_name(client.nationality)
    context = {"client": client, "cases": cases, "can_log": user_can(request.user, Capability.LOG_CONSULTATIONS)}
    return render(request, "consult/clients/detail.html", context)


urlpatterns = [
    path("clients/search/", client_search, name="client_search"),
    path("clients/matches/", client_matches, name="client_matches"),
    path("clients/<int:pk>/", client_detail, name="client_detail"),
]
