"""The intake screen in a real browser (issue 3): counter staff log a walk-in
consultation in Japanese by keyboard only — language and topics found by
typing, a new client with a two-kanji family name (synthetic), a follow-up —
and land on the case page.  Screenshots: test-artifacts/screenshots/."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from consult.models import Case, Client, FollowUp
from municipalities.models import Desk
from tests.browser.helpers import assert_page_sound
from tests.factories import ClientFactory

pytestmark = pytest.mark.browser


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {id: el.id, name: el.getAttribute("name"), value: el.value, type: el.type, tag: el.tagName};
        }"""
    )


def tab_to(page, element_id: str, *, limit: int = 40) -> None:
    """Press Tab until the element with `element_id` has the focus (keyboard only)."""
    for _ in range(limit):
        if focused(page)["id"] == element_id:
            return
        page.keyboard.press("Tab")
    assert focused(page)["id"] == element_id, f"Tab never reached #{element_id}; at {focused(page)}"


def type_date(page, element_id: str, day) -> None:
    """Type a date into a focused <input type=date> from the keyboard.

    The order of the field's parts (year, month, day) follows the browser's
    own locale, not the page's, so try the orders in use; typing into a part
    replaces what it held."""
    for order in ("%Y%m%d", "%m%d%Y", "%d%m%Y"):
        page.keyboard.type(day.strftime(order))
        if page.locator(f"#{element_id}").input_value() == day.isoformat():
            return
        for _ in range(4):  # back to the field's first part
            if focused(page)["id"] != element_id:
                break
            page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
    raise AssertionError(f"could not type {day} into #{element_id}")


def test_walk_in_logged_by_keyboard_only_in_japanese(live_server, demo_staff, new_page, sign_in, screenshot):
    page = new_page(locale="ja-JP")
    sign_in(page, "staff-332020", demo_staff)
    page.goto(live_server.url + "/consultations/new/")
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.get_by_role("heading", level=1).inner_text() == "相談受付"
    assert_page_sound(page)
    screenshot(page, "01-empty")

    # The first field has the focus: the language filter.  "べとなむ" finds
    # Vietnamese by its Japanese reading; Enter accepts and moves on.
    assert focused(page)["id"] == "language-filter"
    page.keyboard.type("べとなむ")
    assert page.locator("#id_language option:checked").inner_text() == "Tiếng Việt — ベトナム語"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "id_interpretation_mode"
    page.keyboard.press("ArrowDown")  # なし → 相談員（多言語対応）
    assert focused(page)["value"] == "bilingual"

    # Channel: 来所 is preselected; Tab goes past the radio group.
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "channel" and focused(page)["value"] == "walk_in"

    # Topics: type a reading, Enter ticks the first match, and again.
    tab_to(page, "topic-filter")
    page.keyboard.type("ざいりゅうきかん")
    page.keyboard.press("Enter")
    page.keyboard.type("けんこうほけん")
    page.keyboard.press("Enter")
    checked = page.locator("#topic-list input:checked")
    assert checked.count() == 2
    assert "在留期間更新" in page.locator("[data-topic-summary]").inner_text()
    # The topic list is one Tab stop; ↓ and Space work inside it.
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "topics"
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_q"
    screenshot(page, "02-language-and-topics")

    # Client: nobody registered yet under this name, so register a new one.
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "client-choice-anonymous"
    page.keyboard.press("ArrowDown")
    assert focused(page)["id"] == "client-choice-new"
    assert page.locator("#new-client").is_visible()
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_name"
    page.keyboard.type("田中 太郎")
    page.keyboard.press("Tab")
    page.keyboard.type("タナカ タロウ")
    page.keyboard.press("Tab")
    page.keyboard.type("TANAKA Taro")
    page.keyboard.press("Tab")
    page.keyboard.type("1990")
    page.keyboard.press("Tab")
    # Nationality: a type-to-filter picker, like the language (issue 9).
    assert focused(page)["id"] == "id_nationality-filter"
    page.keyboard.type("べとなむ")
    assert page.locator("#id_nationality").input_value() == "VN"
    page.keyboard.press("Enter")  # accept and move on
    assert focused(page)["id"] != "id_nationality-filter"
    # Residence status: 特定技能1号 by its reading instead of 19 ↓ presses.
    tab_to(page, "id_residence_status-filter")
    page.keyboard.type("とくていぎのう1")
    assert page.locator("#id_residence_status option:checked").inner_text() == "特定技能1号"
    tab_to(page, "id_residence_municipality")
    page.keyboard.press("ArrowDown")  # 倉敷市
    tab_to(page, "id_notes")
    page.keyboard.type("在留期間更新の必要書類と国民健康保険の手続を案内した。")
    page.keyboard.press("Tab")
    assert focused(page)["value"] == "information"
    page.keyboard.press("Space")  # 情報提供
    tab_to(page, "id_minutes")
    page.keyboard.type("20")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "outcome"
    page.keyboard.press("Space")  # 窓口で完結
    tab_to(page, "id_follow_up_due")
    due = timezone.localdate() + timedelta(days=14)
    type_date(page, "id_follow_up_due", due)
    tab_to(page, "id_follow_up_note", limit=4)  # Tab first visits the date's other parts
    page.keyboard.type("許可の結果を電話で確認する")
    screenshot(page, "03-filled-in")

    # Enter in a one-line field moves on (issue 9); Ctrl+Enter saves.
    page.keyboard.press("Enter")
    assert Case.objects.count() == 0
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    errors = page.locator("#error-summary")
    assert errors.count() == 0, errors.inner_text()

    case = Case.objects.select_related("client").get()
    assert page.url == f"{live_server.url}/cases/{case.pk}/"
    assert case.reference.startswith("KRS-")
    person = Client.objects.get()
    assert (person.name, person.name_kana, person.name_latin) == ("田中 太郎", "タナカ タロウ", "TANAKA Taro")
    assert person.birth_year == 1990 and person.nationality == "VN"
    assert case.client == person
    consultation = case.consultations.get()
    assert consultation.language.code == "vi" and consultation.channel == "walk_in"
    assert consultation.interpretation_mode == "bilingual" and consultation.minutes == 20
    assert {t.code for t in consultation.topics.all()} == {"residency.extension", "social_insurance.health"}
    assert consultation.actions == ["information"]
    assert FollowUp.objects.get(case=case).due_date == due

    # The case page (consult/views/cases.py) shows what was logged.
    main = page.locator("main").inner_text()
    assert case.reference in main
    assert "田中 太郎" in main
    assert re.search("保存しました。受付番号: " + re.escape(case.reference), main)
    assert "在留期間更新" in main
    assert_page_sound(page)
    screenshot(page, "04-case-page")


def test_search_finds_a_registered_client_by_two_kanji(live_server, demo_staff, new_page, sign_in, screenshot):
    """Typing 田中 in the intake's client search offers 田中 太郎; ↓ picks
    him and the consultation is saved for that client (keyboard only)."""
    desk = Desk.objects.get(code="KRS")
    person = ClientFactory(registered_desk=desk, name="田中 太郎", name_kana="タナカ タロウ", birth_year=1990)
    ClientFactory(registered_desk=desk, name="中田 花子")
    page = new_page(locale="ja-JP")
    sign_in(page, "staff-332020", demo_staff)
    page.goto(live_server.url + "/consultations/quick/")
    assert page.get_by_role("heading", level=1).inner_text() == "簡易受付"
    page.goto(live_server.url + "/consultations/new/")
    page.keyboard.type("vi")
    page.keyboard.press("Enter")
    tab_to(page, "topic-filter")
    page.keyboard.type("ねんきん")
    page.keyboard.press("Enter")  # the topic whose name starts with it, not 社会保険・年金
    assert page.locator("[data-topic-summary]").inner_text() == "選択中: 年金・脱退一時金"
    tab_to(page, "id_q")
    with page.expect_response(lambda r: "/clients/search/" in r.url):
        page.keyboard.type("田中")
    results = page.get_by_test_id("client-search-results")
    results.wait_for()
    assert results.locator("li").count() == 1
    assert "田中 太郎" in results.inner_text() and "1990" in results.inner_text()
    page.keyboard.press("ArrowDown")
    assert focused(page)["value"] == str(person.pk)
    assert not page.locator("#new-client").is_visible()
    screenshot(page, "01-client-found")
    tab_to(page, "id_minutes", limit=20)
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Control+Enter")
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    assert Case.objects.get().client == person
    screenshot(page, "02-case-page")
