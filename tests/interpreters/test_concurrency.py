"""Two coordinators confirming the same interpreter at the same moment:
real PostgreSQL, two threads, two connections — exactly one wins."""

import threading

import pytest
from django.db import connection, transaction

from interpreters import services
from interpreters.models import Booking, BookingStatus
from tests.factories import InterpreterFactory
from tests.interpreters.conftest import at, request_booking

pytestmark = [pytest.mark.django_db(transaction=True)]


def _run_in_thread(target, results, key):
    def wrapper():
        try:
            results[key] = target()
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread got
            results[key] = error
        finally:
            connection.close()

    thread = threading.Thread(target=wrapper)
    thread.start()
    return thread


def test_two_threads_confirming_at_once_exactly_one_wins(hub_case, hub_staff, coordinator, vietnamese):
    person = InterpreterFactory(languages={"vi": 3})
    first = request_booking(case=hub_case, language=vietnamese, by=hub_staff, starts=at(10), ends=at(11))
    second = request_booking(case=hub_case, language=vietnamese, by=hub_staff, starts=at(10, 30), ends=at(11, 30))
    barrier = threading.Barrier(2)
    results = {}

    def confirm(booking, user):
        def go():
            barrier.wait(timeout=10)
            return services.booking_confirm(booking=booking, interpreter=person, by=user)

        return go

    threads = [
        _run_in_thread(confirm(first, hub_staff), results, "first"),
        _run_in_thread(confirm(second, coordinator), results, "second"),
    ]
    for thread in threads:
        thread.join(timeout=30)
    outcomes = sorted(type(r).__name__ for r in results.values())
    assert outcomes == ["Booking", "BookingClash"], results
    clash = next(r for r in results.values() if isinstance(r, services.BookingClash))
    winner = next(r for r in results.values() if isinstance(r, Booking))
    assert clash.clash is not None and clash.clash.pk == winner.pk
    assert Booking.objects.filter(interpreter=person, status=BookingStatus.CONFIRMED).count() == 1
    assert Booking.objects.get(pk=clash.booking.pk).status == BookingStatus.REQUESTED


def test_the_second_confirmation_waits_for_the_first_and_then_loses(hub_case, hub_staff, coordinator, vietnamese):
    """Deterministic version: the first transaction stays open while the
    second tries; the second is blocked by the database (not by Python) and
    fails as soon as the first commits."""
    person = InterpreterFactory(languages={"vi": 3})
    first = request_booking(case=hub_case, language=vietnamese, by=hub_staff, starts=at(10), ends=at(11))
    second = request_booking(case=hub_case, language=vietnamese, by=hub_staff, starts=at(10, 30), ends=at(11, 30))
    confirmed, release = threading.Event(), threading.Event()
    results = {}

    def hold_first():
        with transaction.atomic():
            booking = services.booking_confirm(booking=first, interpreter=person, by=hub_staff)
            confirmed.set()
            release.wait(timeout=10)
        return booking

    def confirm_second():
        confirmed.wait(timeout=10)
        return services.booking_confirm(booking=second, interpreter=person, by=coordinator)

    holder = _run_in_thread(hold_first, results, "first")
    contender = _run_in_thread(confirm_second, results, "second")
    confirmed.wait(timeout=10)
    contender.join(timeout=1.0)
    assert contender.is_alive(), "the second confirmation must wait for the first transaction"
    release.set()
    holder.join(timeout=10)
    contender.join(timeout=10)
    assert isinstance(results["first"], Booking)
    assert isinstance(results["second"], services.BookingClash)
    assert results["second"].clash.pk == first.pk


def test_completing_while_the_interpreter_is_changed_waits_and_charges_the_new_one(
    hub_case, hub_staff, coordinator, vietnamese
):
    """The scan's 500 on POST …/complete/: "complete" arrived while "confirm"
    (another interpreter) held the booking's row.  After the wait PostgreSQL
    re-checks the locked row and its joins: the interpreter joined in the
    same FOR UPDATE query no longer matched and came back as None
    (AttributeError on its rate).  Completing must wait, then use the
    interpreter the booking has now."""
    first = InterpreterFactory(languages={"vi": 3}, rate_per_minute=50)
    second = InterpreterFactory(languages={"vi": 3}, rate_per_minute=80)
    booking = request_booking(case=hub_case, language=vietnamese, by=hub_staff, starts=at(10), ends=at(11))
    services.booking_confirm(booking=booking, interpreter=first, by=coordinator)
    changed, release = threading.Event(), threading.Event()
    results = {}

    def change_interpreter():
        with transaction.atomic():
            services.booking_confirm(booking=booking, interpreter=second, by=coordinator)
            changed.set()
            release.wait(timeout=10)

    def complete():
        changed.wait(timeout=10)
        return services.booking_complete(booking=booking, actual_minutes=30, by=hub_staff)

    holder = _run_in_thread(change_interpreter, results, "confirm")
    contender = _run_in_thread(complete, results, "complete")
    changed.wait(timeout=10)
    contender.join(timeout=1.0)
    assert contender.is_alive(), "completing must wait for the confirmation's transaction"
    release.set()
    holder.join(timeout=10)
    contender.join(timeout=10)
    assert isinstance(results["complete"], Booking), results["complete"]
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COMPLETED and booking.interpreter == second
    assert booking.rate_per_minute == 80 and booking.cost == 30 * 80
