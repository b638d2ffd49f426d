"""Issue 3 end to end, in Japanese, in a real browser: counter staff log a
walk-in consultation by KEYBOARD ONLY on the intake screen, find it again in
the case list by a two-kanji name (田中), open its timeline and add a
follow-up.  Screenshots: test-artifacts/screenshots/test_walk_in_*.png"""

from __future__ import annotations

import re

import pytest

from consult.models import Case, Client, FollowUp
from tests.browser.helpers import assert_page_sound

pytestmark = pytest.mark.browser


def _focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement;
                   return {id: e.id || "", name: e.name || "", value: e.value || "", tag: e.tagName}; }"""
    )


def _tab_to(page, predicate, limit: int = 150) -> dict:
    """Press Tab until the focused element matches (a keyboard user's way there)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if predicate(focused):
            return focused
    raise AssertionError(f"Tab never reached the wanted field (last: {_focused(page)})")


def _other_cases():
    """Noise the search must not return: other people, an earlier 田中 at a
    partner desk (found too: hub staff see every desk), a name with 中田."""
    from django.contrib.auth import get_user_model

    from municipalities.models import Desk
    from tests.factories import CaseFactory

    staff = get_user_model().objects.get(username="staff-332020")
    hub = Desk.objects.get(code="KRS")
    for name in ("中田 一郎", "佐藤 花子", "NGUYEN Van A"):
        client = Client.objects.create(registered_desk=hub, name=name)
        CaseFactory(handling_desk=hub, created_by=staff, client=client, reference=f"KRS-2025-{client.pk:05d}")


def test_walk_in_logged_by_keyboard_found_by_kanji_name_and_followed_up(
    live_server, demo_staff, new_page, sign_in, screenshot
):
    _other_cases()
    page = new_page(locale="ja-JP")
    sign_in(page, "staff-332020", demo_staff)

    # --- 1. the intake screen, keyboard only ----------------------------------------
    page.goto(live_server.url + "/consultations/new/")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert _focused(page)["id"] == "language-filter"  # the first field has the focus
    page.keyboard.type("べとなむ")  # the language by its Japanese reading
    page.keyboard.press("Enter")
    _tab_to(page, lambda f: f["id"] == "topic-filter")
    page.keyboard.type("在留期間更新")
    page.keyboard.press("Enter")  # ticks the first matching topic
    assert "在留期間更新" in page.locator("[data-topic-summary]").inner_text()
    _tab_to(page, lambda f: f["id"] == "id_q")
    _tab_to(page, lambda f: f["name"] == "client_choice")
    while _focused(page)["value"] != "new":
        page.keyboard.press("ArrowDown")  # "register a new client"
    _tab_to(page, lambda f: f["id"] == "id_name")
    page.keyboard.type("田中 美咲")
    _tab_to(page, lambda f: f["id"] == "id_name_latin")
    page.keyboard.type("Tanaka Misaki")
    _tab_to(page, lambda f: f["id"] == "id_notes")
    page.keyboard.type("在留期間更新の必要書類を説明した。")
    _tab_to(page, lambda f: f["name"] == "outcome")
    for _ in range(5):
        if _focused(page)["value"] == "continuing":
            break
        page.keyboard.press("ArrowDown")
    assert _focused(page)["value"] == "continuing"  # 継続: the case stays open
    screenshot(page, "01-intake-filled")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")

    case = Case.objects.select_related("client").get(client__name="田中 美咲")
    assert page.url == f"{live_server.url}/cases/{case.pk}/"
    assert case.consultations.get().language.code == "vi"
    assert case.status != "closed" and case.outcome == "continuing"

    # --- 2. the case list: find it by the two-kanji family name --------------------------
    page.goto(live_server.url + "/cases/")
    assert page.title().startswith("相談案件一覧")
    search = page.get_by_label("検索", exact=True)
    search.focus()
    page.keyboard.type("田中")
    page.keyboard.press("Enter")  # htmx swaps the results and keeps the URL in step
    page.wait_for_url(re.compile(r".*/cases/\?.*q=%E7%94%B0%E4%B8%AD.*"))
    rows = page.get_by_test_id("case-row")
    rows.first.wait_for()
    assert rows.count() == 1, rows.all_inner_texts()  # not 中田 一郎, not 佐藤
    assert case.reference in rows.first.inner_text()
    assert "田中 美咲" in rows.first.inner_text()
    assert "Tiếng Việt" in rows.first.inner_text()
    assert page.get_by_test_id("case-count").inner_text().strip().startswith("1 件")
    assert_page_sound(page)
    screenshot(page, "02-case-list-tanaka")

    # --- 3. its timeline ---------------------------------------------------------------------
    link = page.get_by_role("link", name=case.reference)
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_test_id("case-reference").inner_text() == case.reference
    consultation = page.get_by_test_id("timeline-consultation")
    assert consultation.count() == 1
    text = consultation.inner_text()
    assert "来所" in text and "Tiếng Việt" in text and "在留期間更新の必要書類を説明した。" in text
    assert "在留期間更新" in text
    assert consultation.locator('[lang="vi"]').count() == 1
    assert page.get_by_test_id("audit-trail").count() == 0  # counter staff: no audit trail
    assert_page_sound(page)
    screenshot(page, "03-case-timeline")

    # --- 4. add a follow-up (due date prefilled: a week from today) ----------------------------
    note = page.get_by_test_id("follow-up-form").get_by_label("予定内容")
    note.focus()
    page.keyboard.type("在留カードの受け取り予定を電話で確認する")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    follow_up = FollowUp.objects.get(case=case)
    assert follow_up.status == "open" and follow_up.assignee.username == "staff-332020"
    assert "フォローアップを登録しました。" in page.locator(".messages").inner_text()
    open_follow_up = page.get_by_test_id("open-follow-up")
    assert "在留カードの受け取り予定を電話で確認する" in open_follow_up.inner_text()
    assert page.get_by_test_id("timeline-follow-up").count() == 1
    assert_page_sound(page)
    screenshot(page, "04-follow-up-added")


def test_conflict_filters_and_merge_pages_in_the_browser(live_server, demo_staff, new_page, sign_in, screenshot):
    """The other screens of the case work, checked for accessibility, CSP and
    44 px targets: the edit conflict, a filter error, and a client merge."""
    from django.contrib.auth import get_user_model

    from consult import services
    from municipalities.models import Desk
    from tests.factories import CaseFactory

    staff = get_user_model().objects.get(username="staff-332020")
    hub = Desk.objects.get(code="KRS")
    keep = Client.objects.create(registered_desk=hub, name="グエン・ヴァン・ア", name_latin="Nguyen Van A")
    duplicate = Client.objects.create(registered_desk=hub, name="NGUYEN VAN A", nationality="VN")
    case = CaseFactory(handling_desk=hub, created_by=staff, client=duplicate, title="在留資格変更", assignee=staff)

    page = new_page(locale="ja-JP")
    sign_in(page, "coordinator-332020", demo_staff)

    # Edit conflict: the form was loaded, then a colleague saved first.
    page.goto(f"{live_server.url}/cases/{case.pk}/edit/")
    services.case_update(
        case=case, by=staff, expected_version=case.version, changes={"title": "在留資格変更（家族滞在）"}
    )
    page.get_by_label("件名").fill("在留資格変更（定住者）")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    conflict = page.get_by_test_id("edit-conflict")
    assert "他の職員がこの相談案件を更新しました" in conflict.inner_text()
    assert "在留資格変更（家族滞在）" in conflict.inner_text()
    assert page.get_by_label("件名").input_value() == "在留資格変更（定住者）"
    assert Case.objects.get(pk=case.pk).title == "在留資格変更（家族滞在）"
    assert_page_sound(page)
    screenshot(page, "01-edit-conflict")

    # A filter value that makes no sense is reported next to the field.
    page.goto(f"{live_server.url}/cases/?status=bogus&opened_from=notadate")
    assert page.get_by_test_id("filter-errors").is_visible()
    assert page.get_by_test_id("case-row").count() == 1
    assert_page_sound(page)
    screenshot(page, "02-filter-errors")

    # Merge the duplicate into the record to keep: the case follows.
    page.goto(f"{live_server.url}/clients/merge/?q=nguyen+van+a&keep={keep.pk}")
    page.locator(f'input[name="merge"][value="{duplicate.pk}"]').check()
    with page.expect_navigation():
        page.get_by_role("button", name="2件を比較する").click()
    assert case.reference in page.get_by_test_id("merge-cases").inner_text()
    assert_page_sound(page)
    screenshot(page, "03-merge-compare")
    page.get_by_label("2件の登録が同一人物であることを確認しました。").check()
    with page.expect_navigation():
        page.get_by_role("button", name="2件の登録を統合する").click()
    assert Case.objects.get(pk=case.pk).client_id == keep.pk
    assert Client.objects.get(pk=duplicate.pk).merged_into_id == keep.pk
    screenshot(page, "04-merged")
