"""The counting rules (reports/counting.py) on a hand-built dataset whose
expected tables are written out here (see tests/reports/dataset.py)."""

from datetime import date

import pytest

from consult.models import Client, Language, Topic
from reports.counting import (
    OUTSIDE,
    UNKNOWN,
    Filters,
    count_by,
    count_by_topic,
    count_topic_by,
    fiscal_year_label,
    handoffs_by_destination,
    statistics_consultations,
    totals,
)

from .dataset import build

FY = Filters(fiscal_year=2026)


@pytest.fixture
def data(coordinator, hub_desk, ibara_desk, ibara, soja):
    return build(by=coordinator, hub_desk=hub_desk, ibara_desk=ibara_desk, ibara=ibara, soja=soja)


def _topics(table):
    code = dict(Topic.objects.values_list("pk", "code"))
    return {code[k]: v for k, v in table.items()}


def _langs(table):
    code = dict(Language.objects.values_list("pk", "code"))
    return {code[k]: v for k, v in table.items()}


def test_fiscal_year_label():
    assert fiscal_year_label(2026, language="ja") == "2026年度（令和8年度）"
    assert fiscal_year_label(2026, language="en") == "FY2026 (Reiwa 8)"


def test_totals_and_topics_for_the_whole_consortium(data, coordinator):
    qs = statistics_consultations(coordinator, FY)
    # c1..c7; c8 is FY2027.  Cases: P's, Q's (forwarded), R's, S's, the anonymous one.
    assert totals(qs) == {"consultations": 7, "cases": 5, "topic_counts": 9}
    topics = count_by_topic(qs)
    # c1 names 在留手続 and its own sub-topic: 在留手続 counts once.
    assert _topics(topics["top"]) == {
        "residency": 2,  # c1, c3 (two sub-topics, one count)
        "medical": 1,  # c1 via a sub-topic
        "employment": 1,
        "tax": 2,  # c2, c6
        "welfare": 1,
        "municipal": 1,
        "childcare": 1,
    }
    assert _topics(topics["sub"]) == {
        "residency.extension": 1,
        "medical.hospital": 1,
        "employment.conditions": 1,
        "residency.change": 1,
        "residency.permanent": 1,
        "municipal.registration": 1,
        "tax.resident": 1,
    }


def test_dimensions(data, coordinator, ibara):
    qs = statistics_consultations(coordinator, FY)
    assert count_by(qs, "month") == {
        date(2026, 5, 1): 1,
        date(2026, 6, 1): 1,
        date(2026, 7, 1): 1,
        date(2026, 8, 1): 1,
        date(2026, 9, 1): 1,
        date(2026, 10, 1): 1,
        date(2027, 3, 1): 1,  # 23:30 JST on 31 March is still FY2026
    }
    assert _langs(count_by(qs, "language")) == {"vi": 4, "ja": 1, "en": 1, "ja-x-easy": 1}
    assert count_by(qs, "channel") == {"walk_in": 5, "phone": 2}
    assert count_by(qs, "interpretation_mode") == {"none": 5, "onsite": 1, "phone_two_party": 1}
    # Counted at the desk that took the consultation: c4 at Ibara after the transfer.
    assert count_by(qs, "desk") == {data.hub_desk.pk: 4, data.ibara_desk.pk: 3}
    # P moved to Soja after c2: both still count for Ibara.
    assert count_by(qs, "residence_municipality") == {str(ibara.pk): 2, OUTSIDE: 2, UNKNOWN: 3}
    assert count_by(qs, "residence_status") == {str(data.status_then.pk): 2, UNKNOWN: 5}
    assert count_by(qs, "nationality") == {"VN": 2, "PH": 2, UNKNOWN: 3}
    assert count_by(qs, "age_band") == {"18-29": 2, UNKNOWN: 5}
    assert count_by(qs, "client_type") == {"self": 4, "family": 2, UNKNOWN: 1}
    assert count_by(qs, "outcome") == {"continuing": 1, "resolved": 4, "referred": 1, UNKNOWN: 1}
    # c2 (same case), c4 (forwarded case), c6 (merged into R) are repeats.
    assert count_by(qs, "first_or_repeat") == {"first": 4, "repeat": 3}
    assert handoffs_by_destination(coordinator, FY) == {("desk", data.ibara_desk.pk): 1}


def test_editing_the_client_later_changes_nothing(data, coordinator, soja):
    qs = statistics_consultations(coordinator, FY)
    before = {d: count_by(qs, d) for d in ("residence_municipality", "residence_status", "nationality", "age_band")}
    Client.objects.update(residence_municipality=soja, nationality="BR", age_band="65+", lives_outside_area=False)
    assert {d: count_by(qs, d) for d in before} == before


def test_topic_by_month(data, coordinator):
    qs = statistics_consultations(coordinator, FY)
    residency = Topic.objects.get(code="residency").pk
    tax = Topic.objects.get(code="tax").pk
    table = count_topic_by(qs, "month")
    assert table[(residency, date(2026, 5, 1))] == 1
    assert table[(residency, date(2026, 7, 1))] == 1
    assert table[(tax, date(2026, 6, 1))] == 1
    assert table[(tax, date(2026, 10, 1))] == 1
    assert sum(table.values()) == 9


def test_statistics_viewer_counts_only_their_municipality(data, ibara_stats):
    qs = statistics_consultations(ibara_stats, FY)
    assert totals(qs) == {"consultations": 3, "cases": 3, "topic_counts": 3}
    assert _topics(count_by_topic(qs)["top"]) == {"welfare": 1, "municipal": 1, "tax": 1}
    # The hand-off was sent by the hub: not Ibara's to count.
    assert handoffs_by_destination(ibara_stats, FY) == {}


def test_no_statistics_capability_counts_nothing(data, ibara_clerk):
    assert totals(statistics_consultations(ibara_clerk, FY))["consultations"] == 0


def test_intake_snapshot_and_idempotent_backfill(data):
    from consult.models import Consultation
    from consult.snapshots import consultation_snapshots_fill

    c1 = Consultation.objects.get(pk=data.consultations[1].pk)
    assert (c1.client_nationality, c1.client_age_band, c1.client_type) == ("VN", "18-29", "self")
    assert consultation_snapshots_fill() == 0  # all filled by the intake already
    Consultation.objects.filter(pk=c1.pk).update(client_type="", client_nationality="")
    assert consultation_snapshots_fill() == 1
    c1.refresh_from_db()
    assert (c1.client_nationality, c1.client_type) == ("VN", "self")
    assert consultation_snapshots_fill() == 0
