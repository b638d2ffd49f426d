"""Issue 11 in a real browser, in Japanese: the administrator opens the
statistics dashboard (charts render from the static module, no console
error, a table under each chart), downloads the grant report for 令和8年度
and the XLSX holds the expected sheets and numbers; then opens the cost
share of the year and downloads it (tests/reports/test_cost_share.py has
the numbers worked out).
Screenshots: test-artifacts/screenshots/."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from accounts.models import User
from municipalities.models import Desk, Municipality
from tests.browser.helpers import assert_page_sound
from tests.reports.dataset import add_bookings, build

pytestmark = pytest.mark.browser


def test_admin_opens_the_dashboard_and_downloads_the_grant_report(
    live_server, demo_staff, new_page, sign_in, screenshot, monkeypatch
):
    from config.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)  # the aggregate rebuild, as a worker would
    coordinator = User.objects.get(username="coordinator-332020")
    data = build(
        by=coordinator,
        hub_desk=Desk.objects.get(code="KRS"),
        ibara_desk=Desk.objects.get(municipality__code="332071"),
        ibara=Municipality.objects.get(code="332071"),
        soja=Municipality.objects.get(code="332089"),
    )
    add_bookings(by=coordinator, data=data)
    page = new_page(locale="ja-JP")
    sign_in(page, "admin")
    page.goto(live_server.url + "/reports/?fy=2026")
    assert "2026年度（令和8年度）" in page.locator("h1").inner_text()
    page.wait_for_selector('canvas[data-chart="chart-topic"][data-rendered="true"]')
    assert page.locator("canvas[data-rendered='true']").count() == 7
    assert page.get_by_test_id("totals").inner_text().replace("\n", " ").count("7") >= 1
    topic_table = page.get_by_test_id("table-topic")
    assert "在留手続・入管手続" in topic_table.inner_text()
    assert topic_table.locator("tfoot td").inner_text() == "9"
    assert_page_sound(page)
    screenshot(page, "dashboard")
    page.guard.assert_clean()

    with page.expect_download() as download_info:
        page.get_by_test_id("grant-xlsx").click()
    download = download_info.value
    assert download.suggested_filename == "jisseki-houkoku-FY2026.xlsx"
    with open(download.path(), "rb") as fh:
        wb = load_workbook(io.BytesIO(fh.read()), read_only=True)
    assert wb.sheetnames == [
        "相談分野・月別",
        "言語別",
        "通訳方法別",
        "相談方法別",
        "対応結果",
        "居住市町村別",
        "国籍・地域別",
        "在留資格別",
    ]
    rows = list(wb["相談分野・月別"].values)
    assert rows[0][0] == "2026年度（令和8年度） 相談分野・月別"
    assert {r[0]: r[-1] for r in rows[2:]}["合計"] == 9
    page.emulate_media(media="print")
    screenshot(page, "dashboard-print")

    page.emulate_media(media="screen")

    # Cost share of 令和8年度: no rule set → the interpreter cost (5,156 yen)
    # split by consultations: Kurashiki 1 → 1,031, Ibara 4 → 4,125.
    page.get_by_test_id("cost-share").click()
    page.wait_for_selector("[data-testid=cost-share-shares]")
    assert "2026年度（令和8年度）" in page.locator("h1").inner_text()
    assert page.get_by_test_id("cost-share-amount").inner_text().startswith("¥5,156")
    shares = page.get_by_test_id("cost-share-shares")
    kurashiki = shares.locator("tbody tr", has_text="倉敷市")
    assert kurashiki.locator("[data-col=share]").inner_text() == "¥1,031"
    assert shares.locator("tbody tr").last.locator("[data-col=share]").inner_text() == "¥5,156"
    assert_page_sound(page)
    screenshot(page, "cost-share")
    page.guard.assert_clean()
    with page.expect_download() as download_info:
        page.get_by_test_id("cost-share-xlsx").click()
    download = download_info.value
    assert download.suggested_filename == "cost_share-FY2026.xlsx"
    with open(download.path(), "rb") as fh:
        sheet = load_workbook(io.BytesIO(fh.read()), read_only=True).worksheets[0]
    rows = {r[0]: r for r in sheet.values}
    assert rows["井原市"][1] == 4125 and rows["井原市"][3] == 4  # the share, then what it was computed from
    assert rows["合計"][1] == 5156
