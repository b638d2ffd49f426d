"""The aggregates stay equal to a recount of the raw rows after intake,
edits, deletes, merges and forwards; the command finds and repairs drift;
read from aggregates, the tables equal counting.py's raw answers."""

import io

import pytest
from django.core.management import call_command

from consult.models import Case, Client, Consultation
from consult.services.clients import client_merge
from municipalities.visibility import statistics_municipality_ids
from reports import aggregates, counting
from reports.counting import Filters
from reports.models import ConsultationCount

from .dataset import build

FY = Filters(fiscal_year=2026)


@pytest.fixture
def data(coordinator, hub_desk, ibara_desk, ibara, soja, django_capture_on_commit_callbacks, eager_tasks):
    with django_capture_on_commit_callbacks(execute=True):
        return build(by=coordinator, hub_desk=hub_desk, ibara_desk=ibara_desk, ibara=ibara, soja=soja)


def _same_as_raw(user):
    qs = counting.statistics_consultations(user, FY)
    scope = statistics_municipality_ids(user)
    for dimension in aggregates.AGGREGATED:
        raw = counting.count_by(qs, dimension)
        assert aggregates.aggregate_count_by(scope, FY, dimension) == raw, dimension
    assert aggregates.aggregate_topic_counts(scope, FY) == counting.count_by_topic(qs)["top"]


def test_intake_keeps_aggregates_equal_to_raw(data, coordinator, ibara_stats):
    assert ConsultationCount.objects.exists()
    assert aggregates.reconcile() == []
    _same_as_raw(coordinator)
    _same_as_raw(ibara_stats)


def test_edit_delete_merge_keep_them_equal(data, coordinator, django_capture_on_commit_callbacks, eager_tasks):
    c2 = Consultation.objects.get(pk=data.consultations[2].pk)
    with django_capture_on_commit_callbacks(execute=True):
        # moved to another month and desk, and its outcome recorded differently
        c2.occurred_at = c2.occurred_at.replace(month=11)
        c2.desk = data.ibara_desk
        c2.outcome = "referred"
        c2.save()
    assert aggregates.reconcile() == []
    with django_capture_on_commit_callbacks(execute=True):
        Case.objects.filter(pk=data.consultations[5].case_id).delete()  # cascades to its consultation
    assert aggregates.reconcile() == []
    with django_capture_on_commit_callbacks(execute=True):
        client_merge(
            keep=Client.objects.filter(nationality="VN").get(),
            merge=Client.objects.get(nationality="PH"),
            by=coordinator,
        )
    assert aggregates.reconcile() == []
    _same_as_raw(coordinator)


def test_reconcile_finds_drift_and_the_command_repairs_it(data):
    # A bulk write that bypasses the signals (as a loader or a backfill would).
    Consultation.objects.filter(pk=data.consultations[1].pk).update(channel="email")
    assert aggregates.reconcile() != []
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("reports_aggregates", stdout=out)
    assert "differ" in out.getvalue()
    call_command("reports_aggregates", "--repair", stdout=out)
    assert "Repaired." in out.getvalue()
    assert aggregates.reconcile() == []


def test_demo_seeding_leaves_aggregates_and_snapshots_correct(consortium, django_capture_on_commit_callbacks):
    from demo.cases import seed_demo_cases
    from demo.staff import seed_staff

    seed_staff(consortium=consortium, password="demo-test-only", reset_passwords=False)
    with django_capture_on_commit_callbacks(execute=True):
        seed_demo_cases(consortium=consortium, target=60, seed=7)
    assert ConsultationCount.objects.exists()
    assert aggregates.reconcile() == []
    with_client = Consultation.objects.filter(case__client__isnull=False)
    assert with_client.exists() and not with_client.filter(client_type="").exists()


def test_filtered_views_read_the_crossed_tables_and_agree(data, coordinator):
    """With a language filter the marginals cannot answer: the crossed
    aggregates do, with the raw rows' answers; client dimensions fall back."""
    from consult.models import Language

    filters = Filters(fiscal_year=2026, language_id=Language.objects.get(code="vi").pk)
    qs = counting.statistics_consultations(coordinator, filters)
    scope = statistics_municipality_ids(coordinator)
    assert not aggregates.unfiltered(filters)
    for dimension in aggregates.AGGREGATED:
        assert aggregates.aggregate_count_by(scope, filters, dimension) == counting.count_by(qs, dimension)
    assert aggregates.aggregate_topic_counts(scope, filters) == counting.count_by_topic(qs)["top"]
    assert not aggregates.can_answer("nationality", filters)
    assert aggregates.aggregate_case_count(scope, filters) is None
    # unfiltered: the case aggregate and the client-dimension marginals equal the raw rows
    qs = counting.statistics_consultations(coordinator, FY)
    assert aggregates.aggregate_case_count(scope, FY) == counting.count_cases(qs) == 5
    for dimension in aggregates.CLIENT_DIMENSIONS:
        assert aggregates.aggregate_count_by(scope, FY, dimension) == counting.count_by(qs, dimension), dimension
    assert aggregates.aggregate_totals(scope, FY) == (7, 9)


def test_case_tallies_answer_for_a_municipality_and_the_consortium(data, coordinator, ibara_stats, ibara):
    from reports.models import CaseTally

    assert CaseTally.objects.filter(fiscal_year=2026).exists()
    for user in (coordinator, ibara_stats):
        qs = counting.statistics_consultations(user, FY)
        scope = statistics_municipality_ids(user)
        assert aggregates._case_tally(scope, FY) == counting.count_cases(qs)
    # Ibara's desk took c4, c5, c6 (three cases); the consortium holds five.
    assert aggregates._case_tally(frozenset({ibara.pk}), FY) == 3
    assert aggregates._case_tally(statistics_municipality_ids(coordinator), FY) == 5
