"""The case list (/cases/), the case page (/cases/<id>/) and what is done on it:
edit with lost-update protection, close with an outcome, reopen, follow-ups,
links to earlier cases (再相談).

Thin views (CONVENTIONS): fetch through the user's scope (consult/access.py),
bind a form, call one service, redirect.  Every state change is POST only.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consult import timeline
from consult.access import case_access, get_case_for_user, get_follow_up_for_user
from consult.forms.cases import CaseCloseForm, CaseEditForm, CaseListFilterForm, CaseReopenForm, EarlierCaseForm
from consult.forms.follow_ups import FollowUpForm, FollowUpStatusForm
from consult.models import Case, CaseOutcome, CaseStatus
from consult.reference_cache import desk_colleagues
from consult.selectors import case_page
from consult.selectors import cases as case_selectors
from consult.selectors import handoffs as handoff_selectors
from consult.selectors.people import colleagues_for_desk
from consult.services import cases as case_services
from consult.services import follow_ups as follow_up_services
from consult.services.cases import EditConflict
from core.audit import audit_views
from municipalities.roles import Capability
from municipalities.visibility import user_can


def _require_case_worker(user) -> None:
    """Statistics viewers, administrators and people without a membership
    see no case at all: 404, as for any object outside one's scope."""
    if not user_can(user, Capability.VIEW_CASES):
        raise Http404


# --- the list ----------------------------------------------------------------
def _page_url(request, cursor: str | None) -> str | None:
    if not cursor:
        return None
    params = request.GET.copy()
    params.pop("view", None)
    params["cursor"] = cursor
    return f"{reverse('consult:case_list')}?{params.urlencode()}"


@require_GET
def case_list(request):
    user = request.user
    _require_case_worker(user)
    # ?view=dense|normal switches the denser desk-screen mode; the choice is
    # remembered for the session (a display preference, not a filter).
    params = request.GET.copy()
    view = params.pop("view", [""])[-1]
    if view in ("dense", "normal"):
        request.session["case_list_dense"] = view == "dense"
    dense = bool(request.session.get("case_list_dense", False))
    form = CaseListFilterForm(params or None, user=user)
    filters_valid = form.is_valid() if form.is_bound else True
    filters, per_page = form.filters(), form.page_size()
    cursor_problem = False
    try:
        page = case_selectors.case_list(
            user=user, filters=filters, cursor=request.GET.get("cursor") or None, per_page=per_page
        )
    except case_selectors.InvalidCursor:
        cursor_problem = True
        page = case_selectors.case_list(user=user, filters=filters, cursor=None, per_page=per_page)
    # Client names on the page: recorded as views of those clients (not of
    # the cases, so that opening a case afterwards is still recorded).
    audit_views(
        actor=user,
        shown=[(case.client, None, case.handling_desk) for case in page.rows if case.client_id],
        summary="case list",
    )
    first_page_params = params.copy()
    first_page_params.pop("cursor", None)
    return render(
        request,
        "consult/case_list.html",
        {
            "form": form,
            "filters_valid": filters_valid,
            "is_filtered": form.is_bound and form.is_filtered(),
            "cursor_problem": cursor_problem,
            "page": page,
            "next_url": _page_url(request, page.next_cursor),
            "prev_url": _page_url(request, page.prev_cursor),
            "first_url": f"{reverse('consult:case_list')}?{first_page_params.urlencode()}",
            "new_consultation_url": reverse("consult:consultation_new"),
            "can_merge_clients": user_can(user, Capability.MERGE_CLIENTS),
            "dense": dense,
            "view_toggle_url": f"{reverse('consult:case_list')}?{_with_view(params, 'normal' if dense else 'dense')}",
        },
    )


def _with_view(params, view: str) -> str:
    toggled = params.copy()
    toggled.pop("cursor", None)
    toggled["view"] = view
    return toggled.urlencode()


# --- the case page --------------------------------------------------------------
def _render_case(request, case: Case, **forms):
    user = request.user
    desk = case.handling_desk
    # The follow-up form's assignees from the per-process cache (issue 13);
    # a POST of that form validates against colleagues_for_desk, fresh.
    colleagues = list(desk_colleagues(desk.pk)) if request.method == "GET" else list(colleagues_for_desk(desk))
    consultations = case_page.case_consultations(case)
    for consultation in consultations:
        consultation.extra_links = timeline.consultation_links(case=case, consultation=consultation, user=user)
    follow_ups = case_page.case_follow_ups(case)
    events = case_page.case_change_events(case)
    earlier, later = case_page.case_links(case, user=user)
    access = case_access(user, case)
    handoffs = handoff_selectors.case_handoffs(case, user)
    context = {
        "case": case,
        "access": access,
        "timeline": case_page.case_timeline(
            user=user,
            consultations=consultations,
            follow_ups=follow_ups,
            events=events,
            case=case,
            linked_cases=earlier + later,
            handoffs=handoffs,
        ),
        "consultations": consultations,
        "open_follow_ups": [f for f in follow_ups if f.status == f.Status.OPEN],
        "follow_ups": follow_ups,
        "earlier_cases": earlier,
        "later_cases": later,
        "audit_trail": case_page.case_audit_trail(case) if access.can_see_audit_trail else None,
        "follow_up_form": forms.get("follow_up_form")
        or FollowUpForm(colleagues=colleagues, default_assignee=case.assignee, desk=case.handling_desk),
        "close_form": forms.get("close_form") or CaseCloseForm(initial={"version": case.version}),
        "reopen_form": CaseReopenForm(initial={"version": case.version}),
        "earlier_form": forms.get("earlier_form") or EarlierCaseForm(),
        "client_url": reverse("consult:client_detail", args=[case.client_id]) if case.client_id else "",
        "promote_url": reverse("consult:case_promote", args=[case.pk]) if case.is_quick_contact else "",
        "add_consultation_url": reverse("consult:case_consultation_new", args=[case.pk]),
        "extra_links": timeline.case_links(case=case, user=user),
        "is_closed": case.status == CaseStatus.CLOSED,
        "handoffs": handoffs,
        "forward_url": reverse("consult:handoff_new", args=[case.pk])
        if handoff_selectors.acts_for(user, case.handling_desk_id)
        else "",
        "consent_withdrawn_on": case_page.case_consent_withdrawn_on(case),
    }
    return render(request, "consult/case_detail.html", context)


@require_GET
def case_detail(request, pk: int):
    case = get_case_for_user(request.user, pk, remember=True, annotate=case_page.page_presence())
    # Who opened a page with personal data (DESIGN §8); a reload within
    # case_services.VIEW_AUDIT_THROTTLE adds nothing.
    case_services.case_record_view(case=case, by=request.user)
    return _render_case(request, case)


def _conflict_rows(form: CaseEditForm, current: Case) -> list[tuple[str, str, str]]:
    """(field label, what this editor typed, what is saved now) for every
    field where the two differ."""
    rows = []
    for name in ("title", "status", "outcome", "assignee", "sensitive_notes"):
        if name not in form.fields:
            continue
        field = form.fields[name]
        mine = form.data.get(name, "")
        saved = getattr(current, f"{name}_id" if name == "assignee" else name)
        saved = "" if saved is None else str(saved)
        if (mine or "") == saved:
            continue
        choices = dict(field.choices) if hasattr(field, "choices") else {}
        rows.append(
            (
                field.label,
                str(choices.get(mine, mine)) if mine else "—",
                str(choices.get(saved, saved)) if saved else "—",
            )
        )
    return rows


@require_http_methods(["GET", "POST"])
def case_edit(request, pk: int):
    """Edit title, status, outcome, assignee (and sensitive notes for those
    allowed).  The form carries the version it was loaded at; if somebody
    saved in between, case_services.case_update refuses (EditConflict) and this
    editor sees what is saved now next to what they typed, with their input
    kept, so they can re-apply it deliberately — nothing is overwritten."""
    user = request.user
    case = get_case_for_user(user, pk, write=True)
    colleagues = list(colleagues_for_desk(case.handling_desk))
    conflict_rows = None
    if request.method == "POST":
        form = CaseEditForm(request.POST, case=case, user=user, colleagues=colleagues)
        if form.is_valid():
            changes = form.changes()
            if not changes:
                messages.info(request, _("Nothing was changed."))
                return redirect(case)
            try:
                case_services.case_update(
                    case=case, by=user, expected_version=form.cleaned_data["version"], changes=changes
                )
            except EditConflict as conflict:
                current = conflict.case
                data = request.POST.copy()
                data["version"] = str(current.version)
                form = CaseEditForm(data, case=current, user=user, colleagues=colleagues)
                form.is_valid()
                conflict_rows = _conflict_rows(form, current)
                case = current
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The case was saved."))
                return redirect(case)
    else:
        form = CaseEditForm(case=case, user=user, colleagues=colleagues)
    # The edit page shows the case and its sensitive notes: recorded like the case page.
    case_services.case_record_view(case=case, by=user)
    # Re-rendered forms (errors, conflict) answer 200 like every form of the
    # portal: a 4xx document is a console error in the browser.
    return render(request, "consult/case_edit.html", {"case": case, "form": form, "conflict_rows": conflict_rows})


@require_POST
def case_close(request, pk: int):
    user = request.user
    case = get_case_for_user(user, pk, write=True)
    if not case_access(user, case).can_close:
        raise PermissionDenied
    form = CaseCloseForm(request.POST)
    if not form.is_valid():
        return _render_case(request, case, close_form=form)
    try:
        case_services.case_close(
            case=case,
            by=user,
            outcome=form.cleaned_data["outcome"],
            expected_version=form.cleaned_data["version"],
        )
    except EditConflict:
        messages.error(
            request,
            _("Somebody changed this case while you were looking at it. It was not closed: check it and try again."),
        )
    else:
        messages.success(request, _("The case was closed."))
    return redirect(case)


@require_POST
def case_reopen(request, pk: int):
    user = request.user
    case = get_case_for_user(user, pk, write=True)
    if not case_access(user, case).can_close:
        raise PermissionDenied
    form = CaseReopenForm(request.POST)
    if not form.is_valid() or case.status != CaseStatus.CLOSED:
        messages.error(request, _("This case is not closed."))
        return redirect(case)
    try:
        case_services.case_update(
            case=case,
            by=user,
            expected_version=form.cleaned_data["version"],
            changes={"status": CaseStatus.IN_PROGRESS, "outcome": CaseOutcome.CONTINUING},
        )
    except EditConflict:
        messages.error(
            request,
            _("Somebody changed this case while you were looking at it. It was not reopened: check it and try again."),
        )
    else:
        messages.success(request, _("The case was reopened."))
    return redirect(case)


@require_POST
def case_follow_up_add(request, pk: int):
    user = request.user
    case = get_case_for_user(user, pk, write=True)
    colleagues = list(colleagues_for_desk(case.handling_desk))
    form = FollowUpForm(request.POST, colleagues=colleagues)
    if not form.is_valid():
        return _render_case(request, case, follow_up_form=form)
    follow_up_services.follow_up_create(
        case=case,
        by=user,
        due_date=form.cleaned_data["due_date"],
        note=form.cleaned_data["note"],
        assignee=form.cleaned_data.get("assignee"),
    )
    messages.success(request, _("The follow-up was added."))
    return redirect(f"{case.get_absolute_url()}#follow-ups")


@require_POST
def follow_up_status(request, pk: int):
    user = request.user
    follow_up = get_follow_up_for_user(user, pk, write=True)
    form = FollowUpStatusForm(request.POST)
    if form.is_valid():
        follow_up_services.follow_up_set_status(follow_up=follow_up, by=user, status=form.cleaned_data["status"])
        messages.success(request, _("The follow-up was updated."))
    else:
        messages.error(request, _("Unknown follow-up status."))
    return redirect(f"{follow_up.case.get_absolute_url()}#follow-ups")


@require_POST
def case_link_earlier(request, pk: int):
    user = request.user
    case = get_case_for_user(user, pk, write=True)
    form = EarlierCaseForm(request.POST)
    if form.is_valid():
        reference = case_selectors.reference_query(form.cleaned_data["reference"]) or ""
        # Same answer for "no such case" and "a case you cannot see".
        earlier = Case.objects.visible_to(user).filter(reference=reference).first()
        if earlier is None:
            form.add_error("reference", _("No case with this reference number is visible to you."))
        else:
            try:
                case_services.case_link_earlier(case=case, earlier=earlier, by=user)
            except ValidationError as error:
                form.add_error("reference", error)
    if not form.is_valid():
        return _render_case(request, case, earlier_form=form)
    messages.success(request, _("The related case was linked."))
    return redirect(case)


@require_POST
def case_unlink_earlier(request, pk: int, earlier_pk: int):
    user = request.user
    case = get_case_for_user(user, pk, write=True)
    earlier = get_case_for_user(user, earlier_pk)
    case_services.case_unlink_earlier(case=case, earlier=earlier, by=user)
    messages.success(request, _("The link was removed."))
    return redirect(case)
