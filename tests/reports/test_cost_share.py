"""The cost share (reports/costshare.py) on the hand-built FY2026 dataset
(tests/reports/dataset.py) with three completed interpreter bookings.

Written out:

consultations FY2026 by the municipality they are attributed to (residence
then; none recorded → the desk's municipality):
    Ibara 4 (c1, c2: P lived in Ibara then; c5, c6: no residence, Ibara desk)
    Kurashiki 1 (c7: anonymous at the hub desk)
    outside the consortium 2 (c3, c4: Q)
    every other member 0; c8 is FY2027.
interpreter bookings: Soja on-site 60 min 3,000.00; Kurashiki phone 30 min
1,200.00; outside video 21 min 955.50 — 5,155.50 yen, rounded 5,156.
"""

from decimal import Decimal

import pytest

from reports.costshare import allocate, cost_share
from reports.models import CostShareRule
from tests.factories import as_user

from .dataset import add_bookings, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(coordinator, hub_desk, ibara_desk, ibara, soja, django_capture_on_commit_callbacks, eager_tasks):
    with django_capture_on_commit_callbacks(execute=True):
        dataset = build(by=coordinator, hub_desk=hub_desk, ibara_desk=ibara_desk, ibara=ibara, soja=soja)
    add_bookings(by=coordinator, data=dataset)
    return dataset


@pytest.fixture
def consortium(kurashiki):
    return kurashiki.consortium


def by_code(result):
    return {(r.municipality.code if r.municipality else "outside"): r for r in result.rows}


def test_allocate_largest_remainder_worked_example():
    # 100,000 yen by 3 : 2 : 1 → 50,000 / 33,333⅓ / 16,666⅔ → 50,000 / 33,333 / 16,667
    assert allocate(100_000, {"a": 3, "b": 2, "c": 1}) == {"a": 50_000, "b": 33_333, "c": 16_667}
    # ties go to the earlier key: 10 yen by 1 : 1 : 1 → 4 / 3 / 3
    assert allocate(10, {"a": 1, "b": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    # all weights zero → equal split
    assert allocate(5, {"a": 0, "b": 0}) == {"a": 3, "b": 2}
    for amount in (0, 1, 999, 1_234_567):
        assert sum(allocate(amount, {"a": 7, "b": Decimal("3.5"), "c": 0, "d": 11}).values()) == amount


def test_counts_minutes_and_cost_per_municipality(data, consortium):
    result = cost_share(consortium, 2026)
    rows = by_code(result)
    assert len(result.rows) == 11  # ten members in code order, then "outside"
    assert list(rows)[:3] == ["332020", "332054", "332071"]
    assert {code: r.consultations for code, r in rows.items() if r.consultations} == {
        "332071": 4,
        "332020": 1,
        "outside": 2,
    }
    assert rows["332089"].minutes == {"onsite": 60, "phone": 0, "video": 0, "three_way": 0}
    assert rows["332089"].total_cost == Decimal("3000.00")
    assert rows["332020"].minutes["phone"] == 30 and rows["332020"].total_cost == Decimal("1200.00")
    assert rows["outside"].minutes["video"] == 21 and rows["outside"].total_cost == Decimal("955.50")
    total = result.totals
    assert total.consultations == 7 and total.total_minutes == 111 and total.total_cost == Decimal("5155.50")
    languages = [
        (row.key, lang, modality, n, minutes, cost) for row, lang, modality, n, minutes, cost in result.languages
    ]
    assert [(m, n, minutes, cost) for _k, _l, m, n, minutes, cost in languages] == [
        ("phone", 1, 30, Decimal("1200.00")),  # Kurashiki, English
        ("onsite", 1, 60, Decimal("3000.00")),  # Soja, Vietnamese
        ("video", 1, 21, Decimal("955.50")),  # outside, Vietnamese
    ]


def test_default_rule_splits_the_interpreter_cost_by_consultations(data, consortium):
    # No rule for FY2026: 5,156 yen by consultations Kurashiki 1 : Ibara 4
    # → 1,031.2 / 4,124.8 → 1,031 / 4,124 (5,155), 1 yen to Ibara (.8) → 1,031 / 4,125.
    result = cost_share(consortium, 2026)
    assert result.rule_is_default and result.amount == 5156
    shares = {code: r.share for code, r in by_code(result).items()}
    assert shares["332020"] == 1031 and shares["332071"] == 4125
    assert shares["outside"] is None
    assert sum(v for v in shares.values() if v) == 5156


def test_rule_by_interpreter_cost(data, consortium):
    # 5,156 yen by cost Soja 3,000 : Kurashiki 1,200 (outside pays nothing)
    # → 3,682.857… / 1,473.142… → 3,682 / 1,473 (5,155), 1 yen to Soja → 3,683 / 1,473.
    CostShareRule.objects.create(consortium=consortium, fiscal_year=2026, method="interpreter_cost")
    result = cost_share(consortium, 2026)
    shares = {code: r.share for code, r in by_code(result).items() if r.share}
    assert shares == {"332089": 3683, "332020": 1473}
    assert result.totals.share == 5156


def test_rule_fixed_base_plus_usage(data, consortium):
    # 100,001 yen; base 5,000 × 10 members = 50,000; the rest 50,001 by
    # consultations Kurashiki 1 : Ibara 4 → 10,000.2 / 40,000.8 → 10,000 / 40,001.
    CostShareRule.objects.create(
        consortium=consortium,
        fiscal_year=2026,
        method="base_plus_usage",
        amount=100_001,
        base_amount=5_000,
        usage_basis="consultations",
    )
    result = cost_share(consortium, 2026)
    shares = {code: r.share for code, r in by_code(result).items()}
    assert shares["332020"] == 15_000 and shares["332071"] == 45_001
    assert shares["332054"] == shares["334618"] == 5_000
    assert sum(v for v in shares.values() if v) == 100_001 == result.totals.share


def test_a_base_larger_than_the_amount_is_an_error(data, consortium):
    CostShareRule.objects.create(
        consortium=consortium, fiscal_year=2026, method="base_plus_usage", amount=1_000, base_amount=500
    )
    result = cost_share(consortium, 2026)
    assert result.error and all(r.share is None for r in result.rows)


def test_screen_hub_sees_every_municipality(client, data, coordinator):
    response = as_user(client, coordinator).get("/reports/cost-share/?fy=2026")
    assert response.status_code == 200
    lines = response.context["share_lines"]
    assert len(lines) == 12  # ten members, outside, total
    assert lines[-1].is_total and lines[-1].consultations == 7 and lines[-1].share == 5156
    html = response.content.decode()
    # The share is the first column after the municipality (GLOSSARY: 市町; 負担額).
    head = html[html.index('data-testid="cost-share-shares"') :]
    assert head.index(">市町<") < head.index(">負担額<") < head.index(">相談<") < head.index(">通訳時間（分）<")
    # Yen on screen: ¥, separators, whole yen (5,155.50 → ¥5,156), never 1200.00.
    assert 'data-testid="cost-share-amount">¥5,156' in html
    assert '<td class="num cost-share-table__share" data-col="share">¥4,125</td>' in html  # Ibara
    assert '<td class="num">¥1,200</td>' in html  # Kurashiki's phone interpreting
    assert "1200.00" not in html and "955.50" not in html and ">5156<" not in html
    assert "{#" not in html and "{%" not in html


def test_screen_in_english_formats_yen_the_same_way(client, data, coordinator):
    as_user(client, coordinator)
    coordinator.ui_language = "en"
    coordinator.save(update_fields=["ui_language"])
    html = client.get("/reports/cost-share/?fy=2026", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    head = html[html.index('data-testid="cost-share-shares"') :]
    assert head.index(">municipality<") < head.index(">share<") < head.index(">consultations<")
    assert 'data-testid="cost-share-amount">¥5,156' in html
    assert ">outside the consortium<" in html and ">total<" in html
    assert "1200.00" not in html and ">5156<" not in html


def test_statistics_viewer_sees_own_municipality_only(client, data, ibara_stats):
    response = as_user(client, ibara_stats).get("/reports/cost-share/?fy=2026")
    assert response.status_code == 200
    (line,) = response.context["share_lines"]
    assert line.consultations == 4 and line.share == 4125
    csv = client.get("/reports/cost-share/?fy=2026&format=csv").content.decode("utf-8")
    assert csv.startswith("\ufeff") and len(csv.strip().splitlines()) == 2  # header + Ibara


@pytest.mark.parametrize("user", ["ibara_clerk", "outsider"])
def test_no_statistics_capability_is_404(client, data, user, request):
    as_user(client, request.getfixturevalue(user))
    assert client.get("/reports/cost-share/?fy=2026").status_code == 404
    assert client.get("/reports/cost-share/?fy=2026&format=xlsx").status_code == 404


def test_xlsx_and_csv_hold_the_same_rows(client, data, coordinator):
    import csv
    import io

    from openpyxl import load_workbook

    as_user(client, coordinator)
    xlsx = client.get("/reports/cost-share/?fy=2026&format=xlsx")
    assert xlsx["Content-Disposition"] == 'attachment; filename="cost_share-FY2026.xlsx"'
    sheet = load_workbook(io.BytesIO(xlsx.content), read_only=True).worksheets[0]
    xrows = [list(r) for r in sheet.values]
    crows = list(csv.reader(io.StringIO(client.get("/reports/cost-share/?fy=2026&format=csv").content.decode()[1:])))
    assert len(xrows) == len(crows) == 13
    assert [str(c) for c in xrows[-1][:2]] == crows[-1][:2]
    assert xrows[0][:2] == ["市町", "負担額（円）"]  # the share right after the municipality
    assert xrows[-1][1] == 5156
    languages = client.get("/reports/cost-share/?fy=2026&format=csv&table=languages").content.decode()
    assert len(languages.strip().splitlines()) == 4


def test_exports_hold_whole_yen_as_integers(client, data, coordinator):
    """Raw numbers for a spreadsheet: integers, never '1200.00' (costs are
    stored to the sen and rounded half up to the yen, as the amount is)."""
    import csv
    import io

    from openpyxl import load_workbook

    as_user(client, coordinator)
    for table in ("", "&table=languages"):
        xlsx = client.get(f"/reports/cost-share/?fy=2026&format=xlsx{table}")
        xrows = [list(r) for r in load_workbook(io.BytesIO(xlsx.content), read_only=True).worksheets[0].values]
        numbers = [c for row in xrows[1:] for c in row if isinstance(c, int | float)]
        assert numbers and all(isinstance(c, int) for c in numbers), numbers
        text = client.get(f"/reports/cost-share/?fy=2026&format=csv{table}").content.decode()[1:]
        cells = [c for row in list(csv.reader(io.StringIO(text)))[1:] for c in row]
        assert not [c for c in cells if "." in c]
    crows = list(csv.reader(io.StringIO(client.get("/reports/cost-share/?fy=2026&format=csv").content.decode()[1:])))
    by_name = {r[0]: r for r in crows}
    assert by_name["倉敷市"][-1] == "1200" and by_name["合計"][-1] == "5156"  # 5,155.50 → 5,156
    assert by_name["圏域外"][-1] == "956"
    languages = client.get("/reports/cost-share/?fy=2026&format=xlsx&table=languages").content
    xrows = [list(r) for r in load_workbook(io.BytesIO(languages), read_only=True).worksheets[0].values]
    assert [r[-1] for r in xrows[1:]] == [1200, 3000, 956]  # 955.50 → 956


def test_through_an_export_job(data, coordinator, django_capture_on_commit_callbacks, eager_tasks):
    from django.core.files.storage import default_storage

    from reports.models import ExportJob
    from reports.services import export_start

    with django_capture_on_commit_callbacks(execute=True):
        job = export_start(by=coordinator, exporter="cost_share", params={"fy": "2026"}, format="csv", personal=False)
    job = ExportJob.objects.get(pk=job.pk)
    assert job.status == "done" and job.rows_done == 12
    with default_storage.open(job.file_name, "rb") as fh:
        total = fh.read().decode("utf-8").strip().splitlines()[-1].split(",")
    assert total[0] == "合計" and total[1] == "5156"
