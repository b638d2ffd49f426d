"""/reports/ and /reports/grant/: who may see what, and what the files hold."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.factories import as_user

from .dataset import build


@pytest.fixture
def data(coordinator, hub_desk, ibara_desk, ibara, soja, django_capture_on_commit_callbacks, eager_tasks):
    # on_commit runs the aggregate maintenance the dashboard reads
    with django_capture_on_commit_callbacks(execute=True):
        return build(by=coordinator, hub_desk=hub_desk, ibara_desk=ibara_desk, ibara=ibara, soja=soja)


def test_coordinator_sees_the_consortium(client, data, coordinator):
    response = as_user(client, coordinator).get("/reports/?fy=2026")
    assert response.status_code == 200
    assert response.context["totals"] == {"consultations": 7, "cases": 5, "topic_counts": 9}
    tables = {t.key: t for t in response.context["tables"]}
    assert tables["month"].total == 7 and len(tables["month"].rows) == 12
    assert tables["topic"].total == 9
    assert "first_or_repeat" not in tables
    with_repeat = client.get("/reports/?fy=2026&detail=first_or_repeat")
    repeat = {t.key: t for t in with_repeat.context["tables"]}["first_or_repeat"]
    assert sorted(n for _label, n in repeat.rows) == [3, 4]
    body = response.content.decode()
    assert 'id="chart-topic"' in body and "<script>" not in body


def test_statistics_viewer_sees_own_municipality_only(client, data, ibara_stats, kurashiki):
    as_user(client, ibara_stats)
    response = client.get("/reports/?fy=2026")
    assert response.status_code == 200
    assert response.context["totals"]["consultations"] == 3
    # Asking for another municipality narrows to nothing, never widens.
    response = client.get(f"/reports/?fy=2026&municipality={kurashiki.pk}")
    assert response.context["totals"]["consultations"] == 3  # invalid choice: ignored, own scope
    assert client.get("/reports/grant/?fy=2026&format=csv").status_code == 200


def test_hub_statistics_viewer_filters_by_municipality(client, data, hub_stats, ibara):
    response = as_user(client, hub_stats).get(f"/reports/?fy=2026&municipality={ibara.pk}")
    assert response.context["totals"]["consultations"] == 3


@pytest.mark.parametrize("url", ["/reports/", "/reports/grant/?fy=2026"])
def test_no_statistics_capability_is_404(client, data, ibara_clerk, outsider, url):
    assert as_user(client, ibara_clerk).get(url).status_code == 404
    assert as_user(client, outsider).get(url).status_code == 404


@pytest.mark.parametrize("url", ["/reports/", "/reports/grant/"])
def test_post_is_405(client, coordinator, url):
    assert as_user(client, coordinator).post(url).status_code == 405


def test_grant_xlsx(client, data, coordinator):
    response = as_user(client, coordinator).get("/reports/grant/?fy=2026")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    assert wb.sheetnames[:4] == ["相談分野・月別", "言語別", "通訳方法別", "相談方法別"]
    rows = list(wb["相談分野・月別"].values)
    assert rows[0][0] == "2026年度（令和8年度） 相談分野・月別"
    assert rows[1][:3] == ("相談分野", "4月", "5月")
    by_topic = {r[0]: r[-1] for r in rows[2:]}
    assert by_topic["在留手続・入管手続"] == 2
    assert by_topic["税金"] == 2
    assert by_topic["合計"] == 9
    residency = next(r for r in rows if r[0] == "在留手続・入管手続")
    assert residency[2] == 1 and residency[4] == 1  # May and July
    languages = {r[0]: r[1:] for r in list(wb["言語別"].values)[2:]}
    assert languages["合計"] == (7, 9)
    outcome = {r[0]: r[1] for r in list(wb["対応結果"].values)[2:]}
    assert outcome["窓口で完結"] == 4 and outcome["他機関へ紹介"] == 1


def test_grant_csv_has_bom_and_the_same_tables(client, data, coordinator):
    response = as_user(client, coordinator).get("/reports/grant/?fy=2026&format=csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == ["2026年度（令和8年度） 相談分野・月別"]
    total = next(r for r in rows if r and r[0] == "合計")
    assert total[-1] == "9"
