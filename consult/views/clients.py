"""Clients (相談者): the search and likely-matches partials behind the intake
screen, and the client page.  The reads are in consult/selectors/clients.py,
all through Client.objects.visible_to(user): nobody finds a person
registered only at a desk they cannot see."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consult.access import get_client_for_user
from consult.countries import country_name
from consult.forms.handoffs import ClientEditForm, ConsentForm, ConsentWithdrawForm
from consult.models import Consent, Language
from consult.reference_cache import reference_by_pk
from consult.selectors.clients import (
    SEARCH_LIMIT,
    client_cases,
    client_likely_matches,
    client_with_case_count,
)
from consult.selectors.clients import (
    client_search as search_clients,
)
from consult.services import handoffs as handoff_services
from core.audit import audit_views
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
    personal data is recorded in the audit trail (DESIGN §8), a reload within
    core.audit.VIEW_COALESCE once, as on the case page and the lists."""
    client = get_client_for_user(request.user, pk)
    cases = client_cases(request.user, client)
    audit_views(actor=request.user, shown=[(client, None, client.registered_desk)], summary="")
    client.nationality_name = country_name(client.nationality)
    # The preferred language from the per-process reference rows (a retired
    # one is read as before): one query fewer on every client page (issue 13).
    language = reference_by_pk("languages").get(client.preferred_language_id)
    if language is not None:
        client.preferred_language = language
    can_edit = user_can(request.user, Capability.LOG_CONSULTATIONS, desk=client.registered_desk)
    consents = list(
        Consent.objects.filter(client=client)
        .select_related("explanation_language", "recorded_by", "withdrawn_by")
        .prefetch_related("municipalities", "organisations")
    )
    context = {
        "client": client,
        "cases": cases,
        "can_log": user_can(request.user, Capability.LOG_CONSULTATIONS),
        "can_edit": can_edit,
        "consent": next((c for c in consents if c.is_current), None),
        "consents": consents,
        "withdraw_form": ConsentWithdrawForm(),
    }
    return render(request, "consult/clients/detail.html", context)


def _client_for_edit(request, pk: int):
    return get_client_for_user(request.user, pk, write=True)


@require_http_methods(["GET", "POST"])
def client_edit(request, pk: int):
    """Edit the client's details.  The form carries the moment it was
    loaded; if somebody saved in between, nothing is overwritten: the editor
    sees the current values, with their own input kept, and saves again."""
    client = _client_for_edit(request, pk)
    conflict = False
    if request.method == "POST":
        form = ClientEditForm(request.POST, user=request.user, client=client)
        if form.is_valid():
            changes = form.changes()
            if not changes:
                messages.info(request, _("Nothing was changed."))
                return redirect("consult:client_detail", client.pk)
            try:
                handoff_services.client_update(
                    client=client,
                    by=request.user,
                    loaded_at=form.cleaned_data["loaded_at"],
                    changes=changes,
                )
            except handoff_services.ClientEditConflict as error:
                conflict = True
                data = request.POST.copy()
                data["loaded_at"] = error.client.updated_at.isoformat()
                client = error.client
                form = ClientEditForm(data, user=request.user, client=client)
                form.is_valid()
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The client was saved."))
                return redirect("consult:client_detail", client.pk)
    else:
        form = ClientEditForm(user=request.user, client=client)
    return render(request, "consult/clients/edit.html", {"client": client, "form": form, "conflict": conflict})


@require_http_methods(["GET", "POST"])
def consent_new(request, pk: int):
    """Record a new consent (it supersedes the current one; history is kept)."""
    client = _client_for_edit(request, pk)
    if request.method == "POST":
        form = ConsentForm(request.POST, client=client)
        if form.is_valid():
            data = form.cleaned_data
            try:
                handoff_services.consent_record(
                    client=client,
                    by=request.user,
                    explanation_language=data["explanation_language"],
                    given_on=data["given_on"],
                    municipalities=data["municipalities"],
                    organisations=data["organisations"],
                    organisation_kinds=data["organisation_kinds"],
                    interpretation_mode=data["interpretation_mode"],
                    note=data["note"],
                    contact_by_desk=data["contact_by_desk"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The consent was recorded."))
                return redirect("consult:client_detail", client.pk)
    else:
        form = ConsentForm(client=client)
    return render(request, "consult/clients/consent_new.html", {"client": client, "form": form})


@require_POST
def consent_withdraw(request, pk: int):
    client = _client_for_edit(request, pk)
    form = ConsentWithdrawForm(request.POST)
    if form.is_valid():
        try:
            handoff_services.consent_withdraw(
                client=client, by=request.user, withdrawn_on=form.cleaned_data["withdrawn_on"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The withdrawal of consent was recorded."))
    else:
        messages.error(request, _("Enter the date of withdrawal."))
    return redirect("consult:client_detail", client.pk)


EXPLANATION_LANGUAGES = ("ja", "en")


@require_GET
def consent_explanation(request, pk: int):
    """The printable explanation the client is shown before consenting, in
    Japanese or English (?lang=), with the consortium's municipalities."""
    client = get_client_for_user(request.user, pk)
    language = request.GET.get("lang", "ja")
    if language not in EXPLANATION_LANGUAGES:
        language = "ja"
    consortium = client.registered_desk.municipality.consortium
    municipalities = list(consortium.municipalities.order_by("code")) if consortium else []
    language_obj = get_object_or_404(Language, code=language)
    with translation.override(language):
        return render(
            request,
            "consult/clients/consent_explanation.html",
            {
                "client": client,
                "consortium": consortium,
                "municipalities": municipalities,
                "explanation_language": language_obj,
                "languages": EXPLANATION_LANGUAGES,
            },
        )
