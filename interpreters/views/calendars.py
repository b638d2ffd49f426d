"""Calendars per interpreter and per desk, a day or a week (printable,
readable on a 768 px tablet)."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from municipalities.models import Desk
from municipalities.visibility import visible_desks_q

from .. import selectors
from ..access import get_interpreter_for_user, require_case_worker


def _period(request) -> tuple[str, date, int]:
    view = "day" if request.GET.get("view") == "day" else "week"
    try:
        day = date.fromisoformat(request.GET.get("date") or "")
    except ValueError:
        day = timezone.localdate()
    if view == "week":
        return view, selectors.week_start(day), 7
    return view, day, 1


def _render(request, *, title_object, interpreter=None, desk=None):
    view, first, days = _period(request)
    step = timedelta(days=days)
    return render(
        request,
        "interpreters/calendar.html",
        {
            "subject": title_object,
            "interpreter": interpreter,
            "desk": desk,
            "view": view,
            "first": first,
            "last": first + step - timedelta(days=1),
            "previous": (first - step).isoformat(),
            "next": (first + step).isoformat(),
            "today": timezone.localdate().isoformat(),
            "days": selectors.calendar_days(
                user=request.user, first=first, days=days, interpreter=interpreter, desk=desk
            ),
        },
    )


@require_GET
def interpreter_calendar(request, pk: int):
    interpreter = get_interpreter_for_user(request.user, pk)
    return _render(request, title_object=interpreter, interpreter=interpreter)


@require_GET
def desk_calendar(request, pk: int):
    user = request.user
    require_case_worker(user)
    desk = Desk.objects.filter(visible_desks_q(user), pk=pk).first()
    if desk is None:
        raise Http404
    return _render(request, title_object=desk, desk=desk)


urlpatterns = [
    path("<int:pk>/calendar/", interpreter_calendar, name="interpreter_calendar"),
    path("desks/<int:pk>/calendar/", desk_calendar, name="desk_calendar"),
]
