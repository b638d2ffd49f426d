"""Interpreter bookings (通訳手配): create from a consultation, a case or a
counter; the booking page with suggestions; confirm / complete / cancel /
not carried out (POST only)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consult.access import case_access, get_case_for_user, visible_cases
from consult.models import Consultation, InterpretationMode
from municipalities.models import Desk
from municipalities.roles import Capability
from municipalities.visibility import user_can, user_memberships, visible_desks_q

from .. import selectors, services
from ..access import can_work_on, get_booking_for_user, require_case_worker
from ..forms import BookingFilterForm, BookingForm, CancelForm, CompleteForm, ConfirmForm, ExclusionForm
from ..models import Booking, BookingStatus, Interpreter, Modality

# The interpretation mode recorded on a consultation → the modality to book.
MODE_TO_MODALITY = {
    InterpretationMode.ONSITE_INTERPRETER: Modality.ONSITE,
    InterpretationMode.BILINGUAL_COUNSELLOR: Modality.ONSITE,
    InterpretationMode.TABLET_VIDEO: Modality.VIDEO,
    InterpretationMode.PHONE_TWO_PARTY: Modality.PHONE,
    InterpretationMode.THREE_WAY_PHONE: Modality.THREE_WAY,
}


def _next_quarter(moment):
    moment = timezone.localtime(moment).replace(second=0, microsecond=0)
    return moment + timedelta(minutes=(15 - moment.minute % 15) % 15)


@require_GET
def booking_list(request):
    user = request.user
    require_case_worker(user)
    form = BookingFilterForm(request.GET or None)
    status = form.cleaned_data.get("status") if form.is_valid() else ""
    bookings = Booking.objects.visible_to(user).select_related("language", "interpreter", "case", "desk")
    if status:
        bookings = bookings.filter(status=status)
    else:
        bookings = bookings.filter(status__in=(BookingStatus.REQUESTED, BookingStatus.CONFIRMED))
    if not status or status in (BookingStatus.REQUESTED, BookingStatus.CONFIRMED):
        bookings = bookings.filter(ends_at__gte=timezone.now() - timedelta(days=1)).order_by("starts_at", "id")
    else:
        bookings = bookings.order_by("-starts_at", "-id")
    return render(
        request,
        "interpreters/booking_list.html",
        {"bookings": bookings[:200], "form": form, "desks": _bookable_desks(user)},
    )


def _bookable_desks(user):
    return Desk.objects.filter(visible_desks_q(user, capability=Capability.LOG_CONSULTATIONS)).select_related(
        "municipality"
    )


def _booking_source(request):
    """(case, consultation, desk) from ?consultation= / ?case= / ?desk=
    (or the same names in the POST), each fetched through the user's scope."""
    user = request.user
    params = request.POST if request.method == "POST" else request.GET
    consultation = case = None
    if params.get("consultation"):
        try:
            pk = int(params["consultation"])
        except ValueError:
            raise Http404 from None
        consultation = get_object_or_404(
            Consultation.objects.filter(case__in=visible_cases(user)).select_related(
                "case__handling_desk__municipality", "case__client", "language"
            ),
            pk=pk,
        )
        case = consultation.case
        if not case_access(user, case).can_see_details:
            raise Http404
    elif params.get("case"):
        case = get_case_for_user(user, params["case"])
    if case is not None:
        if not case_access(user, case).can_log_consultation:
            raise PermissionDenied
        return case, consultation, case.handling_desk
    desks = _bookable_desks(user)
    desk_id = params.get("desk") or next(
        (m.desk_id for m in user_memberships(user) if m.desk_id and m.has(Capability.LOG_CONSULTATIONS)), None
    )
    desk = desks.filter(pk=desk_id).first() if str(desk_id or "").isdigit() else desks.first()
    if desk is None:
        raise Http404
    if not user_can(user, Capability.LOG_CONSULTATIONS, desk=desk):
        raise PermissionDenied
    return case, consultation, desk


@require_http_methods(["GET", "POST"])
def booking_create(request):
    user = request.user
    require_case_worker(user)
    case, consultation, desk = _booking_source(request)
    if request.method == "POST":
        form = BookingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                booking = services.booking_request(
                    desk=desk,
                    case=case,
                    consultation=consultation,
                    language=data["language"],
                    modality=data["modality"],
                    min_level=data["min_level"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    place=data["place"],
                    notes=data["notes"],
                    by=user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The booking was requested. Choose an interpreter below."))
                return redirect(booking)
    else:
        initial = {}
        starts = _next_quarter(timezone.now())
        if consultation is not None:
            initial["language"] = consultation.language_id
            initial["modality"] = MODE_TO_MODALITY.get(consultation.interpretation_mode, "")
            starts = consultation.occurred_at
        elif case is not None and case.client_id and case.client.preferred_language_id:
            initial["language"] = case.client.preferred_language_id
        for name in ("language", "modality"):
            if request.GET.get(name):
                initial[name] = request.GET[name]
        form = BookingForm(initial=initial, starts_at=starts)
    return render(
        request,
        "interpreters/booking_create.html",
        {"form": form, "case": case, "consultation": consultation, "desk": desk},
    )


def _roster_for(booking: Booking):
    return Interpreter.objects.filter(consortium_id=booking.desk.municipality.consortium_id, active=True)


@require_GET
def booking_detail(request, pk: int):
    user = request.user
    booking = get_booking_for_user(user, pk)
    may_work = can_work_on(user, booking)
    suggestions = None
    if may_work and booking.is_open:
        suggestions = selectors.booking_suggestions(booking, user=user)
    return render(
        request,
        "interpreters/booking_detail.html",
        {
            "booking": booking,
            "may_work": may_work,
            "suggestions": suggestions,
            "complete_form": CompleteForm(
                initial={"actual_minutes": int((booking.ends_at - booking.starts_at).total_seconds() // 60)}
            ),
            "cancel_form": CancelForm(),
            "exclusion_form": ExclusionForm(interpreters=_roster_for(booking))
            if booking.case_id and booking.case.client_id
            else None,
        },
    )


@require_POST
def booking_confirm(request, pk: int):
    user = request.user
    booking = get_booking_for_user(user, pk, write=True)
    form = ConfirmForm(request.POST, interpreters=_roster_for(booking))
    if not form.is_valid():
        messages.error(request, _("Choose an interpreter from the roster."))
        return redirect(booking)
    interpreter = form.cleaned_data["interpreter"]
    try:
        services.booking_confirm(booking=booking, interpreter=interpreter, by=user)
    except services.BookingClash as clash:
        messages.error(
            request,
            _("Not confirmed: %(clash)s Choose someone else.")
            % {"clash": selectors.describe_clash(clash.clash, interpreter=interpreter, user=user)},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Confirmed with %(name)s.") % {"name": interpreter})
    return redirect(booking)


@require_POST
def booking_complete(request, pk: int):
    user = request.user
    booking = get_booking_for_user(user, pk, write=True)
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            services.booking_complete(booking=booking, actual_minutes=form.cleaned_data["actual_minutes"], by=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The booking was completed."))
    else:
        messages.error(request, _("Enter the minutes interpreted (1–1440)."))
    return redirect(booking)


@require_POST
def booking_cancel(request, pk: int):
    user = request.user
    booking = get_booking_for_user(user, pk, write=True)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.booking_cancel(booking=booking, reason=form.cleaned_data["reason"], by=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The booking was cancelled."))
    else:
        messages.error(request, _("Give the reason for cancelling."))
    return redirect(booking)


@require_POST
def booking_no_show(request, pk: int):
    user = request.user
    booking = get_booking_for_user(user, pk, write=True)
    try:
        services.booking_no_show(booking=booking, by=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The booking was marked as not carried out."))
    return redirect(booking)


@require_POST
def booking_exclude(request, pk: int):
    """The client of this booking's case asks not to be served by an interpreter."""
    user = request.user
    booking = get_booking_for_user(user, pk, write=True)
    if not booking.case_id or not booking.case.client_id:
        raise Http404
    form = ExclusionForm(request.POST, interpreters=_roster_for(booking))
    if form.is_valid():
        services.exclusion_add(
            client=booking.case.client,
            interpreter=form.cleaned_data["interpreter"],
            note=form.cleaned_data["note"],
            by=user,
        )
        messages.success(request, _("Recorded: the client will not be offered this interpreter."))
    else:
        messages.error(request, _("Choose an interpreter from the roster."))
    return redirect(booking)


urlpatterns = [
    path("bookings/", booking_list, name="booking_list"),
    path("bookings/new/", booking_create, name="booking_create"),
    path("bookings/<int:pk>/", booking_detail, name="booking_detail"),
    path("bookings/<int:pk>/confirm/", booking_confirm, name="booking_confirm"),
    path("bookings/<int:pk>/complete/", booking_complete, name="booking_complete"),
    path("bookings/<int:pk>/cancel/", booking_cancel, name="booking_cancel"),
    path("bookings/<int:pk>/no-show/", booking_no_show, name="booking_no_show"),
    path("bookings/<int:pk>/exclude/", booking_exclude, name="booking_exclude"),
]
