"""Interpreter booking reminders: the business day before a confirmed
booking → the interpreter (by e-mail, in their language, without client
data) and the booking desk; a booking still requested 24 hours before it
starts → the booking desk.  Each once, in business days."""

import datetime as dt

import pytest
from django.core import mail

from interpreters import services
from interpreters.models import Booking
from interpreters.reminders import BOOKING_DAY_BEFORE, BOOKING_UNCONFIRMED
from notifications import services as notification_services
from notifications.models import Channel, Notification, State
from notifications.producers import run_producers
from tests.factories import InterpreterFactory
from tests.interpreters.conftest import request_booking
from tests.notifications.conftest import tokyo

pytestmark = pytest.mark.django_db

KINDS = [BOOKING_DAY_BEFORE, BOOKING_UNCONFIRMED]


@pytest.fixture
def interpreter(reference_data):
    return InterpreterFactory(
        name="グエン テスト", languages={"vi": 3}, email="nguyen@example.invalid", email_language="en"
    )


@pytest.fixture
def book(hub_case, hub_staff, vietnamese):
    hub_case.assignee = hub_staff
    hub_case.save(update_fields=["assignee"])

    def make(starts: dt.datetime, *, interpreter=None, by=hub_staff) -> Booking:
        booking = request_booking(
            case=hub_case, language=vietnamese, by=by, starts=starts, ends=starts + dt.timedelta(hours=1)
        )
        if interpreter is not None:
            booking = services.booking_confirm(booking=booking, interpreter=interpreter, by=by)
        return booking

    return make


def _rows(kind):
    return list(Notification.objects.filter(kind=kind).order_by("recipient_id", "to_address"))


@pytest.mark.parametrize(
    ("starts", "not_yet", "day_before"),
    [
        (tokyo(2027, 5, 11, 10), tokyo(2027, 5, 9, 23, 59), tokyo(2027, 5, 10, 0, 1)),  # Tue → Mon
        (tokyo(2027, 5, 10, 10), tokyo(2027, 5, 6, 23, 59), tokyo(2027, 5, 7, 0, 1)),  # Mon → Fri
        (tokyo(2027, 5, 6, 14), tokyo(2027, 4, 29, 23, 59), tokyo(2027, 4, 30, 0, 1)),  # after Golden Week → 4/30
        (tokyo(2027, 1, 4, 9), tokyo(2026, 12, 27, 23), tokyo(2026, 12, 28, 7)),  # after the year-end closure → 12/28
    ],
)
def test_the_business_day_before_tells_the_interpreter_and_the_booking_desk_once(
    book, interpreter, hub_staff, starts, not_yet, day_before
):
    booking = book(starts, interpreter=interpreter)
    assert run_producers(now=not_yet, only=KINDS) == 0
    assert run_producers(now=day_before, only=KINDS) == 2
    assert run_producers(now=day_before + dt.timedelta(hours=5), only=KINDS) == 0
    external, staff = sorted(_rows(BOOKING_DAY_BEFORE), key=lambda r: r.recipient_id or 0)
    assert (external.recipient_id, external.to_address, external.language, external.channel) == (
        None,
        "nguyen@example.invalid",
        "en",
        Channel.EMAIL,
    )
    assert staff.recipient_id == hub_staff.pk  # who requested it and the case's assignee (one person here)
    assert {external.subject_object, staff.subject_object} == {booking}
    assert _rows(BOOKING_UNCONFIRMED) == []


def test_the_interpreters_email_is_in_their_language_without_client_data(book, interpreter, hub_case):
    book(tokyo(2027, 5, 11, 10), interpreter=interpreter)
    run_producers(now=tokyo(2027, 5, 10, 9), only=[BOOKING_DAY_BEFORE])
    row = Notification.objects.get(kind=BOOKING_DAY_BEFORE, recipient__isnull=True)
    assert notification_services.notification_deliver(notification_id=row.pk, now=tokyo(2027, 5, 10, 9, 1)) == "sent"
    (message,) = mail.outbox
    assert message.to == ["nguyen@example.invalid"]
    assert message.subject.startswith("Interpreter booking on 2027-05-11 10:00")
    assert "If you cannot come" in message.body
    assert hub_case.reference not in message.body and "/cases/" not in message.body
    assert not hub_case.client.name or hub_case.client.name not in message.body


@pytest.mark.parametrize(
    ("language", "contact", "staff_footer"),
    [
        (
            "ja",
            "この通訳手配についてのお問い合わせ：倉敷市役所本庁舎1階 外国人相談窓口（電話 086-000-4711）",
            "通知の種類ごと",
        ),
        (
            "en",
            "Questions about this booking: Kurashiki City Hall 1F Foreign Residents' Consultation Desk, phone 086-000-4711.",
            "You can choose how each kind",
        ),
    ],
)
def test_the_interpreters_email_names_the_desk_to_call_not_a_portal_page(
    book, interpreter, hub_desk, hub_staff, language, contact, staff_footer
):
    """The interpreter has no account: the footer names the booking desk and
    its phone instead of the notifications page they cannot open; the desk's
    staff keep the link to their notification settings."""
    hub_desk.phone = "086-000-4711"
    hub_desk.save(update_fields=["phone"])
    interpreter.email_language = language
    interpreter.save(update_fields=["email_language"])
    hub_staff.ui_language = language
    hub_staff.save(update_fields=["ui_language"])
    book(tokyo(2027, 5, 11, 10), interpreter=interpreter)
    run_producers(now=tokyo(2027, 5, 10, 9), only=[BOOKING_DAY_BEFORE])
    for row in _rows(BOOKING_DAY_BEFORE):
        notification_services.notification_deliver(notification_id=row.pk, now=tokyo(2027, 5, 10, 9, 1))
    to_interpreter = next(m for m in mail.outbox if m.to == ["nguyen@example.invalid"])
    to_staff = next(m for m in mail.outbox if m.to != ["nguyen@example.invalid"])
    html = to_interpreter.alternatives[0][0]
    for text in (to_interpreter.body, html):
        assert contact in " ".join(text.replace("&#x27;", "'").split())
        assert "/notifications/" not in text and staff_footer not in text
    assert "/notifications/" in to_staff.body and staff_footer in to_staff.body
    assert "086-000-4711" not in to_staff.body


def test_a_moved_or_cancelled_booking_is_not_reminded_about_the_old_time(book, interpreter, hub_staff):
    booking = book(tokyo(2027, 5, 11, 10), interpreter=interpreter)
    run_producers(now=tokyo(2027, 5, 10, 9), only=[BOOKING_DAY_BEFORE])
    Booking.objects.filter(pk=booking.pk).update(
        starts_at=tokyo(2027, 5, 12, 10), ends_at=tokyo(2027, 5, 12, 11)
    )  # moved a day later
    for row in _rows(BOOKING_DAY_BEFORE):
        notification_services.notification_deliver(notification_id=row.pk, now=tokyo(2027, 5, 10, 9, 1))
    assert mail.outbox == []
    assert {r.state for r in _rows(BOOKING_DAY_BEFORE)} == {State.CANCELLED}
    run_producers(now=tokyo(2027, 5, 11, 9), only=[BOOKING_DAY_BEFORE])
    assert len(_rows(BOOKING_DAY_BEFORE)) == 4  # the new time is a new occurrence


def test_a_booking_still_requested_24_hours_before_tells_the_booking_desk(book, hub_staff, coordinator, interpreter):
    booking = book(tokyo(2027, 5, 11, 10))
    assert run_producers(now=tokyo(2027, 5, 10, 9, 59), only=KINDS) == 0  # 24 h 1 min before
    run_producers(now=tokyo(2027, 5, 10, 10, 0), only=KINDS)
    run_producers(now=tokyo(2027, 5, 10, 15, 0), only=KINDS)
    assert sorted(r.recipient_id for r in _rows(BOOKING_UNCONFIRMED)) == sorted([hub_staff.pk, coordinator.pk])
    assert _rows(BOOKING_DAY_BEFORE) == []  # not confirmed: nobody to remind yet
    services.booking_confirm(booking=booking, interpreter=interpreter, by=hub_staff)
    row = _rows(BOOKING_UNCONFIRMED)[0]
    assert notification_services.notification_deliver(notification_id=row.pk, now=tokyo(2027, 5, 10, 15, 1)) == (
        "cancelled"
    )


def test_past_completed_or_cancelled_bookings_remind_nobody(book, interpreter, hub_staff):
    cancelled = book(tokyo(2027, 5, 11, 10), interpreter=interpreter)
    services.booking_cancel(booking=cancelled, reason="本人の都合", by=hub_staff)
    book(tokyo(2027, 5, 11, 14))  # requested, but more than 24 h away
    assert run_producers(now=tokyo(2027, 5, 10, 9), only=KINDS) == 0
    assert run_producers(now=tokyo(2027, 5, 11, 15), only=KINDS) == 0  # both in the past by then


def test_the_interpreter_form_has_the_email_and_its_language(client, coordinator, interpreter):
    from django.urls import reverse

    from tests.factories import as_user

    as_user(client, coordinator)
    page = client.get(reverse("interpreters:interpreter_edit", args=[interpreter.pk]))
    assert page.status_code == 200
    assert 'name="email"' in page.text and 'name="email_language"' in page.text
