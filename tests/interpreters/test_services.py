from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum

from core.models import AuditEvent
from interpreters import services
from interpreters.models import Booking, BookingStatus
from interpreters.selectors import describe_clash
from tests.factories import CaseFactory, ClientFactory, InterpreterFactory
from tests.interpreters.conftest import at, request_booking

pytestmark = pytest.mark.django_db


def test_request_then_confirm_then_complete_stores_minutes_cost_and_attribution(
    hub_case, hub_staff, vietnamese, kurashiki
):
    hub_case.client.residence_municipality = kurashiki
    hub_case.client.save()
    person = InterpreterFactory(languages={"vi": 3}, rate_per_minute=Decimal("45.5"))
    booking = request_booking(case=hub_case, language=vietnamese, by=hub_staff, starts=at(10), ends=at(11))
    assert booking.status == BookingStatus.REQUESTED and booking.interpreter is None
    services.booking_confirm(booking=booking, interpreter=person, by=hub_staff)
    done = services.booking_complete(booking=booking, actual_minutes=50, by=hub_staff)
    done.refresh_from_db()
    assert done.status == BookingStatus.COMPLETED
    assert done.actual_minutes == 50
    assert done.rate_per_minute == Decimal("45.50")
    assert done.cost == Decimal("2275.00")
    assert done.attributed_municipality == kurashiki and not done.attributed_outside_area
    assert AuditEvent.objects.filter(object_type="interpreters.booking", object_id=str(booking.pk)).count() == 3


def test_onsite_booking_gets_the_configured_travel_buffer(hub_case, hub_staff, vietnamese, settings):
    settings.INTERPRETER_TRAVEL_BUFFER_MINUTES = 45
    onsite = request_booking(
        case=hub_case, language=vietnamese, by=hub_staff, starts=at(10), ends=at(11), modality="onsite"
    )
    video = request_booking(case=hub_case, language=vietnamese, by=hub_staff, starts=at(10), ends=at(11))
    assert (onsite.travel_buffer_minutes, video.travel_buffer_minutes) == (45, 0)
    person = InterpreterFactory(languages={"vi": 3})
    services.booking_confirm(booking=onsite, interpreter=person, by=hub_staff)
    late_video = request_booking(case=hub_case, language=vietnamese, by=hub_staff, starts=at(11, 40), ends=at(12))
    with pytest.raises(services.BookingClash):
        services.booking_confirm(booking=late_video, interpreter=person, by=hub_staff)


def test_clash_names_who_when_and_the_case_only_if_the_viewer_may_see_it(
    hub_case, ibara_case, hub_staff, ibara_clerk, vietnamese
):
    person = InterpreterFactory(name="グエン 衝突", languages={"vi": 3})
    held = request_booking(case=hub_case, language=vietnamese, by=hub_staff, starts=at(10), ends=at(11))
    services.booking_confirm(booking=held, interpreter=person, by=hub_staff)
    wanted = request_booking(case=ibara_case, language=vietnamese, by=ibara_clerk, starts=at(10, 30), ends=at(12))
    with pytest.raises(services.BookingClash) as caught:
        services.booking_confirm(booking=wanted, interpreter=person, by=ibara_clerk)
    assert caught.value.clash.pk == held.pk
    # The hub sees the Kurashiki case; the Ibara clerk does not.
    for_hub = describe_clash(caught.value.clash, interpreter=person, user=hub_staff)
    for_ibara = describe_clash(caught.value.clash, interpreter=person, user=ibara_clerk)
    assert "グエン 衝突" in for_hub and "10:00–11:00" in for_hub and hub_case.reference in for_hub
    assert "グエン 衝突" in for_ibara and "10:00–11:00" in for_ibara and hub_case.reference not in for_ibara
    wanted.refresh_from_db()
    assert wanted.status == BookingStatus.REQUESTED and wanted.interpreter is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"languages": {"en": 3}}, "does not speak"),
        ({"languages": {"vi": 1}}, "level"),
        ({"languages": {"vi": 3}, "modalities": ["onsite"]}, "does not offer"),
        ({"languages": {"vi": 3}, "active": False}, "not active"),
    ],
)
def test_confirm_refuses_an_interpreter_who_does_not_fit(hub_case, hub_staff, vietnamese, change, message):
    person = InterpreterFactory(**change)
    booking = request_booking(case=hub_case, language=vietnamese, by=hub_staff, starts=at(10), ends=at(11))
    with pytest.raises(ValidationError) as caught:
        services.booking_confirm(booking=booking, interpreter=person, by=hub_staff)
    assert message in " ".join(caught.value.messages)


def test_confirm_honours_the_clients_exclusion_and_absences(hub_case, hub_staff, vietnamese):
    excluded = InterpreterFactory(languages={"vi": 3})
    services.exclusion_add(client=hub_case.client, interpreter=excluded, note="同じ地域の出身", by=hub_staff)
    booking = request_booking(case=hub_case, language=vietnamese, by=hub_staff, starts=at(10), ends=at(11))
    with pytest.raises(ValidationError, match="asked not to be served"):
        services.booking_confirm(booking=booking, interpreter=excluded, by=hub_staff)
    on_leave = InterpreterFactory(languages={"vi": 3})
    services.absence_add(interpreter=on_leave, kind="leave", starts_at=at(9), ends_at=at(18), note="", by=hub_staff)
    with pytest.raises(ValidationError, match="absent"):
        services.booking_confirm(booking=booking, interpreter=on_leave, by=hub_staff)


def test_cancel_needs_a_reason_and_frees_the_interpreter(hub_case, hub_staff, vietnamese):
    person = InterpreterFactory(languages={"vi": 3})
    booking = request_booking(case=hub_case, language=vietnamese, by=hub_staff, starts=at(10), ends=at(11))
    services.booking_confirm(booking=booking, interpreter=person, by=hub_staff)
    with pytest.raises(ValidationError):
        services.booking_cancel(booking=booking, reason="  ", by=hub_staff)
    services.booking_cancel(booking=booking, reason="相談者の都合", by=hub_staff)
    again = request_booking(case=hub_case, language=vietnamese, by=hub_staff, starts=at(10), ends=at(11))
    assert services.booking_confirm(booking=again, interpreter=person, by=hub_staff).status == "confirmed"


def test_no_show_and_status_rules(hub_case, hub_staff, vietnamese):
    person = InterpreterFactory(languages={"vi": 3})
    booking = request_booking(case=hub_case, language=vietnamese, by=hub_staff, starts=at(10), ends=at(11))
    with pytest.raises(ValidationError):
        services.booking_complete(booking=booking, actual_minutes=30, by=hub_staff)
    with pytest.raises(ValidationError):
        services.booking_no_show(booking=booking, by=hub_staff)
    services.booking_confirm(booking=booking, interpreter=person, by=hub_staff)
    assert services.booking_no_show(booking=booking, by=hub_staff).status == BookingStatus.NO_SHOW
    with pytest.raises(ValidationError):
        services.booking_cancel(booking=booking, reason="x", by=hub_staff)


def test_minutes_and_cost_roll_up_per_municipality_with_outside_the_area_apart(
    hub_desk, ibara_desk, hub_staff, ibara_clerk, vietnamese, kurashiki, ibara, soja
):
    """The cost-share basis: completed bookings summed in SQL by the
    municipality they are attributed to; a resident of a city outside the
    consortium is counted as "outside the area"; an anonymous client goes
    to the municipality of the desk."""
    from tests.factories import MunicipalityFactory

    outside_city = MunicipalityFactory(consortium=None, name_ja="域外市", name_en="Outside City")
    service = InterpreterFactory(kind="remote_service", languages={"vi": 3}, rate_per_minute=Decimal("100"))

    def completed(desk, user, minutes, residence=None, anonymous=False, outside=False):
        client = None
        if not anonymous:
            client = ClientFactory(registered_desk=desk, residence_municipality=residence, lives_outside_area=outside)
        case = CaseFactory(handling_desk=desk, created_by=user, client=client)
        booking = request_booking(case=case, language=vietnamese, by=user, starts=at(10), ends=at(11))
        services.booking_confirm(booking=booking, interpreter=service, by=user)
        services.booking_complete(booking=booking, actual_minutes=minutes, by=user)

    completed(hub_desk, hub_staff, 30, residence=kurashiki)
    completed(hub_desk, hub_staff, 20, residence=soja)  # a 総社市 resident at the hub desk: 総社市 pays
    completed(ibara_desk, ibara_clerk, 15, residence=ibara)
    completed(ibara_desk, ibara_clerk, 10, anonymous=True)
    completed(hub_desk, hub_staff, 40, residence=outside_city)
    completed(hub_desk, hub_staff, 5, outside=True)
    rows = {
        (row["attributed_municipality"], row["attributed_outside_area"]): (row["minutes"], row["cost"], row["n"])
        for row in Booking.objects.filter(status="completed")
        .values("attributed_municipality", "attributed_outside_area")
        .annotate(minutes=Sum("actual_minutes"), cost=Sum("cost"), n=Count("id"))
    }
    assert rows == {
        (kurashiki.pk, False): (30, Decimal("3000.00"), 1),
        (soja.pk, False): (20, Decimal("2000.00"), 1),
        (ibara.pk, False): (25, Decimal("2500.00"), 2),
        (outside_city.pk, True): (40, Decimal("4000.00"), 1),
        (None, True): (5, Decimal("500.00"), 1),
    }


def test_counter_booking_without_case(hub_desk, hub_staff, vietnamese):
    person = InterpreterFactory(languages={"vi": 3}, rate_per_minute=0)
    booking = request_booking(desk=hub_desk, language=vietnamese, by=hub_staff, starts=at(10), ends=at(11))
    services.booking_confirm(booking=booking, interpreter=person, by=hub_staff)
    done = services.booking_complete(booking=booking, actual_minutes=12, by=hub_staff)
    assert done.cost == Decimal("0.00") and done.attributed_municipality == hub_desk.municipality
