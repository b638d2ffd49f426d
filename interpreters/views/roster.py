"""The roster: list, detail, create/edit (coordinators), absences."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consult.models import Language
from municipalities.models import Desk
from municipalities.roles import Capability
from municipalities.visibility import visible_desks_q

from .. import services
from ..access import can_manage, can_manage_roster, get_interpreter_for_user, require_case_worker
from ..forms import AbsenceForm, InterpreterForm, LanguageFormSet, SlotFormSet
from ..models import Booking, Interpreter, InterpreterLanguage


def _languages_prefetch():
    return Prefetch(
        "languages",
        queryset=InterpreterLanguage.objects.select_related("language").order_by("-level", "language__sort_order"),
    )


@require_GET
def interpreter_list(request):
    user = request.user
    require_case_worker(user)
    interpreters = (
        Interpreter.objects.visible_to(user).select_related("home_desk").prefetch_related(_languages_prefetch())
    )
    language = None
    language_id = request.GET.get("language") or ""
    if language_id.isdigit():
        language = Language.objects.filter(pk=int(language_id)).first()
    if language is not None:
        interpreters = interpreters.filter(languages__language=language)
    show_inactive = request.GET.get("inactive") == "1"
    if not show_inactive:
        interpreters = interpreters.filter(active=True)
    return render(
        request,
        "interpreters/interpreter_list.html",
        {
            "interpreters": interpreters.order_by("kind", "name", "id"),
            "languages": Language.objects.active(),
            "language": language,
            "show_inactive": show_inactive,
            "can_manage": can_manage_roster(user),
        },
    )


@require_GET
def interpreter_detail(request, pk: int):
    user = request.user
    interpreter = get_interpreter_for_user(user, pk)
    now = timezone.now()
    upcoming = list(
        Booking.objects.visible_to(user)
        .filter(interpreter=interpreter, ends_at__gte=now, status__in=("requested", "confirmed"))
        .select_related("language", "case", "desk")
        .order_by("starts_at")[:20]
    )
    manage = can_manage(user, interpreter)
    return render(
        request,
        "interpreters/interpreter_detail.html",
        {
            "interpreter": interpreter,
            "languages": interpreter.languages.select_related("language").order_by("-level"),
            "slots": interpreter.weekly_slots.all(),
            "absences": interpreter.exceptions.filter(ends_at__gte=now).order_by("starts_at"),
            "upcoming": upcoming,
            "can_manage": manage,
            "absence_form": AbsenceForm() if manage else None,
            "exclusion_count": interpreter.exclusions.count(),
        },
    )


def _manageable_desks(user):
    return Desk.objects.filter(visible_desks_q(user, capability=Capability.MANAGE_INTERPRETERS))


def _edit(request, interpreter: Interpreter | None):
    user = request.user
    created = interpreter is None
    instance = interpreter or Interpreter()
    desks = _manageable_desks(user)
    if request.method == "POST":
        form = InterpreterForm(request.POST, instance=instance, desks=desks)
        languages = LanguageFormSet(request.POST, instance=instance, prefix="languages")
        slots = SlotFormSet(request.POST, instance=instance, prefix="slots")
        if form.is_valid() and languages.is_valid() and slots.is_valid():
            edited = form.save(commit=False)
            if created:
                desk = desks.select_related("municipality").first()
                edited.consortium_id = desk.municipality.consortium_id
            services.interpreter_save(interpreter=edited, by=user, formsets=[languages, slots], created=created)
            messages.success(request, _("The interpreter was saved."))
            return redirect(edited)
    else:
        form = InterpreterForm(instance=instance, desks=desks)
        languages = LanguageFormSet(instance=instance, prefix="languages")
        slots = SlotFormSet(instance=instance, prefix="slots")
    return render(
        request,
        "interpreters/interpreter_edit.html",
        {"form": form, "languages": languages, "slots": slots, "interpreter": interpreter},
    )


@require_http_methods(["GET", "POST"])
def interpreter_create(request):
    user = request.user
    require_case_worker(user)
    if not can_manage_roster(user) or not _manageable_desks(user).exclude(municipality__consortium=None).exists():
        raise PermissionDenied
    return _edit(request, None)


@require_http_methods(["GET", "POST"])
def interpreter_edit(request, pk: int):
    return _edit(request, get_interpreter_for_user(request.user, pk, manage=True))


@require_POST
def absence_add(request, pk: int):
    user = request.user
    interpreter = get_interpreter_for_user(user, pk, manage=True)
    form = AbsenceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.absence_add(
                interpreter=interpreter,
                kind=data["kind"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                note=data["note"],
                by=user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The absence was recorded."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(interpreter)


urlpatterns = [
    path("", interpreter_list, name="interpreter_list"),
    path("new/", interpreter_create, name="interpreter_create"),
    path("<int:pk>/", interpreter_detail, name="interpreter_detail"),
    path("<int:pk>/edit/", interpreter_edit, name="interpreter_edit"),
    path("<int:pk>/absences/", absence_add, name="absence_add"),
]
