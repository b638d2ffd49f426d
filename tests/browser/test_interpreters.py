"""Issue 8 end to end, in Japanese, in a real browser: staff-332020 books a
Vietnamese video interpreter for a consultation; a coordinator's booking of
the same interpreter for an overlapping time is refused with the clash
named; the first booking is completed with minutes and shows on the case
timeline; "who can help now" answers for Nepali on the intake screen; the
calendar reads on a 768 px tablet.  axe finds nothing serious on the new
pages.  Screenshots: test-artifacts/screenshots/test_interpreter_*.png"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from interpreters.models import Booking, BookingStatus
from interpreters.selectors import is_business_day
from tests.browser.conftest import TABLET
from tests.browser.helpers import assert_page_sound

pytestmark = pytest.mark.browser


def _business_day_ahead():
    day = timezone.localdate() + timedelta(days=7)
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def _setup(day):
    from django.contrib.auth import get_user_model

    from consult.models import Language
    from municipalities.models import Desk
    from tests.factories import CaseFactory, ClientFactory, ConsultationFactory, InterpreterFactory

    staff = get_user_model().objects.get(username="staff-332020")
    hub = Desk.objects.get(code="KRS")
    case = CaseFactory(
        handling_desk=hub,
        created_by=staff,
        client=ClientFactory(registered_desk=hub, name="レ・ティ・ホア", name_latin="Le Thi Hoa"),
        reference=f"KRS-2026-{90000 + hub.pk:05d}",
    )
    consultation = ConsultationFactory(
        case=case,
        created_by=staff,
        language=Language.objects.get(code="vi"),
        interpretation_mode="tablet_video",
        occurred_at=datetime.combine(day, time(10, 0), tzinfo=timezone.get_current_timezone()),
    )
    nguyen = InterpreterFactory(
        name="グエン・ヴァン・ナム", languages={"vi": 3}, modalities=["video", "phone"], rate_per_minute=60
    )
    InterpreterFactory(name="タパ・ラム", languages={"ne": 3}, modalities=["onsite", "phone"], rate_per_minute=40)
    return case, consultation, nguyen


def test_interpreter_booking_clash_completion_timeline_and_who_can_help_now(
    live_server, demo_staff, new_page, sign_in, screenshot
):
    day = _business_day_ahead()
    case, consultation, nguyen = _setup(day)

    # --- 1. staff-332020 books from the consultation on the case page ------------------
    staff = new_page(locale="ja-JP")
    sign_in(staff, "staff-332020", demo_staff)
    staff.goto(f"{live_server.url}/cases/{case.pk}/")
    staff.locator(f'[data-testid="book-interpreter-{consultation.pk}"]').click()
    staff.wait_for_url("**/interpreters/bookings/new/**")
    assert staff.locator("#id_modality").input_value() == "video"
    assert staff.locator("#id_start_time").input_value() == "10:00"
    assert_page_sound(staff)
    screenshot(staff, "1-booking-form")
    staff.locator('[data-testid="request-booking"]').click()
    staff.wait_for_url("**/interpreters/bookings/*/")
    first = Booking.objects.get(consultation=consultation)
    assert first.status == BookingStatus.REQUESTED and first.modality == "video"
    suggestion = staff.locator('[data-testid="suggestion"]', has_text="グエン・ヴァン・ナム")
    assert suggestion.count() == 1

    # --- 2. meanwhile a coordinator books the same interpreter, 10:30–11:30 -------------
    coordinator = new_page(locale="ja-JP")
    sign_in(coordinator, "coordinator-332020", demo_staff)
    coordinator.goto(f"{live_server.url}/cases/{case.pk}/")
    coordinator.locator('[data-testid="book-interpreter"]').click()
    coordinator.wait_for_url("**/interpreters/bookings/new/**")
    coordinator.locator("#id_language").select_option(label="Tiếng Việt (ベトナム語)")
    coordinator.locator("#id_modality").select_option("video")
    coordinator.locator("#id_day").fill(day.isoformat())
    coordinator.locator("#id_start_time").fill("10:30")
    coordinator.locator("#id_end_time").fill("11:30")
    coordinator.locator('[data-testid="request-booking"]').click()
    coordinator.wait_for_url("**/interpreters/bookings/*/")
    second = Booking.objects.exclude(pk=first.pk).get(case=case)
    assert coordinator.locator(f'[data-testid="confirm-{nguyen.pk}"]').count() == 1  # still free on this page

    # --- 3. staff confirms first; the coordinator's confirmation is refused ------------
    staff.locator(f'[data-testid="confirm-{nguyen.pk}"]').click()
    staff.wait_for_load_state()
    assert "グエン・ヴァン・ナム さんで確定しました。" in staff.locator(".messages").inner_text()
    assert staff.locator('[data-testid="booking-status"]').inner_text() == "確定"
    screenshot(staff, "2-confirmed")

    coordinator.locator(f'[data-testid="confirm-{nguyen.pk}"]').click()
    coordinator.wait_for_load_state()
    refusal = coordinator.locator(".message--error").inner_text()
    assert "確定できませんでした" in refusal
    assert "グエン・ヴァン・ナム" in refusal and "10:00–11:00" in refusal and case.reference in refusal
    assert coordinator.locator('[data-testid="booking-status"]').inner_text() == "依頼中"
    # The fresh suggestions now say why she is not offered.
    assert "10:00–11:00" in coordinator.locator('[data-testid="not-offered"]').inner_text()
    assert_page_sound(coordinator)
    screenshot(coordinator, "3-clash-refused")
    second.refresh_from_db()
    assert second.status == BookingStatus.REQUESTED and second.interpreter is None

    # --- 4. completed with minutes; on the timeline --------------------------------------
    staff.locator("#id_actual_minutes").fill("50")
    staff.locator('[data-testid="complete"]').click()
    staff.wait_for_load_state()
    assert staff.locator('[data-testid="booking-status"]').inner_text() == "実施済"
    assert staff.locator('[data-testid="booking-minutes"]').inner_text() == "50"
    assert "3,000" in staff.locator('[data-testid="booking-cost"]').inner_text()
    assert_page_sound(staff)
    screenshot(staff, "4-completed")
    first.refresh_from_db()
    assert (first.status, first.actual_minutes, first.cost) == ("completed", 50, 3000)

    staff.goto(f"{live_server.url}/cases/{case.pk}/")
    entry = staff.locator('[data-testid="timeline-booking"]', has_text="グエン・ヴァン・ナム")
    assert entry.count() == 1
    assert entry.locator('[data-testid="timeline-booking-minutes"]').inner_text() == "50"
    assert "実施済" in entry.inner_text()
    screenshot(staff, "5-timeline")

    # --- 5. "who can help now" for Nepali on the intake screen -----------------------------
    staff.goto(f"{live_server.url}/consultations/new/")
    staff.keyboard.type("ねぱーる")
    panel = staff.locator('[data-testid="intake-panel-who-can-help-now"]')
    panel.locator('[data-testid="means-onsite"]', has_text="タパ・ラム").wait_for()
    assert "タパ・ラム" in panel.locator('[data-testid="means-phone"]').inner_text()
    assert "対応できる人なし" in panel.locator('[data-testid="means-video"]').inner_text()
    screenshot(staff, "6-who-can-help-now-nepali")

    # --- 6. the new pages, and the calendar on a 768 px tablet ---------------------------
    staff.goto(f"{live_server.url}/interpreters/")
    assert_page_sound(staff)
    screenshot(staff, "7-roster")
    staff.goto(f"{live_server.url}/interpreters/{nguyen.pk}/")
    assert_page_sound(staff)
    tablet = new_page(locale="ja-JP", viewport=TABLET)
    sign_in(tablet, "staff-332020", demo_staff)
    tablet.goto(f"{live_server.url}/interpreters/{nguyen.pk}/calendar/?date={day.isoformat()}")
    assert tablet.locator('[data-testid="calendar-booking"]').count() == 1
    assert_page_sound(tablet)
    screenshot(tablet, "8-calendar-tablet")
    tablet.goto(
        f"{live_server.url}/interpreters/desks/{case.handling_desk_id}/calendar/?view=day&date={day.isoformat()}"
    )
    assert tablet.locator('[data-testid="calendar-booking"]').count() == 2
    assert_page_sound(tablet)
    screenshot(tablet, "9-desk-day-tablet")
    tablet.goto(f"{live_server.url}/interpreters/now/")
    assert_page_sound(tablet)
