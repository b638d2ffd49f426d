"""The intake screen (相談受付): log a walk-in or phone consultation in one
keyboard-first form, a quick anonymous contact in seconds, another
consultation in an existing case (再相談), and promote a quick contact to a
full case.  Thin views: check access, bind forms, call one service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consult.access import case_access, get_case_for_user
from consult.forms.clients import CLIENT_NEW, ClientChoiceForm, ClientForm
from consult.forms.intake import IntakeForm
from consult.models import Client, Language
from consult.selectors.clients import client_likely_matches, clients_for_display
from consult.selectors.intake import case_intake_defaults, consultation_recent_duplicate
from consult.services.cases import case_promote as case_promote_service
from consult.services.clients import client_create
from consult.services.intake import FollowUpRequest, consultation_log
from core.audit import audit_views
from core.drafts import keeps_draft, restore_draft
from core.panels import panels_for
from municipalities.roles import Capability
from municipalities.visibility import user_can


def _require_logging(user) -> None:
    """The intake screen is for people who log consultations somewhere;
    read-only roles (statistics) get 403, not an empty form."""
    if not user_can(user, Capability.LOG_CONSULTATIONS):
        raise PermissionDenied


def _initial(request, case) -> dict | None:
    """A 再相談 starts in the client's language and the last interpretation
    mode; ?language=<code> (the counter's language card, /card/) starts the
    form in the language the client pointed at."""
    initial = case_intake_defaults(case) if case is not None else None
    code = request.GET.get("language", "")[:20].replace("\x00", "")
    picked = Language.objects.active().filter(code=code).first() if code else None
    return {**(initial or {}), "language": picked.pk} if picked is not None else initial


def _apply_service_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _intake(request, *, case=None, quick: bool = False):
    user = request.user
    _require_logging(user)
    # After the session expired mid-form and the person signed in again, the
    # kept form comes back here filled in (core/drafts.py).
    data = request.POST if request.method == "POST" else restore_draft(request)
    initial = _initial(request, case) if data is None else None
    form = IntakeForm(data, user=user, case=case, quick=quick, initial=initial)
    with_client = case is None and not quick
    # /consultations/new/?client=<id> (from the client page) starts with that client picked.
    initial_client = request.GET.get("client", "") if data is None else ""
    choice = (
        ClientChoiceForm(
            data, user=user, initial={"client_choice": initial_client} if initial_client.isdigit() else None
        )
        if with_client
        else None
    )
    client_form = ClientForm(data, user=user) if with_client else None

    if request.method == "POST":
        valid = form.is_valid()
        if choice is not None:
            valid = choice.is_valid() and valid
            if choice.is_valid() and choice.cleaned_data["client_choice"] == CLIENT_NEW:
                valid = client_form.is_valid() and valid
        duplicate = None
        if valid and request.POST.get("confirm_duplicate") != "1":
            duplicate = _recent_duplicate(request, form, choice, client_form, case=case)
        if valid and duplicate is None:
            consultation = _save(request, form, choice, client_form, case=case, quick=quick)
            if consultation is not None:
                saved = consultation.case
                if case is None:
                    messages.success(
                        request,
                        _("Saved. Reference number: %(reference)s") % {"reference": saved.reference},
                    )
                else:
                    messages.success(
                        request,
                        _("Consultation added to %(reference)s.") % {"reference": saved.reference},
                    )
                return redirect(reverse("consult:case_detail", args=[saved.pk]))

    context = {
        "form": form,
        "case": case,
        "quick": quick,
        "intake_panels": panels_for("intake", holds=lambda cap: user_can(request.user, cap)),
    }
    if request.method == "POST" and duplicate is not None:
        context["duplicate"] = duplicate
        context["duplicate_minutes"] = max(1, int((timezone.now() - duplicate.created_at).total_seconds() // 60))
    if choice is not None:
        context.update(_client_context(request, choice, client_form))
    context["error_count"] = _error_count(form, context.get("choice"), context.get("client_form"))
    return render(request, "consult/intake.html", context)


def _client_context(request, choice: ClientChoiceForm, client_form: ClientForm, **extra) -> dict:
    """What the client part shows on a (re-)rendered form: the client picked
    before, the likely matches of a new client's name, and the new client's
    fields as typed — validated only when "new client" was chosen."""
    selected_clients, matches = [], []
    if choice.is_bound and choice.is_valid() and choice.client is not None:
        selected_clients = clients_for_display([choice.client], request.user)
    elif not choice.is_bound and str(choice.initial.get("client_choice", "")).isdigit():
        picked = Client.objects.visible_to(request.user).filter(pk=int(choice.initial["client_choice"])).first()
        if picked is None:
            choice.initial = {}
        else:
            selected_clients = clients_for_display([picked], request.user)
    if choice.is_bound and choice.mode == CLIENT_NEW:
        matches = client_likely_matches(request.user, client_form.data)
    elif client_form.is_bound:
        # Keep what was typed without complaining about fields nobody asked for.
        client_form = ClientForm(
            user=request.user, initial={name: client_form.data.get(name) for name in ClientForm.base_fields}
        )
    audit_views(
        actor=request.user,
        shown=[(c, None, c.registered_desk) for c in [*selected_clients, *(m for m, _ in matches)]],
        summary="intake",
    )
    return {
        "choice": choice,
        "client_form": client_form,
        "selected_clients": selected_clients,
        "matches": matches,
        **extra,
    }


def _recent_duplicate(request, form, choice, client_form, *, case):
    """The same consultation saved minutes ago (save → Back → save): ask first."""
    data = form.cleaned_data
    client, new_client = None, None
    if choice is not None:
        if choice.cleaned_data["client_choice"] == CLIENT_NEW:
            new_client = client_form.client_data()
        else:
            client = choice.client
    return consultation_recent_duplicate(
        by=request.user,
        desk=data["desk"],
        topics=data["topics"],
        notes=(data.get("notes") or "").strip(),
        intake_token=data["intake_token"],
        case=case,
        client=client,
        new_client=new_client,
    )


def _error_count(*forms) -> int:
    count = 0
    for form in forms:
        if form is not None and form.is_bound and form.errors:
            count += sum(len(errors) for errors in form.errors.values())
    return count


def _save(request, form, choice, client_form, *, case, quick):
    data = form.cleaned_data
    follow_up = None
    if data.get("follow_up_due"):
        follow_up = FollowUpRequest(due_date=data["follow_up_due"], note=data["follow_up_note"].strip())
    new_client = None
    client = None
    if choice is not None:
        if choice.cleaned_data["client_choice"] == CLIENT_NEW:
            new_client = client_form.client_data()
            # The language the person consulted in is the best guess of the
            # language they prefer (shown on the client page).
            new_client["preferred_language"] = data["language"]
        else:
            client = choice.client
    try:
        return consultation_log(
            by=request.user,
            desk=data["desk"],
            channel=data["channel"],
            language=data["language"],
            topics=data["topics"],
            intake_token=data["intake_token"],
            interpretation_mode=data.get("interpretation_mode") or "none",
            occurred_at=data["occurred_at"],
            minutes=data.get("minutes"),
            notes=(data.get("notes") or "").strip(),
            actions=data.get("actions") or [],
            case=case,
            client=client,
            new_client=new_client,
            outcome=data.get("outcome") or "",
            follow_up=follow_up,
            sensitive_notes=(data.get("sensitive_notes") or "").strip(),
            quick=quick,
        )
    except ValidationError as error:
        target = client_form if new_client is not None and hasattr(error, "error_dict") else form
        if target is client_form and not set(error.error_dict) <= set(client_form.fields):
            target = form
        _apply_service_error(target, error)
        return None


@keeps_draft
@require_http_methods(["GET", "POST"])
def consultation_new(request):
    return _intake(request)


@keeps_draft
@require_http_methods(["GET", "POST"])
def consultation_quick(request):
    return _intake(request, quick=True)


@keeps_draft
@require_http_methods(["GET", "POST"])
def case_consultation_new(request, pk: int):
    case = get_case_for_user(request.user, pk, write=True)
    if not case_access(request.user, case).can_log_consultation:
        raise PermissionDenied
    return _intake(request, case=case)


@keeps_draft
@require_http_methods(["GET", "POST"])
def case_promote(request, pk: int):
    """A quick contact becomes a full case: pick the client or register one."""
    case = get_case_for_user(request.user, pk, write=True)
    if not case_access(request.user, case).can_log_consultation:
        raise PermissionDenied
    if not case.is_quick_contact:
        messages.info(request, _("%(reference)s is already a full case.") % {"reference": case.reference})
        return redirect(reverse("consult:case_detail", args=[case.pk]))
    data = request.POST if request.method == "POST" else restore_draft(request)
    choice = ClientChoiceForm(data, user=request.user, allow_anonymous=False)
    client_form = ClientForm(data, user=request.user)
    # A restored draft is shown, never saved, on GET.
    if request.method == "POST" and choice.is_valid():
        new = choice.cleaned_data["client_choice"] == CLIENT_NEW
        if not new or client_form.is_valid():
            try:
                with transaction.atomic():
                    client = choice.client
                    if new:
                        client = client_create(by=request.user, desk=case.handling_desk, data=client_form.client_data())
                    case_promote_service(case=case, by=request.user, client=client)
            except ValidationError as error:
                _apply_service_error(client_form if new else choice, error)
            else:
                messages.success(
                    request,
                    _("%(reference)s is now a full case for %(client)s.")
                    % {
                        "reference": case.reference,
                        "client": client.display_name,
                    },
                )
                return redirect(reverse("consult:case_detail", args=[case.pk]))
    context = {"case": case, **_client_context(request, choice, client_form, hide_anonymous=True)}
    context["error_count"] = _error_count(context["choice"], context["client_form"])
    return render(request, "consult/intake_promote.html", context)
