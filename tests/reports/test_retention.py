"""Issue 12 point 11: retention anonymises what expired — names, contact,
free text, sensitive notes — and every statistic is identical before and
after: the counting rules (reports/counting.py) on every dimension, the
per-topic counts, cases, hand-offs by destination, the grant report's
sheets, the aggregate tables and the interpreter minutes and costs.

The dataset is tests/reports/dataset.py's FY2026 (logged through the intake
service), with its cases closed and interpreter bookings completed and
cancelled; the run is told that "today" is in FY2040, when 5 years of
FY2026 records have long expired."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from consult.models import Case, Client, Consultation, FollowUp, HandOff, Language
from core.retention import retention_cutoff, retention_plan, retention_run
from interpreters.models import Booking
from interpreters.services import booking_cancel, booking_complete, booking_confirm, booking_request
from municipalities.visibility import statistics_municipality_ids
from reports import aggregates, counting
from reports.counting import Filters
from reports.grant import grant_sheets
from reports.models import ConsultationCount, ExportJob, TopicCount
from tests.factories import InterpreterFactory

from .dataset import build

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")
FY = Filters(fiscal_year=2026)
LATER = date(2040, 5, 1)  # FY2040: FY2026 records (5 years) expired on 2032-04-01


@pytest.fixture
def data(coordinator, hub_desk, ibara_desk, ibara, soja, django_capture_on_commit_callbacks, eager_tasks):
    with django_capture_on_commit_callbacks(execute=True):
        dataset = build(by=coordinator, hub_desk=hub_desk, ibara_desk=ibara_desk, ibara=ibara, soja=soja)
    closed = datetime(2027, 3, 20, 12, tzinfo=JST)
    open_case = dataset.consultations[8].case_id  # FY2027: still being worked on
    Case.objects.filter(pk=open_case).update(status="in_progress", outcome="", closed_at=None)
    Case.objects.exclude(pk=open_case).update(
        status="closed",
        outcome="resolved",
        closed_at=closed,
        last_activity_at=closed,
        title="相談 件名 Nguyen",
        sensitive_notes="DV 被害 要配慮",
    )
    Consultation.objects.update(notes="Nguyen さんの相談内容")
    Client.objects.update(phone="086-000-0000", email="someone@example.invalid", birth_year=1990)
    Client.objects.update(created_at=closed - timedelta(days=300))
    Client.objects.filter(pk__in=Client.objects.values("pk")).update(updated_at=closed)
    case = Case.objects.filter(status="closed").first()
    FollowUp.objects.create(
        case=case, due_date=date(2027, 1, 5), note="Nguyen さんに電話", created_by=coordinator, status="done"
    )
    HandOff.objects.filter(case__status="closed").update(message="Nguyen さんの件をお願いします")
    _bookings(case, coordinator)
    ExportJob.objects.create(
        user=coordinator,
        exporter="case_list",
        params={"q": "Nguyen"},
        format="csv",
        created_at=closed,
        expires_at=closed + timedelta(days=7),
    )
    return dataset


def _bookings(case, by):
    interpreter = InterpreterFactory(languages={"vi": 3})
    vi = Language.objects.get(code="vi")
    done = booking_request(
        desk=case.handling_desk,
        language=vi,
        modality="onsite",
        case=case,
        by=by,
        place="Nguyen さん宅",
        starts_at=datetime(2026, 6, 1, 10, tzinfo=JST),
        ends_at=datetime(2026, 6, 1, 11, tzinfo=JST),
        notes="Nguyen さんは左耳が聞こえにくい",
    )
    booking_confirm(booking=done, interpreter=interpreter, by=by)
    booking_complete(booking=Booking.objects.get(pk=done.pk), actual_minutes=55, by=by)
    dropped = booking_request(
        desk=case.handling_desk,
        language=vi,
        modality="video",
        case=case,
        by=by,
        notes="Nguyen さん 要配慮",
        starts_at=datetime(2026, 7, 1, 10, tzinfo=JST),
        ends_at=datetime(2026, 7, 1, 11, tzinfo=JST),
    )
    booking_cancel(booking=dropped, reason="Nguyen さん入院のため", by=by)
    Booking.objects.update(closed_at=datetime(2026, 7, 2, tzinfo=JST))


def _statistics(user) -> dict:
    """Everything reports/ counts, as plain values."""
    qs = counting.statistics_consultations(user, FY)
    scope = statistics_municipality_ids(user)
    result = {
        "totals": counting.totals(qs),
        "topics": counting.count_by_topic(qs),
        "cases": counting.count_cases(qs),
        "handoffs": counting.handoffs_by_destination(user, FY),
        "by": {dim: counting.count_by(qs, dim) for dim in counting.DIMENSIONS},
        "topic_by": {dim: counting.count_topic_by(qs, dim) for dim in ("language", "channel", "desk")},
        "aggregated": {dim: aggregates.aggregate_count_by(scope, FY, dim) for dim in aggregates.AGGREGATED},
        "aggregate_rows": sorted(
            ConsultationCount.objects.values_list(
                "month", "desk_id", "language_id", "channel", "interpretation_mode", "residence", "outcome", "n"
            )
        ),
        "topic_rows": sorted(
            TopicCount.objects.values_list("month", "desk_id", "topic_id", "language_id", "channel", "n")
        ),
        "interpreting": list(
            Booking.objects.order_by("pk").values_list(
                "status",
                "language_id",
                "modality",
                "starts_at",
                "ends_at",
                "actual_minutes",
                "cost",
                "attributed_municipality_id",
                "attributed_outside_area",
                "desk_id",
                "case_id",
            )
        ),
        "minutes": Booking.objects.aggregate(minutes=Sum("actual_minutes"), cost=Sum("cost")),
    }
    with timezone.override(JST):
        sheets = grant_sheets(qs, scope=scope, fiscal_year=2026)
    result["grant"] = [(sheet.title, [list(map(str, row)) for row in sheet.rows]) for sheet in sheets]
    return result


def test_retention_anonymises_and_keeps_every_statistic(data, coordinator, ibara_stats):
    before = {user.username: _statistics(user) for user in (coordinator, ibara_stats)}
    assert before[coordinator.username]["totals"]["consultations"] == 7
    assert before[coordinator.username]["minutes"]["minutes"] == 55

    plan = {line.key: line.records for line in retention_plan(today=LATER)}
    assert plan["consultation_records"] > 0 and plan["interpreter_bookings"] == 2 and plan["exports"] == 1
    # Nothing is touched by the dry run.
    assert Client.objects.exclude(name="").count() == Client.objects.count()

    done = {line.key: line.records for line in retention_run(today=LATER)}
    assert done["consultation_records"] == plan["consultation_records"]
    assert done["interpreter_bookings"] == 2

    after = {user.username: _statistics(user) for user in (coordinator, ibara_stats)}
    assert after == before

    closed_cases = Case.objects.filter(status="closed")
    assert closed_cases.exists()
    assert not closed_cases.exclude(title="", sensitive_notes="").exists()
    assert not Consultation.objects.filter(case__status="closed").exclude(notes="").exists()
    expired = Client.objects.exclude(cases__status__in=["open", "in_progress", "waiting"])
    assert expired.exists()
    for person in expired:
        assert (person.name, person.name_kana, person.name_latin, person.phone, person.email) == ("",) * 5
        assert person.birth_year is None and person.search_text == "" and person.name_grams == []
    assert not FollowUp.objects.exclude(note="").exists()
    assert not HandOff.objects.filter(case__status="closed").exclude(message="").exists()
    assert set(Booking.objects.values_list("place", "notes", "cancel_reason")) == {("", "", ""), ("", "", "—")}
    assert not ExportJob.objects.exists()
    # Idempotent: the next night finds nothing.
    assert {line.key: line.records for line in retention_plan(today=LATER)} == {
        "consultation_records": 0,
        "interpreter_bookings": 0,
        "exports": 0,
        "audit_trail": 0,
    }


def test_retention_keeps_what_has_not_expired(data, coordinator):
    """In FY2031 five years of FY2026 (counted from 2027-04-01) are not over:
    nothing is touched.  In FY2032 they are."""
    assert retention_cutoff(5, date(2032, 3, 31)) == datetime(2026, 4, 1, tzinfo=timezone.get_default_timezone())
    assert {line.key: line.records for line in retention_run(today=date(2032, 3, 31))}["consultation_records"] == 0
    assert Client.objects.filter(name="").count() == 0
    assert {line.key: line.records for line in retention_plan(today=date(2032, 4, 1))}["consultation_records"] > 0


def test_open_cases_and_their_clients_are_kept(data):
    retention_run(today=LATER)
    still_open = Case.objects.exclude(status="closed")
    assert still_open.exists()
    for case in still_open.select_related("client"):
        assert case.consultations.exclude(notes="").exists()
        if case.client:
            assert case.client.name != ""


def test_the_dry_run_command_prints_counts_and_no_personal_data(data, settings):
    out = io.StringIO()
    call_command("retention", stdout=out)
    text = out.getvalue()
    assert "consultation_records: 5 years" in text and "audit_trail" in text
    assert "Nguyen" not in text and "テスト" not in text
    assert Client.objects.filter(name="").count() == 0


def test_the_nightly_task_is_in_beat_schedule():
    from celery.schedules import crontab

    from config.celery import app

    entry = app.conf.beat_schedule["retention-nightly"]
    assert entry["task"] == "core.tasks.retention_nightly"
    assert isinstance(entry["schedule"], crontab)
    assert app.tasks["core.tasks.retention_nightly"] is not None
