"""Issue 12 point 10 in a real browser: the administrator opens the audit
trail from the menu, filters it (case, who, from where), exports the
filtered events to CSV and downloads the file; the same screen in English.
Screenshots: test-artifacts/screenshots/."""

from __future__ import annotations

import csv
import io

import pytest

from accounts.models import User
from core.audit import audit_log, reset_client_address, set_client_address
from municipalities.models import Desk
from tests.browser.helpers import assert_page_sound
from tests.factories import make_case

pytestmark = pytest.mark.browser


def _trail():
    hub = Desk.objects.get(code="KRS")
    ibara = Desk.objects.get(municipality__code="332071")
    staff = User.objects.get(username="staff-332020")
    clerk = User.objects.get(username="clerk-332071")
    coordinator = User.objects.get(username="coordinator-332020")
    hub_case = make_case(hub, staff, reference="KRS-2026-00421")
    ibara_case = make_case(ibara, clerk, reference="IBR-2026-00077")
    for address, actor, action, case, desk in [
        ("10.20.0.15", staff, "view", hub_case, hub),
        ("10.20.0.15", staff, "update", hub_case, hub),
        ("10.20.0.16", coordinator, "close", hub_case, hub),
        ("192.0.2.7", clerk, "forward", ibara_case, ibara),
        ("192.0.2.7", clerk, "view", ibara_case, ibara),
    ]:
        token = set_client_address(address)
        try:
            audit_log(actor=actor, action=action, obj=case, case=case, desk=desk, summary="browser test")
        finally:
            reset_client_address(token)


def test_admin_filters_and_exports_the_audit_trail(live_server, demo_staff, new_page, sign_in, screenshot, monkeypatch):
    from config.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)  # the export job, as a worker would run it
    _trail()
    page = new_page(locale="ja-JP")
    sign_in(page, "admin")
    page.get_by_role("link", name="操作記録").first.click()
    page.wait_for_url("**/reports/audit/")
    assert page.locator("h1").inner_text() == "操作記録"
    assert page.get_by_test_id("audit-row").count() >= 5
    assert_page_sound(page)
    screenshot(page, "all")

    filters = page.get_by_test_id("audit-filters")
    filters.get_by_label("相談案件（受付番号）").fill("KRS-2026-00421")
    filters.get_by_label("接続元（IPアドレスまたはネットワーク）").fill("10.20.0.0/24")
    with page.expect_navigation():
        page.get_by_test_id("audit-filter-submit").click()
    rows = page.get_by_test_id("audit-row")
    assert rows.count() == 3
    table = page.get_by_test_id("audit-table").inner_text()
    assert "IBR-2026-00077" not in table and "192.0.2.7" not in table
    screenshot(page, "filtered")

    filters.get_by_label("操作者（ユーザー名または氏名）").fill("coordinator")
    with page.expect_navigation():
        page.get_by_test_id("audit-filter-submit").click()
    assert page.get_by_test_id("audit-row").count() == 1
    assert "10.20.0.16" in page.get_by_test_id("audit-table").inner_text()

    with page.expect_navigation():
        page.get_by_test_id("audit-export-csv").click()
    assert "/reports/exports/" in page.url
    page.reload()
    screenshot(page, "export-ready")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="ダウンロード").click()
    with open(download_info.value.path(), "rb") as fh:
        rows = list(csv.reader(io.StringIO(fh.read().decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][1] == "coordinator-332020" and rows[1][6] == "KRS-2026-00421" and rows[1][8] == "10.20.0.16"
    page.guard.assert_clean()


def test_the_audit_trail_in_english(live_server, demo_staff, new_page, sign_in, screenshot):
    _trail()
    page = new_page(locale="en-GB")
    sign_in(page, "admin")
    page.goto(live_server.url + "/reports/audit/?action=forward")
    with page.expect_navigation():
        page.locator(".lang-switch button[value='en']").click()
    assert page.locator("h1").inner_text() == "Audit trail"
    assert page.get_by_test_id("audit-row").count() == 1
    assert "From where" in page.get_by_test_id("audit-table").inner_text()
    assert_page_sound(page)
    screenshot(page, "english")
    page.guard.assert_clean()
