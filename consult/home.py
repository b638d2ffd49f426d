"""consult's panels of the home work queue (core/home.py) and its printable
pages (core/printing.py), registered in ConsultConfig.ready()."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import home, printing
from core.dates import format_long, format_short
from municipalities.roles import Capability
from municipalities.visibility import user_can

from .selectors import handoffs as handoff_selectors
from .selectors import home as queues
from .selectors.handoffs import own_desk_ids


def _case_label(case) -> str:
    who = case.client.display_name if case.client_id else gettext("anonymous")
    return f"{case.reference} {who}" + (f" — {case.title}" if case.title else "")


def _case_items(rows) -> list[home.Item]:
    return [
        home.Item(
            label=_case_label(case),
            url=reverse("consult:case_detail", args=[case.pk]),
            meta=gettext("last activity %(when)s") % {"when": format_short(case.last_activity_at)},
            badge_text=str(case.get_status_display()),
            badge="warning" if case.status == "waiting" else "info",
        )
        for case in rows
    ]


def follow_ups_panel(request):
    user = request.user
    if not user_can(user, Capability.VIEW_CASES):
        return None
    today = timezone.localdate()
    queue = queues.follow_ups_due(user, today=today)
    items = []
    for follow_up in queue.rows:
        overdue = follow_up.due_date < today
        items.append(
            home.Item(
                label=f"{_case_label(follow_up.case)}: {follow_up.note}",
                url=reverse("consult:case_detail", args=[follow_up.case_id]) + "#follow-ups",
                meta=gettext("due %(date)s") % {"date": format_long(follow_up.due_date)},
                badge="danger" if overdue else "warning",
                badge_text=gettext("overdue") if overdue else gettext("due today"),
            )
        )
    return home.Panel(
        key="follow-ups",
        title=_("My follow-ups due today and overdue"),
        items=items,
        count=queue.count,
        count_capped=queue.capped,
        empty=_("Nothing due today."),
    )


def my_cases_panel(request):
    user = request.user
    if not user_can(user, Capability.VIEW_CASES):
        return None
    queue = queues.my_open_cases(user)
    return home.Panel(
        key="my-cases",
        title=_("My cases not closed"),
        items=_case_items(queue.rows),
        count=queue.count,
        count_capped=queue.capped,
        more_url=reverse("consult:case_list") + "?assignee=me&status=active",
        more_label=_("All my cases"),
        empty=_("No case is assigned to you."),
    )


def waiting_panel(request):
    user = request.user
    if not user_can(user, Capability.VIEW_CASES):
        return None
    queue = queues.waiting_cases(user)
    return home.Panel(
        key="waiting",
        title=_("Cases waiting for an answer"),
        items=_case_items(queue.rows),
        count=queue.count,
        count_capped=queue.capped,
        more_url=reverse("consult:case_list") + "?status=waiting",
        more_label=_("All waiting cases"),
        empty=_("No case is waiting for an answer."),
    )


def recent_panel(request):
    user = request.user
    if not user_can(user, Capability.VIEW_CASES):
        return None
    queue = queues.recent_consultations(user)
    items = [
        home.Item(
            label=_case_label(consultation.case),
            url=reverse("consult:case_detail", args=[consultation.case_id]),
            meta=format_short(consultation.occurred_at),
        )
        for consultation in queue.rows
    ]
    panel = home.Panel(
        key="recent",
        title=_("Recent consultations at my desk"),
        items=items,
        empty=_("No consultation logged at your desk yet."),
        lead=gettext("%(count)s today") % {"count": queue.count},
    )
    if user_can(user, Capability.LOG_CONSULTATIONS):
        panel.more_url = reverse("consult:consultation_new")
        panel.more_label = _("New consultation")
    return panel


def handoffs_panel(request):
    """Pending hand-offs to the desks the user answers for (partner clerks,
    hub staff), oldest first; nothing for people who answer none."""
    user = request.user
    if not own_desk_ids(user):
        return None
    waiting = handoff_selectors.waiting_for(user)
    items = [
        home.Item(
            label=f"{handoff.case.reference} — {handoff.from_desk.name}",
            url=reverse("consult:handoff_detail", args=[handoff.pk]),
            meta=str(handoff.get_kind_display()),
            badge="warning" if handoff.is_overdue else "",
            badge_text=gettext("overdue") if handoff.is_overdue else "",
        )
        for handoff in waiting["rows"]
    ]
    return home.Panel(
        key="handoffs",
        title=_("Hand-offs waiting for you"),
        items=items,
        count=waiting["count"],
        more_url=reverse("consult:handoff_inbox"),
        more_label=_("All hand-offs"),
        empty=_("Nothing waits for you."),
    )


def _printable_case(user, pk):
    from .access import get_case_for_user

    case = get_case_for_user(user, pk)
    return case, case, case.handling_desk


def _printable_client(user, pk):
    from .access import get_client_for_user

    client = get_client_for_user(user, pk)
    return client, None, client.registered_desk


def register() -> None:
    home.register_panel("handoffs", handoffs_panel, order=5)
    home.register_panel("follow-ups", follow_ups_panel, order=10)
    home.register_panel("my-cases", my_cases_panel, order=20)
    home.register_panel("waiting", waiting_panel, order=30)
    home.register_panel("recent", recent_panel, order=40)
    printing.register("case", _printable_case)
    printing.register("client", _printable_client)
