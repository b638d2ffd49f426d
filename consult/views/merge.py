"""Merging duplicate clients (coordinators: MERGE_CLIENTS).

/clients/merge/?q=…           find candidates by name, pick which to keep
/clients/merge/?keep=1&merge=2 both records side by side, with their cases
POST /clients/merge/            services.client_merge: every case follows,
                                the duplicate stays as a tombstone

Access: people who work no cases at all get 404; a client outside the
user's scope is 404 (consult.access); seeing both clients without holding
MERGE_CLIENTS for both registering desks is 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consult.access import get_client_for_user
from consult.forms.clients import ClientMergeForm
from consult.models import Client
from consult.selectors.clients import MERGE_CANDIDATE_LIMIT, client_cases, client_merge_candidates
from consult.services import clients as client_services
from core.audit import audit_views
from municipalities.roles import Capability
from municipalities.visibility import user_can

# What the merge copies (client_services.CLIENT_FIELDS), plus where and when each was registered.
COMPARED_FIELDS = (*client_services.CLIENT_FIELDS, "registered_desk", "created_at")


def _require_merger(user, *clients: Client) -> None:
    if not clients:
        if not user_can(user, Capability.MERGE_CLIENTS):
            raise PermissionDenied
        return
    for client in clients:
        if not user_can(user, Capability.MERGE_CLIENTS, desk=client.registered_desk):
            raise PermissionDenied


def _display(client: Client, name: str) -> str:
    if name in ("age_band", "gender", "client_type"):
        return getattr(client, f"get_{name}_display")() or "—"
    value = getattr(client, name)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value in (None, ""):
        return "—"
    if name == "created_at":
        from django.utils import timezone

        return timezone.localtime(value).strftime("%Y-%m-%d")
    return str(value)


def _comparison(keep: Client, merge: Client) -> list[dict]:
    rows = []
    for name in COMPARED_FIELDS:
        left, right = _display(keep, name), _display(merge, name)
        rows.append(
            {
                "label": Client._meta.get_field(name).verbose_name,
                "keep": left,
                "merge": right,
                "differs": left != right,
                "filled": left == "—" and right != "—" and name in client_services.CLIENT_FIELDS,
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
def client_merge(request):
    user = request.user
    if not user_can(user, Capability.VIEW_CASES):
        raise Http404
    source = request.POST if request.method == "POST" else request.GET
    keep_id, merge_id = source.get("keep"), source.get("merge")
    if not (keep_id and merge_id):
        if request.method == "POST":
            raise Http404
        return _candidates(request)
    keep = get_client_for_user(user, keep_id)
    merge = get_client_for_user(user, merge_id)
    _require_merger(user, keep, merge)
    form = ClientMergeForm(request.POST or None, initial={"keep": keep.pk, "merge": merge.pk})
    if request.method == "POST" and form.is_valid():
        try:
            client_services.client_merge(keep=keep, merge=merge, by=user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The two records were merged. Every case of the duplicate now belongs to %(name)s.")
                % {"name": keep.display_name},
            )
            return redirect(reverse("consult:client_detail", args=[keep.pk]))
    # Both records side by side: personal data on screen (DESIGN §8), coalesced.
    audit_views(actor=user, shown=[(c, None, c.registered_desk) for c in (keep, merge)], summary="merge comparison")
    cases = client_cases(user, keep, merge)
    keep_cases = [c for c in cases if c.client_id == keep.pk]
    merge_cases = [c for c in cases if c.client_id == merge.pk]
    for client in (keep, merge):
        client.detail_url = reverse("consult:client_detail", args=[client.pk])
    return render(
        request,
        "consult/merge.html",
        {
            "keep": keep,
            "merge": merge,
            "rows": _comparison(keep, merge),
            "keep_cases": keep_cases,
            "merge_cases": merge_cases,
            "form": form,
            "swap_url": f"{reverse('consult:client_merge')}?keep={merge.pk}&merge={keep.pk}",
        },
    )


def _candidates(request):
    """Step 1: find the two records by name and pick which one to keep."""
    user = request.user
    _require_merger(user)
    q = (request.GET.get("q") or "").strip()[:200]
    candidates = client_merge_candidates(user, q, limit=MERGE_CANDIDATE_LIMIT)
    audit_views(actor=user, shown=[(c, None, c.registered_desk) for c in candidates], summary="merge search")
    keep_id = request.GET.get("keep") or ""
    return render(
        request,
        "consult/merge_pick.html",
        {
            "q": q,
            "candidates": candidates,
            "limit": MERGE_CANDIDATE_LIMIT,
            # /clients/merge/?keep=<id> from a client page: that record is preselected.
            "keep_id": int(keep_id) if keep_id.isdigit() else None,
        },
    )
