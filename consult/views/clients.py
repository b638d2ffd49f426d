"""Clients (相談者): the search and likely-matches partials behind the intake
screen, and the client page.  The reads are in consult/selectors/clients.py,
all through Client.objects.visible_to(user): nobody finds a person
registered only at a desk they cannot see."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from consult.access import get_client_for_user
from consult.countries import country_name
from consult.selectors.clients import (
    SEARCH_LIMIT,
    client_cases,
    client_likely_matches,
    client_with_case_count,
)
from consult.selectors.clients import (
    client_search as search_clients,
)
from core.audit import audit_log, audit_views
from municipalities.roles import Capability
from municipalities.visibility import user_can


def _selected_client(request, user):
    """The client already picked in the intake form (sent along with each
    search), so that a new search does not silently drop the choice."""
    value = (request.GET.get("client_choice") or "").strip()
    if not value.isdigit():
        return None
    return client_with_case_count(user, int(value))


@require_GET
def client_search(request):
    """htmx partial: visible clients whose name matches `q` in any script,
    order, width or case (consult/names.py), each with a radio to pick."""
    user = request.user
    q = (request.GET.get("q") or "").strip()[:100]
    clients = search_clients(user, q, limit=SEARCH_LIMIT)
    selected = _selected_client(request, user)
    if selected is not None and all(c.pk != selected.pk for c in clients):
        clients.insert(0, selected)
        selected.nationality_name = country_name(selected.nationality)
    # Names and details of the people listed are personal data on screen (DESIGN §8).
    audit_views(actor=user, shown=[(c, None, c.registered_desk) for c in clients], summary="client search")
    context = {
        "clients": clients,
        "q": q,
        "selected": str(selected.pk) if selected else "",
        "limit_reached": len(clients) >= SEARCH_LIMIT,
    }
    return render(request, "consult/partials/client_search_results.html", context)


@require_GET
def client_matches(request):
    """htmx partial: likely duplicates of the client being typed in (names in
    any script or order, reading, romaji, birth year, nationality)."""
    matches = client_likely_matches(request.user, request.GET)
    audit_views(actor=request.user, shown=[(c, None, c.registered_desk) for c, _ in matches], summary="likely matches")
    context = {
        "matches": matches,
        "selected": (request.GET.get("client_choice") or "").strip(),
    }
    return render(request, "consult/partials/client_matches.html", context)


@require_GET
def client_detail(request, pk: int):
    """The client's details and their cases the viewer may see.  Viewing
    personal data is recorded in the audit trail (DESIGN §8)."""
    client = get_client_for_user(request.user, pk)
    cases = client_cases(request.user, client)
    audit_log(actor=request.user, action="view", obj=client, desk=client.registered_desk)
    client.nationality_name = country_name(client.nationality)
    context = {"client": client, "cases": cases, "can_log": user_can(request.user, Capability.LOG_CONSULTATIONS)}
    return render(request, "consult/clients/detail.html", context)
