"""Issue 7 end to end, in Japanese, in a real browser: clerk-332071 (井原市)
logs a consultation, records the client's consent for the hub and forwards
the case there; a forward to 笠岡市 without consent is refused with the
reason shown; staff-332020 finds it in the inbox, accepts it and adds a
consultation; clerk-332071 sees the accepted status.  axe checks the new
pages at 1366 and 768 px wide.  Screenshots: test-artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest

from consult.models import Case, Consent, Consultation, HandOff, HandOffStatus, Language
from municipalities.models import Desk
from tests.browser.helpers import assert_page_sound
from tests.browser.test_intake import focused, tab_to

pytestmark = pytest.mark.browser

WIDE = {"width": 1366, "height": 900}
NARROW = {"width": 768, "height": 1024}


def _log_consultation(page, base_url: str, *, name: str) -> str:
    """The intake screen: language and topic found by typing, a new client."""
    page.goto(base_url + "/consultations/new/")
    page.keyboard.type("べとなむ")
    page.keyboard.press("Enter")
    tab_to(page, "topic-filter")
    page.keyboard.type("在留期間更新")
    page.keyboard.press("Enter")
    tab_to(page, "id_q")
    for _ in range(40):
        page.keyboard.press("Tab")
        if focused(page)["name"] == "client_choice":
            break
    while focused(page)["value"] != "new":
        page.keyboard.press("ArrowDown")
    page.locator("#id_name").fill(name)
    page.locator("#id_notes").fill("在留期間更新の相談。中核窓口で書類確認を希望。")
    page.locator('input[name="outcome"][value="continuing"]').check()
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    assert re.search(r"/cases/\d+/$", page.url), page.url
    return page.url


def _sound_at_both_widths(page) -> None:
    for viewport in (WIDE, NARROW):
        page.set_viewport_size(viewport)
        assert_page_sound(page)


def test_clerk_forwards_with_consent_hub_accepts_and_a_forward_without_consent_is_refused(
    live_server, demo_staff, new_page, sign_in, screenshot
):
    base = live_server.url
    hub_desk = Desk.objects.get(code="KRS")
    kasaoka_desk = Desk.objects.get(municipality__code="332054")

    # --- 1. clerk-332071 logs a consultation and records consent for the hub ------------
    clerk = new_page(locale="ja-JP", viewport=WIDE)
    sign_in(clerk, "clerk-332071", demo_staff)
    case_url = _log_consultation(clerk, base, name="グエン ティ テスト")
    case = Case.objects.get(pk=int(case_url.rstrip("/").rsplit("/", 1)[1]))
    assert case.handling_desk.municipality.code == "332071"
    clerk.goto(f"{base}/clients/{case.client_id}/")
    assert clerk.get_by_test_id("consent-none").is_visible()
    _sound_at_both_widths(clerk)
    clerk.set_viewport_size(WIDE)
    clerk.get_by_test_id("consent-new").click()
    assert clerk.get_by_role("heading", level=1).inner_text() == "同意を記録"
    clerk.get_by_label("倉敷市", exact=True).check()
    clerk.locator("#id_explanation_language").select_option(str(Language.objects.get(code="vi").pk))
    clerk.locator("#id_interpretation_mode").select_option("tablet_video")
    _sound_at_both_widths(clerk)
    clerk.set_viewport_size(WIDE)
    screenshot(clerk, "01-consent-form")
    with clerk.expect_navigation():
        clerk.get_by_test_id("consent-save").click()
    assert "倉敷市" in clerk.get_by_test_id("consent-in-force").locator("xpath=..").inner_text()
    assert Consent.objects.get(client=case.client).in_force

    # --- 2. a forward to 笠岡市 without consent is refused, with the reason ------------------
    clerk.goto(case_url)
    clerk.get_by_test_id("forward-case").click()
    assert clerk.get_by_role("heading", level=1).inner_text() == "相談案件の取次"
    _sound_at_both_widths(clerk)
    clerk.set_viewport_size(WIDE)
    clerk.locator("#id_to_desk").select_option(str(kasaoka_desk.pk))
    clerk.get_by_label("相談内容", exact=True).check()
    with clerk.expect_navigation():
        clerk.get_by_test_id("handoff-send").click()
    refused = clerk.get_by_test_id("handoff-refused")
    assert refused.is_visible()
    assert "笠岡市" in refused.inner_text() and "同意" in refused.inner_text()
    assert not HandOff.objects.exists()
    _sound_at_both_widths(clerk)
    clerk.set_viewport_size(WIDE)
    screenshot(clerk, "02-refused-kasaoka")

    # --- 3. … and the referral to the hub goes through ----------------------------------------
    clerk.locator("#id_to_desk").select_option(str(hub_desk.pk))
    with clerk.expect_navigation():
        clerk.get_by_test_id("handoff-send").click()
    handoff = HandOff.objects.get()
    assert clerk.url.endswith(f"/handoffs/{handoff.pk}/")
    assert clerk.get_by_test_id("handoff-status").inner_text() == "未回答"
    _sound_at_both_widths(clerk)
    clerk.set_viewport_size(WIDE)
    screenshot(clerk, "03-sent")

    # --- 4. staff-332020 finds it in the inbox, accepts, adds a consultation ---------------------
    staff = new_page(locale="ja-JP", viewport=WIDE)
    sign_in(staff, "staff-332020", demo_staff)
    assert case.reference in staff.get_by_test_id("panel-handoffs").inner_text()
    staff.goto(base + "/handoffs/")
    row = staff.get_by_test_id("handoff-row").filter(has_text=case.reference)
    assert row.count() == 1 and "未回答" in row.inner_text()
    _sound_at_both_widths(staff)
    staff.set_viewport_size(WIDE)
    screenshot(staff, "04-inbox")
    row.get_by_role("link", name=case.reference).click()
    staff.wait_for_url(f"**/handoffs/{handoff.pk}/")
    _sound_at_both_widths(staff)
    staff.set_viewport_size(WIDE)
    with staff.expect_navigation():
        staff.get_by_test_id("handoff-accept").click()
    assert staff.get_by_test_id("handoff-status").inner_text() == "受諾"
    screenshot(staff, "05-accepted")
    staff.get_by_test_id("open-case").click()
    staff.wait_for_url(f"**/cases/{case.pk}/")
    staff.get_by_test_id("add-consultation").click()
    staff.wait_for_url(f"**/cases/{case.pk}/consultations/new/")
    staff.keyboard.type("べとなむ")
    staff.keyboard.press("Enter")
    tab_to(staff, "topic-filter")
    staff.keyboard.type("在留期間更新")
    staff.keyboard.press("Enter")
    staff.locator("#id_notes").fill("中核窓口で必要書類を確認した。")
    with staff.expect_navigation():
        staff.keyboard.press("Control+Enter")
    assert staff.url.endswith(f"/cases/{case.pk}/")
    assert Consultation.objects.filter(case=case).count() == 2
    assert Consultation.objects.filter(case=case, desk=hub_desk).exists()
    screenshot(staff, "06-consultation-added")

    # --- 5. clerk-332071 sees the accepted status ------------------------------------------------
    clerk.goto(base + "/handoffs/?box=from")
    row = clerk.get_by_test_id("handoff-row").filter(has_text=case.reference)
    assert "受諾" in row.inner_text()
    clerk.goto(case_url)
    assert "受諾" in clerk.get_by_test_id("case-handoffs").inner_text()
    screenshot(clerk, "07-clerk-sees-accepted")
    assert HandOff.objects.get().status == HandOffStatus.ACCEPTED
