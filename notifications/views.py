"""The person's notifications (/notifications/), their settings, and the
operator view for coordinators.  Thin views: access, form, one service."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from municipalities.roles import Capability
from municipalities.visibility import user_can

from . import services
from .access import get_notification_for_operator, get_own_notification, operator_notifications, require_operator
from .forms import OperatorFilterForm, PreferencesForm
from .mail import render_subject
from .models import Notification, NotificationPreference, State
from .registry import kinds


def _titled(rows):
    """Each row with its title (the e-mail subject, in the viewer's
    language) and link; rows of a kind no longer registered keep their key."""
    items = []
    for row in rows:
        kind = kinds.get(row.kind)
        obj = row.subject_object
        title, url = row.kind, ""
        if kind is not None and (obj is not None or not row.content_type_id):
            title = render_subject(row, obj, kind)
            url = kind.url(row, obj) if kind.url else ""
        items.append({"row": row, "title": title, "url": url, "kind": kind})
    return items


@require_GET
def inbox(request):
    rows = Notification.objects.for_inbox(request.user).select_related("recipient")
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "items": _titled(page.object_list),
            "perms_operator": user_can(request.user, Capability.ASSIGN_WORK),
        },
    )


@require_POST
def mark_read(request, pk: int):
    notification = get_own_notification(request.user, pk)
    services.notification_mark_read(notification=notification, by=request.user)
    target = request.POST.get("open")
    if target and target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("notifications:inbox")


@require_POST
def mark_all_read(request):
    count = services.notification_mark_all_read(by=request.user)
    messages.success(request, _("%(count)d notification(s) marked as read.") % {"count": count})
    return redirect("notifications:inbox")


@require_http_methods(["GET", "POST"])
def preferences(request):
    current = dict(NotificationPreference.objects.filter(user=request.user).values_list("kind", "channel"))
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        for key, channel in form.cleaned_data.items():
            if channel:
                services.preference_set(user=request.user, kind=key, channel=channel)
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@require_GET
def operator(request):
    require_operator(request.user)
    rows = operator_notifications(request.user)
    counts = dict(rows.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    form = OperatorFilterForm(request.GET or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    if state:
        rows = rows.filter(state=state)
    rows = rows.select_related("recipient", "desk").order_by("-due_at", "-id")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/operator.html",
        {
            "form": form,
            "page": page,
            "items": _titled(page.object_list),
            "counts": [(value, label, counts.get(value, 0)) for value, label in State.choices],
            "retryable": {State.FAILED, State.PENDING, State.CLAIMED},
        },
    )


@require_POST
def retry(request, pk: int):
    require_operator(request.user)
    notification = get_notification_for_operator(request.user, pk)
    if notification.state == State.SENT or notification.state == State.CANCELLED:
        messages.info(request, _("This notification needs no retry."))
    else:
        services.notification_retry(notification=notification, by=request.user)
        messages.success(request, _("The notification will be sent again now."))
    return redirect("notifications:operator")
