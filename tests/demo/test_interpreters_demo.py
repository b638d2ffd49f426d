"""The demo roster and bookings (demo/interpreters.py) and the benchmark
command (bench_interpreters) at a tiny size."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Count

from demo.interpreters import seed_demo_interpreters
from demo.management.commands.bench_interpreters import Command as BenchInterpreters
from interpreters.models import Booking, BookingStatus, Interpreter

pytestmark = pytest.mark.django_db


def test_demo_roster_and_bookings_in_every_state_and_idempotent(consortium, coordinator, hub_desk):
    from tests.factories import CaseFactory, ClientFactory

    for n in range(5):
        CaseFactory(
            handling_desk=hub_desk,
            created_by=coordinator,
            client=ClientFactory(registered_desk=hub_desk, name=f"デモ {n}"),
        )
    today = date(2026, 12, 9)
    result = seed_demo_interpreters(consortium=consortium, by=coordinator, today=today)
    kinds = dict(Interpreter.objects.values_list("kind").annotate(n=Count("id")))
    assert kinds == {"counsellor": 4, "remote_service": 1, "interpreter": 3}
    service = Interpreter.objects.get(kind="remote_service")
    assert service.languages.count() >= 12 and service.weekly_slots.exists() and service.rate_per_minute > 0
    statuses = set(Booking.objects.values_list("status", flat=True))
    assert statuses == {s.value for s in BookingStatus}
    completed = Booking.objects.filter(status="completed")
    assert all(b.actual_minutes and b.cost is not None and b.attributed_municipality_id for b in completed)
    assert result.bookings_added == Booking.objects.count() > 50
    again = seed_demo_interpreters(consortium=consortium, by=coordinator, today=today)
    assert (again.interpreters_added, again.bookings_added) == (0, 0)


@pytest.mark.table_owner  # the benchmark's ANALYZE is owner work
def test_bench_interpreters_runs_at_a_tiny_size(reference_data, kurashiki):
    out = io.StringIO()
    call_command(BenchInterpreters(), interpreters=20, bookings=400, repeat=5, stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "suggestions: p50" in text and "who can help now: p50" in text
    assert Interpreter.objects.filter(name__startswith="BENCH ").count() == 20
    assert Booking.objects.filter(requested_by__username="bench-interpreters-staff").count() == 400
    assert "EXPLAIN ANALYZE" in text and "Execution Time" in text


def test_seed_demo_with_interpreters(reference_data):
    out = io.StringIO()
    call_command("seed_demo", cases=20, interpreters=True, stdout=out)
    assert "Demo interpreters: 8 added" in out.getvalue()
    assert Booking.objects.filter(case__isnull=False).exists()
    call_command("seed_demo", interpreters=True, stdout=out)
    assert "Demo interpreters: 0 added, 0 bookings added" in out.getvalue()


@pytest.mark.table_owner  # the benchmark's ANALYZE is owner work
def test_bench_interpreters_is_a_management_command(reference_data):
    out = io.StringIO()
    call_command("bench_interpreters", interpreters=10, bookings=100, repeat=3, stdout=out, stderr=io.StringIO())
    assert "who can help now: p50" in out.getvalue()
