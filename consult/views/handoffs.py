"""Hand-offs (取次): the inboxes (/handoffs/), one hand-off (/handoffs/<id>/),
forwarding a case (/cases/<id>/forward/) and answering (accept, decline,
cancel, complete — POST only).

Thin views: fetch through the user's scope (404 outside it: a desk that is
neither sender nor receiver never learns the hand-off exists), bind a form,
call one service, redirect.  A refusal of the consent gate is shown on the
form with what is missing and how to fix it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consult.access import get_case_for_user
from consult.forms.handoffs import DeclineForm, HandOffSendForm, InboxFilterForm
from consult.models import Consultation, HandOffKind
from consult.selectors import handoffs as selectors
from consult.services import handoffs as services
from municipalities.roles import Capability
from municipalities.visibility import user_can


# --- inboxes --------------------------------------------------------------------------
@require_GET
def handoff_inbox(request):
    user = request.user
    desks = selectors.inbox_desks(user)
    if not desks:
        raise Http404
    form = InboxFilterForm(request.GET or None, desks=desks)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = selectors.InboxFilters(
        box=data.get("box") or "to",
        status=data.get("status") or "",
        kind=data.get("kind") or "",
        desk_id=data.get("desk"),
        overdue=bool(data.get("overdue")),
    )
    cursor_problem = False
    try:
        page = selectors.inbox(user=user, filters=filters, cursor=request.GET.get("cursor") or None)
    except selectors.InvalidCursor:
        cursor_problem = True
        page = selectors.inbox(user=user, filters=filters)
    next_url = None
    if page.next_cursor:
        params = request.GET.copy()
        params["cursor"] = page.next_cursor
        next_url = f"{reverse('consult:handoff_inbox')}?{params.urlencode()}"
    first = request.GET.copy()
    first.pop("cursor", None)
    return render(
        request,
        "consult/handoffs/inbox.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "next_url": next_url,
            "first_url": f"{reverse('consult:handoff_inbox')}?{first.urlencode()}" if "cursor" in request.GET else None,
            "cursor_problem": cursor_problem,
        },
    )


# --- one hand-off --------------------------------------------------------------------------
def _render_detail(request, handoff, *, decline_form=None, status=200):
    access = selectors.handoff_access(request.user, handoff)
    selectors._decorate([handoff], _today())
    consultations = []
    if access.shows_notes:
        consultations = list(
            Consultation.objects.filter(case=handoff.case)
            .select_related("language", "desk")
            .prefetch_related("topics")
            .order_by("-occurred_at", "-id")
        )
    context = {
        "handoff": handoff,
        "case": handoff.case,
        "access": access,
        "consent": selectors.consent_current(handoff.case.client) if handoff.case.client_id else None,
        "consultations": consultations,
        "topics": _case_topics(handoff.case),
        "decline_form": decline_form or DeclineForm(),
        "history": selectors.handoff_history(handoff),
        "can_see_override": access.is_sender
        or user_can(request.user, Capability.VIEW_AUDIT_TRAIL, desk=handoff.from_desk),
    }
    return render(request, "consult/handoffs/detail.html", context, status=status)


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _case_topics(case) -> list:
    from consult.models import Topic

    return list(Topic.objects.filter(consultations__case=case).distinct().order_by("sort_order", "code"))


@require_GET
def handoff_detail(request, pk: int):
    handoff = selectors.get_handoff_for_user(request.user, pk)
    return _render_detail(request, handoff)


def _answer(request, pk: int, action):
    handoff = selectors.get_handoff_for_user(request.user, pk)
    try:
        action(handoff)
    except services.HandOffStateError as error:
        messages.error(request, str(error))
    return redirect(handoff)


@require_POST
def handoff_accept(request, pk: int):
    def accept(handoff):
        services.handoff_accept(handoff=handoff, by=request.user)
        messages.success(request, _("The hand-off was accepted."))

    return _answer(request, pk, accept)


@require_POST
def handoff_decline(request, pk: int):
    handoff = selectors.get_handoff_for_user(request.user, pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        if not selectors.handoff_access(request.user, handoff).can_answer:
            raise PermissionDenied
        return _render_detail(request, handoff, decline_form=form)
    try:
        services.handoff_decline(handoff=handoff, by=request.user, reason=form.cleaned_data["reason"])
    except services.HandOffStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The hand-off was declined."))
    return redirect(handoff)


@require_POST
def handoff_cancel(request, pk: int):
    def cancel(handoff):
        services.handoff_cancel(handoff=handoff, by=request.user)
        messages.success(request, _("The hand-off was cancelled."))

    return _answer(request, pk, cancel)


@require_POST
def handoff_complete(request, pk: int):
    def complete(handoff):
        services.handoff_complete(handoff=handoff, by=request.user)
        messages.success(request, _("The hand-off was marked completed."))

    return _answer(request, pk, complete)


# --- forwarding a case ------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def handoff_new(request, pk: int):
    user = request.user
    case = get_case_for_user(user, pk)
    if not selectors.acts_for(user, case.handling_desk_id):
        raise PermissionDenied
    form_kwargs = {
        "case": case,
        "can_override": user_can(user, Capability.OVERRIDE_CONSENT, desk=case.handling_desk),
        "can_share_sensitive": user_can(user, Capability.VIEW_SENSITIVE_NOTES, desk=case.handling_desk),
    }
    refusal = None
    if request.method == "POST":
        form = HandOffSendForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                handoff = services.handoff_send(
                    case=case,
                    by=user,
                    kind=data["kind"],
                    to_desk=data.get("to_desk"),
                    to_organisation=data.get("to_organisation"),
                    shares_client=bool(data.get("shares_client")),
                    shares_notes=bool(data.get("shares_notes")),
                    shares_sensitive=bool(data.get("shares_sensitive")),
                    message=data.get("message", ""),
                    mode=data["mode"],
                    override_basis=data.get("override_basis", ""),
                )
            except services.ConsentMissing as error:
                refusal = " ".join(error.messages)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The hand-off was sent."))
                return redirect(handoff)
    else:
        form = HandOffSendForm(initial={"kind": HandOffKind.REFERRAL, "mode": "consent"}, **form_kwargs)
    context = {
        "case": case,
        "form": form,
        "refusal": refusal,
        "consent": selectors.consent_current(case.client) if case.client_id else None,
    }
    return render(request, "consult/handoffs/new.html", context)
