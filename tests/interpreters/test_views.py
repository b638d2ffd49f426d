"""Views under /interpreters/: owner works, permitted member works,
outsider 404, read-only 403, wrong method 405 (CONVENTIONS "Tests")."""

from datetime import timedelta

import pytest
from django.urls import reverse

from interpreters import services
from interpreters.models import Booking, BookingStatus, Interpreter
from tests.factories import ConsultationFactory, InterpreterFactory, as_user
from tests.interpreters.conftest import at, request_booking

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"interpreters:{name}", args=args)


@pytest.fixture
def hub_booking(hub_case, hub_staff, vietnamese):
    return request_booking(case=hub_case, language=vietnamese, by=hub_staff, starts=at(10), ends=at(11))


@pytest.fixture
def ibara_booking(ibara_case, ibara_clerk, vietnamese):
    return request_booking(case=ibara_case, language=vietnamese, by=ibara_clerk, starts=at(10), ends=at(11))


# --- the roster ---------------------------------------------------------------------
def test_roster_is_seen_by_case_workers_of_the_consortium_only(
    client, vi_interpreter, hub_staff, ibara_clerk, ibara_stats, outsider, second_consortium
):
    for user in (hub_staff, ibara_clerk):
        as_user(client, user)
        response = client.get(url("interpreter_list"))
        assert response.status_code == 200 and "グエン テスト" in response.text
        assert client.get(url("interpreter_detail", vi_interpreter.pk)).status_code == 200
    for user in (ibara_stats, outsider, second_consortium["staff"]):
        as_user(client, user)
        assert client.get(url("interpreter_detail", vi_interpreter.pk)).status_code == 404
    as_user(client, second_consortium["staff"])
    assert "グエン テスト" not in client.get(url("interpreter_list")).text
    as_user(client, outsider)
    assert client.get(url("interpreter_list")).status_code == 404


def test_roster_edit_is_for_coordinators(client, vi_interpreter, coordinator, hub_staff, outsider, vietnamese):
    as_user(client, hub_staff)
    assert client.get(url("interpreter_edit", vi_interpreter.pk)).status_code == 403
    assert client.get(url("interpreter_create")).status_code == 403
    as_user(client, outsider)
    assert client.get(url("interpreter_edit", vi_interpreter.pk)).status_code == 404
    as_user(client, coordinator)
    assert client.get(url("interpreter_create")).status_code == 200
    data = {
        "kind": "interpreter",
        "name": "テスト 新人",
        "modalities": ["onsite", "phone"],
        "rate_per_minute": "40",
        "business_days_only": "on",
        "active": "on",
        "languages-TOTAL_FORMS": "1",
        "languages-INITIAL_FORMS": "0",
        "languages-0-language": str(vietnamese.pk),
        "languages-0-level": "2",
        "slots-TOTAL_FORMS": "1",
        "slots-INITIAL_FORMS": "0",
        "slots-0-weekday": "0",
        "slots-0-starts": "09:00",
        "slots-0-ends": "12:00",
    }
    response = client.post(url("interpreter_create"), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    created = Interpreter.objects.get(name="テスト 新人")
    assert created.consortium.code == "takahashi-river-basin"
    assert list(created.languages.values_list("level", flat=True)) == [2]
    assert created.weekly_slots.get().starts.hour == 9
    assert (
        client.post(
            url("interpreter_edit", created.pk), {**data, "name": "テスト 改名", "languages-0-language": ""}
        ).status_code
        == 302
    )
    created.refresh_from_db()
    assert created.name == "テスト 改名"


def test_absence_is_post_only_and_for_coordinators(client, vi_interpreter, coordinator, hub_staff):
    data = {"kind": "leave", "day": "2026-12-09", "start_time": "08:30", "end_time": "17:15", "note": ""}
    as_user(client, hub_staff)
    assert client.post(url("absence_add", vi_interpreter.pk), data).status_code == 403
    as_user(client, coordinator)
    assert client.get(url("absence_add", vi_interpreter.pk)).status_code == 405
    assert client.post(url("absence_add", vi_interpreter.pk), data).status_code == 302
    assert vi_interpreter.exceptions.count() == 1


# --- bookings -------------------------------------------------------------------------
def test_booking_from_a_consultation_prefills_and_requests(client, hub_case, hub_staff, vietnamese):
    consultation = ConsultationFactory(case=hub_case, interpretation_mode="tablet_video", occurred_at=at(10))
    as_user(client, hub_staff)
    page = client.get(url("booking_create") + f"?consultation={consultation.pk}")
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["modality"] == "video" and form.initial["language"] == vietnamese.pk
    response = client.post(
        url("booking_create"),
        {
            "consultation": consultation.pk,
            "language": vietnamese.pk,
            "modality": "video",
            "min_level": "2",
            "day": "2026-12-09",
            "start_time": "10:00",
            "end_time": "10:45",
        },
    )
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == booking.get_absolute_url()
    assert booking.consultation == consultation and booking.case == hub_case and booking.desk == hub_case.handling_desk
    assert booking.ends_at - booking.starts_at == timedelta(minutes=45)


def test_booking_for_a_case_outside_scope_is_404(client, ibara_case, hub_case, ibara_clerk):
    as_user(client, ibara_clerk)
    assert client.get(url("booking_create") + f"?case={hub_case.pk}").status_code == 404
    assert client.get(url("booking_create") + f"?case={ibara_case.pk}").status_code == 200


def test_booking_visibility_follows_the_case(
    client, hub_booking, ibara_booking, hub_staff, ibara_clerk, soja_clerk, ibara_stats, outsider
):
    as_user(client, ibara_clerk)
    assert client.get(url("booking_detail", ibara_booking.pk)).status_code == 200
    assert client.get(url("booking_detail", hub_booking.pk)).status_code == 404
    listed = client.get(url("booking_list")).context["bookings"]
    assert [b.pk for b in listed] == [ibara_booking.pk]
    # The hub sees the whole consortium.
    as_user(client, hub_staff)
    assert client.get(url("booking_detail", ibara_booking.pk)).status_code == 200
    for user in (soja_clerk, ibara_stats, outsider):
        as_user(client, user)
        assert client.get(url("booking_detail", ibara_booking.pk)).status_code == 404
        assert client.post(url("booking_cancel", ibara_booking.pk), {"reason": "x"}).status_code == 404


@pytest.mark.parametrize("name", ["booking_confirm", "booking_complete", "booking_cancel", "booking_no_show"])
def test_state_changes_are_post_only(client, hub_booking, hub_staff, name):
    as_user(client, hub_staff)
    assert client.get(url(name, hub_booking.pk)).status_code == 405


def test_confirm_complete_through_the_pages(client, hub_booking, hub_staff, vi_interpreter):
    as_user(client, hub_staff)
    page = client.get(url("booking_detail", hub_booking.pk))
    assert [c.interpreter for c in page.context["suggestions"].offered] == [vi_interpreter]
    response = client.post(url("booking_confirm", hub_booking.pk), {"interpreter": vi_interpreter.pk}, follow=True)
    assert "グエン テスト" in response.text
    hub_booking.refresh_from_db()
    assert hub_booking.status == BookingStatus.CONFIRMED and hub_booking.interpreter == vi_interpreter
    client.post(url("booking_complete", hub_booking.pk), {"actual_minutes": "55"})
    hub_booking.refresh_from_db()
    assert hub_booking.status == BookingStatus.COMPLETED and hub_booking.actual_minutes == 55
    assert hub_booking.cost == 55 * vi_interpreter.rate_per_minute
    # The cost as every money figure of the portal shows it (core/templatetags/numbers.py `yen`).
    shown = client.get(url("booking_detail", hub_booking.pk)).text
    expected_cost = f"¥{round(hub_booking.cost):,}"
    assert f'data-testid="booking-cost">{expected_cost} ' in shown


# What the scanner (tests/security/test_scan.py) sends into a booking's forms.
SCANNER_INPUT = [
    '"><script>alert(1)</script>',
    "../../../../etc/passwd\x00",
    ";cat /etc/passwd",
    "' OR '1'='1",
    "${{7*7}}",
    "http://www.google.fr\r\nwapiti: 3.3.2 version",
    "9" * 5000,
    "1441",
    "-1",
    "",
    ["abc", ""],
]


@pytest.mark.parametrize("value", SCANNER_INPUT, ids=range(len(SCANNER_INPUT)))
def test_scanner_input_into_the_booking_forms_is_refused_not_a_server_error(
    client, hub_booking, hub_staff, coordinator, vi_interpreter, value
):
    """Whatever goes into the booking's forms, the answer is the booking page
    with a message, and the booking is unchanged.  (The scan's 500 on
    POST …/complete/ was not the input but a race with a confirmation:
    test_concurrency.py.)"""
    services.booking_confirm(booking=hub_booking, interpreter=vi_interpreter, by=coordinator)
    as_user(client, hub_staff)
    for name, field in [
        ("booking_complete", "actual_minutes"),
        ("booking_cancel", "reason"),
        ("booking_confirm", "interpreter"),
        ("booking_exclude", "interpreter"),
    ]:
        if name == "booking_cancel" and isinstance(value, str) and value.strip():
            continue  # any non-empty reason is a reason
        response = client.post(url(name, hub_booking.pk), {field: value})
        assert response.status_code == 302 and response.url == hub_booking.get_absolute_url(), name
        hub_booking.refresh_from_db()
        assert hub_booking.status == BookingStatus.CONFIRMED and hub_booking.actual_minutes is None, name
        assert hub_booking.interpreter == vi_interpreter, name
    assert client.get(url("booking_detail", hub_booking.pk)).status_code == 200


def test_a_clash_is_refused_with_the_clash_named(client, hub_case, hub_staff, coordinator, vi_interpreter, vietnamese):
    first = request_booking(case=hub_case, language=vietnamese, by=hub_staff, starts=at(10), ends=at(11))
    second = request_booking(case=hub_case, language=vietnamese, by=hub_staff, starts=at(10, 30), ends=at(11, 30))
    services.booking_confirm(booking=first, interpreter=vi_interpreter, by=coordinator)
    as_user(client, hub_staff)
    response = client.post(url("booking_confirm", second.pk), {"interpreter": vi_interpreter.pk}, follow=True)
    text = response.text
    assert "グエン テスト" in text and "10:00–11:00" in text and hub_case.reference in text
    second.refresh_from_db()
    assert second.status == BookingStatus.REQUESTED


def test_cancel_and_no_show(client, hub_booking, hub_staff, vi_interpreter):
    as_user(client, hub_staff)
    client.post(url("booking_cancel", hub_booking.pk), {"reason": ""})
    hub_booking.refresh_from_db()
    assert hub_booking.status == BookingStatus.REQUESTED
    client.post(url("booking_cancel", hub_booking.pk), {"reason": "相談者の都合"})
    hub_booking.refresh_from_db()
    assert hub_booking.status == BookingStatus.CANCELLED and hub_booking.cancel_reason == "相談者の都合"


def test_exclusion_from_the_booking_page(client, hub_booking, hub_staff, vi_interpreter):
    as_user(client, hub_staff)
    client.post(url("booking_exclude", hub_booking.pk), {"interpreter": vi_interpreter.pk, "note": ""})
    page = client.get(url("booking_detail", hub_booking.pk))
    assert page.context["suggestions"].offered == []
    assert "相談者がこの通訳者を希望していません" in page.context["suggestions"].not_offered[0].reasons


# --- who can help now and calendars -------------------------------------------------------
def test_who_can_help_now_fragment(client, hub_staff, outsider, nepali):
    InterpreterFactory(name="ネパール 通訳", languages={"ne": 3}, modalities=["phone"])
    as_user(client, hub_staff)
    response = client.get(url("who_can_help_now") + f"?language={nepali.pk}", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text and "ネパール 通訳" in response.text
    assert client.get(url("who_can_help_now")).status_code == 200
    assert client.post(url("who_can_help_now")).status_code == 405
    as_user(client, outsider)
    assert client.get(url("who_can_help_now") + f"?language={nepali.pk}").status_code == 404


def test_calendars(
    client, hub_case, hub_staff, ibara_clerk, outsider, vi_interpreter, vietnamese, hub_desk, ibara_desk
):
    booking = request_booking(case=hub_case, language=vietnamese, by=hub_staff, starts=at(10), ends=at(11))
    services.booking_confirm(booking=booking, interpreter=vi_interpreter, by=hub_staff)
    as_user(client, hub_staff)
    week = client.get(url("interpreter_calendar", vi_interpreter.pk) + "?date=2026-12-09")
    assert week.status_code == 200 and hub_case.reference in week.text and len(week.context["days"]) == 7
    day = client.get(url("desk_calendar", hub_desk.pk) + "?view=day&date=2026-12-09")
    assert day.status_code == 200 and len(day.context["days"]) == 1 and "グエン テスト" in day.text
    # A partner clerk sees that the interpreter is busy, not which case.
    as_user(client, ibara_clerk)
    week = client.get(url("interpreter_calendar", vi_interpreter.pk) + "?date=2026-12-09")
    assert hub_case.reference not in week.text and 'data-testid="calendar-busy"' in week.text
    assert client.get(url("desk_calendar", hub_desk.pk)).status_code == 404
    assert client.get(url("desk_calendar", ibara_desk.pk)).status_code == 200
    as_user(client, outsider)
    assert client.get(url("interpreter_calendar", vi_interpreter.pk)).status_code == 404


def test_home_page_loads_who_can_help_now_through_the_panel_registry(client, hub_staff, ibara_stats, nepali):
    """core sits below interpreters: the home page names no interpreters URL
    itself; the app registers a panel and the page loads it with htmx."""
    as_user(client, hub_staff)
    home = client.get(reverse("home"))
    panel_url = url("who_can_help_now") + "?slot=home"
    assert f'hx-get="{panel_url}"' in home.text
    panel = client.get(panel_url + f"&language={nepali.pk}", headers={"HX-Request": "true"})
    assert panel.status_code == 200 and 'data-testid="home-now-language"' in panel.text
    assert 'data-testid="means-onsite"' in panel.text
    # A statistics viewer works no cases: no panel.
    as_user(client, ibara_stats)
    assert "who_can_help_now" not in client.get(reverse("home")).text
    assert "/interpreters/now/" not in client.get(reverse("home")).text


def test_bookings_show_on_the_case_timeline_through_the_consult_registry(
    client, hub_case, hub_staff, ibara_clerk, vi_interpreter, vietnamese
):
    consultation = ConsultationFactory(case=hub_case, occurred_at=at(9))
    booking = request_booking(
        consultation=consultation, case=hub_case, language=vietnamese, by=hub_staff, starts=at(10), ends=at(11)
    )
    services.booking_confirm(booking=booking, interpreter=vi_interpreter, by=hub_staff)
    services.booking_complete(booking=booking, actual_minutes=42, by=hub_staff)
    as_user(client, hub_staff)
    page = client.get(reverse("consult:case_detail", args=[hub_case.pk]))
    text = page.text
    assert 'data-testid="timeline-booking"' in text and "グエン テスト" in text
    assert 'data-testid="timeline-booking-minutes">42<' in text
    # Shown once, as a booking — not again as generic "changes" from the audit trail.
    assert [e.kind for e in page.context["timeline"]].count("change") == 0
    assert f"{url('booking_create')}?case={hub_case.pk}" in text
    assert f"{url('booking_create')}?consultation={consultation.pk}" in text


def test_intake_screen_loads_who_can_help_now_for_the_picked_language(client, hub_staff, nepali):
    InterpreterFactory(name="ネパール 通訳", languages={"ne": 3}, modalities=["onsite"])
    as_user(client, hub_staff)
    page = client.get(reverse("consult:consultation_new"))
    fragment_url = url("who_can_help_now") + "?slot=intake"
    assert f'hx-get="{fragment_url}"' in page.text and 'hx-include="#id_language"' in page.text
    # htmx appends the picked language to the panel's URL.
    fragment = client.get(fragment_url + f"&language={nepali.pk}", headers={"HX-Request": "true"})
    assert "ネパール 通訳" in fragment.text and "<select" not in fragment.text


def test_a_confirmed_booking_offers_others_not_its_own_interpreter(client, hub_booking, hub_staff, vi_interpreter):
    other = InterpreterFactory(name="ファム テスト", languages={"vi": 3})
    services.booking_confirm(booking=hub_booking, interpreter=vi_interpreter, by=hub_staff)
    as_user(client, hub_staff)
    suggestions = client.get(url("booking_detail", hub_booking.pk)).context["suggestions"]
    assert [c.interpreter for c in suggestions.offered] == [other]
    assert vi_interpreter not in [c.interpreter for c in suggestions.not_offered]
    assert suggestions.offered[0].load == 0
