"""Issue 9 in a real browser, in Japanese, at a 1366×768 laptop and a 768×1024
tablet: error pages, Enter that moves on, the session-expiry warning and the
draft store, back-and-save, the home work queue, the tablet case list.
Screenshots: test-artifacts/screenshots/test_*counter*…png"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from consult.models import Case, Client
from tests.browser.conftest import TABLET
from tests.browser.helpers import assert_page_sound

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
WIDTHS = [pytest.param(LAPTOP, id="laptop"), pytest.param(TABLET, id="tablet")]


def _focused_id(page) -> str:
    return page.evaluate("() => document.activeElement.id || document.activeElement.name || ''")


@pytest.mark.parametrize("viewport", WIDTHS)
def test_404_page_is_japanese_and_has_the_header(live_server, demo_staff, new_page, sign_in, screenshot, viewport):
    page = new_page(locale="ja-JP", viewport=viewport)
    sign_in(page, "staff-332020", demo_staff)
    response = page.goto(live_server.url + "/no-such-page/")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.get_by_role("heading", level=1).inner_text() == "ページが見つかりません"
    assert page.locator("header.site-header").is_visible()
    assert page.get_by_test_id("user-chip").is_visible()
    assert page.get_by_role("link", name="ホーム").first.is_visible()
    assert "URLconf" not in page.content()
    assert_page_sound(page)
    screenshot(page, "404")
    # Chromium reports the 404 of the page itself on the console: expected here.
    page.wait_for_timeout(300)
    page.guard.console_errors[:] = [e for e in page.guard.console_errors if "/no-such-page/" not in e]
    print(page.guard.console_errors)


@pytest.mark.parametrize("viewport", WIDTHS)
def test_enter_in_the_name_field_moves_on_and_does_not_save(
    live_server, demo_staff, new_page, sign_in, screenshot, viewport
):
    page = new_page(locale="ja-JP", viewport=viewport)
    sign_in(page, "staff-332020", demo_staff)
    page.goto(live_server.url + "/consultations/new/")
    page.locator("#client-choice-new").check()
    name = page.locator("#id_name")
    name.click()
    page.keyboard.type("グエン・ヴァン・ナム")
    url = page.url
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    assert page.url == url
    assert Case.objects.count() == 0
    assert _focused_id(page) == "id_name_kana"  # the next field
    assert name.input_value() == "グエン・ヴァン・ナム"
    screenshot(page, "enter-moved-on")


@pytest.mark.parametrize("viewport", WIDTHS)
def test_the_session_warning_offers_one_click_extension(
    live_server, demo_staff, new_page, sign_in, screenshot, settings, viewport
):
    # A short idle timeout so the warning comes within seconds.
    settings.SESSION_COOKIE_AGE = 14
    settings.SESSION_WARNING_SECONDS = 11
    page = new_page(locale="ja-JP", viewport=viewport)
    sign_in(page, "staff-332020", demo_staff)
    warning = page.get_by_test_id("session-warning")
    assert warning.is_hidden()
    warning.wait_for(state="visible", timeout=8000)
    assert "自動的にログアウトします" in warning.inner_text()
    assert_page_sound(page)
    screenshot(page, "warning")
    before = Session.objects.get().expire_date
    warning.get_by_role("button", name="ログインを延長").click()
    warning.wait_for(state="hidden")
    assert Session.objects.get().expire_date > before
    assert page.url == live_server.url + "/"  # one click, no page change


@pytest.mark.parametrize("viewport", WIDTHS)
def test_the_tablet_case_list_has_no_column_narrower_than_its_header(
    live_server, demo_staff, new_page, sign_in, screenshot, viewport
):
    from django.contrib.auth import get_user_model

    from municipalities.models import Desk
    from tests.factories import CaseFactory, ConsultationFactory

    staff = get_user_model().objects.get(username="staff-332020")
    hub = Desk.objects.get(code="KRS")
    for i, (name, title) in enumerate(
        [
            ("グエン・ヴァン・ナム", "在留期間更新と国民健康保険の切替について、会社を辞めた後の手続"),
            ("NGUYEN Thi Lan", "Tax refund after leaving Japan (脱退一時金) and pension withdrawal payment"),
            ("田中 花子", "子どもの転校"),
        ]
    ):
        client = Client.objects.create(registered_desk=hub, name=name)
        case = CaseFactory(handling_desk=hub, created_by=staff, assignee=staff, client=client, title=title)
        ConsultationFactory(case=case)
        Case.objects.filter(pk=case.pk).update(last_activity_at=timezone.now() - timedelta(hours=i))
    page = new_page(locale="ja-JP", viewport=viewport)
    sign_in(page, "staff-332020", demo_staff)
    page.goto(live_server.url + "/cases/")
    table = page.get_by_test_id("case-table")
    assert table.is_visible()
    narrow = page.evaluate(
        """() => {
            const out = [];
            for (const th of document.querySelectorAll("[data-testid=case-table] thead th")) {
                const box = th.getBoundingClientRect();
                if (box.width === 0) continue;  // a column given way on this width
                const range = document.createRange();
                range.selectNodeContents(th);
                const text = range.getBoundingClientRect().width;
                if (box.width + 0.5 < text) out.push(`${th.textContent.trim()}: ${box.width} < ${text}`);
            }
            // No cell wraps one character per line: every cell is at least 3 characters wide.
            for (const td of document.querySelectorAll("[data-testid=case-table] tbody td")) {
                const box = td.getBoundingClientRect();
                if (box.width === 0) continue;
                const em = parseFloat(getComputedStyle(td).fontSize);
                if (box.width < 3 * em) out.push(`cell ${td.className}: ${box.width}px`);
            }
            return out;
        }"""
    )
    assert narrow == []
    subject = page.locator("td.col-subject").first
    assert subject.bounding_box()["height"] < 200  # not one character per line
    assert_page_sound(page)
    screenshot(page, "case-list")


def _start_consultation(page, live_server, *, name: str, notes: str) -> None:
    """Language, one topic, a new client and notes, typed as at the counter."""
    page.goto(live_server.url + "/consultations/new/")
    page.locator("#language-filter").fill("べとなむ")
    page.locator("#language-filter").press("Enter")
    page.locator("#topic-filter").fill("ざいりゅうきかん")
    page.locator("#topic-filter").press("Enter")
    page.locator("#client-choice-new").check()
    page.locator("#id_name").fill(name)
    page.locator("#id_notes").fill(notes)
    page.locator("input[name=outcome][value=resolved]").check()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_an_expired_session_loses_nothing(live_server, demo_staff, new_page, sign_in, screenshot, viewport):
    page = new_page(locale="ja-JP", viewport=viewport)
    sign_in(page, "staff-332020", demo_staff)
    _start_consultation(page, live_server, name="グエン・ヴァン・ナム", notes="在留期間更新の必要書類を案内した。")
    screenshot(page, "01-typed")

    # Let the likely-match search that typing the name triggered finish first:
    # a session deleted under a running request makes that request a 400.
    page.wait_for_timeout(600)
    page.wait_for_load_state("networkidle")
    Session.objects.all().delete()  # the idle timeout passed while the resident was still talking
    with page.expect_navigation():
        page.get_by_test_id("intake-save").click()
    assert "/accounts/login/" in page.url
    assert "入力内容は失われていません" in page.locator(".messages").inner_text()
    assert_page_sound(page)
    screenshot(page, "02-sign-in-again")
    assert Case.objects.count() == 0

    sign_in(page, "staff-332020", demo_staff)
    assert page.url.endswith("/consultations/new/")
    assert page.locator("#id_name").input_value() == "グエン・ヴァン・ナム"
    assert page.locator("#id_notes").input_value() == "在留期間更新の必要書類を案内した。"
    assert page.locator("#topic-list input:checked").count() == 1
    assert "下のフォームに戻しました" in page.locator(".messages").inner_text()
    assert_page_sound(page)
    screenshot(page, "03-restored")

    with page.expect_navigation():
        page.get_by_test_id("intake-save").click()
    assert "/cases/" in page.url
    assert Case.objects.count() == 1
    assert Client.objects.filter(name="グエン・ヴァン・ナム").count() == 1


@pytest.mark.parametrize("viewport", WIDTHS)
def test_back_and_save_asks_instead_of_duplicating(live_server, demo_staff, new_page, sign_in, screenshot, viewport):
    page = new_page(locale="ja-JP", viewport=viewport)
    sign_in(page, "staff-332020", demo_staff)
    _start_consultation(page, live_server, name="グエン・ヴァン・ナム", notes="国民健康保険の切替を案内した。")
    with page.expect_navigation():
        page.get_by_test_id("intake-save").click()
    first_url = page.url
    assert Case.objects.count() == 1

    page.go_back()
    page.wait_for_load_state()
    if page.locator("#id_name").input_value() != "グエン・ヴァン・ナム":
        # The browser reloaded the form without the name (autocomplete=off
        # fields are not restored): type it again, as a counsellor would.
        _start_consultation(page, live_server, name="グエン・ヴァン・ナム", notes="国民健康保険の切替を案内した。")
    with page.expect_navigation():
        page.get_by_test_id("intake-save").click()
    assert Case.objects.count() == 1
    if page.url != first_url:  # a fresh form: the server asks
        warning = page.get_by_test_id("duplicate-warning")
        assert warning.is_visible()
        assert "同じ内容の相談を" in warning.inner_text()
        assert page.evaluate("() => document.activeElement.dataset.testid") == "duplicate-warning"
        assert_page_sound(page)
        screenshot(page, "asks")
        with page.expect_navigation():
            page.get_by_test_id("duplicate-open").click()
    assert page.url == first_url
    assert Case.objects.count() == 1


@pytest.mark.parametrize("viewport", WIDTHS)
def test_home_queue_shows_a_follow_up_due_today(live_server, demo_staff, new_page, sign_in, screenshot, viewport):
    from django.contrib.auth import get_user_model

    from consult.models import FollowUp
    from municipalities.models import Desk
    from tests.factories import CaseFactory, ConsultationFactory

    staff = get_user_model().objects.get(username="staff-332020")
    hub = Desk.objects.get(code="KRS")
    person = Client.objects.create(registered_desk=hub, name="グエン・ヴァン・ナム")
    case = CaseFactory(handling_desk=hub, created_by=staff, assignee=staff, client=person, title="在留期間更新")
    ConsultationFactory(case=case)
    FollowUp.objects.create(
        case=case, assignee=staff, due_date=timezone.localdate(), note="許可の結果を電話で確認", created_by=staff
    )
    other = CaseFactory(handling_desk=hub, created_by=staff, status="waiting", title="年金の脱退一時金")
    ConsultationFactory(case=other)

    page = new_page(locale="ja-JP", viewport=viewport)
    sign_in(page, "staff-332020", demo_staff)
    panel = page.get_by_test_id("panel-follow-ups")
    assert panel.get_by_test_id("panel-count").inner_text() == "1件"
    item = panel.get_by_test_id("queue-item")
    assert "許可の結果を電話で確認" in item.inner_text() and "今日が期日" in item.inner_text()
    assert other.reference in page.get_by_test_id("panel-waiting").inner_text()
    assert_page_sound(page)
    screenshot(page, "home")
    with page.expect_navigation():
        item.get_by_role("link").click()
    assert page.url == f"{live_server.url}/cases/{case.pk}/#follow-ups"
    assert "許可の結果を電話で確認" in page.get_by_test_id("open-follow-up").inner_text()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_client_quick_contact_and_promote_pages_pass_axe(
    live_server, demo_staff, new_page, sign_in, screenshot, viewport
):
    from django.contrib.auth import get_user_model

    from municipalities.models import Desk
    from tests.factories import CaseFactory, ConsultationFactory

    staff = get_user_model().objects.get(username="staff-332020")
    hub = Desk.objects.get(code="KRS")
    person = Client.objects.create(registered_desk=hub, name="グエン・ヴァン・ナム", nationality="VN")
    ConsultationFactory(case=CaseFactory(handling_desk=hub, created_by=staff, client=person))
    quick = CaseFactory(handling_desk=hub, created_by=staff, is_quick_contact=True)
    ConsultationFactory(case=quick)

    page = new_page(locale="ja-JP", viewport=viewport)
    sign_in(page, "staff-332020", demo_staff)
    for name, path in [
        ("client", f"/clients/{person.pk}/"),
        ("quick-contact", "/consultations/quick/"),
        ("promote", f"/cases/{quick.pk}/promote/"),
    ]:
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == "ja"
        assert_page_sound(page)
        screenshot(page, name)
    # The promote page has the type-to-filter pickers too.
    page.locator("#client-choice-new").check()
    page.locator("#id_residence_status-filter").fill("とくていぎのう1")
    assert page.locator("#id_residence_status option:checked").inner_text() == "特定技能1号"
    assert_page_sound(page)
    screenshot(page, "promote-picker")


def test_the_printed_case_page_is_a_record(live_server, demo_staff, new_page, sign_in, screenshot):
    from django.contrib.auth import get_user_model

    from core.models import AuditEvent
    from municipalities.models import Desk
    from tests.factories import CaseFactory, ConsultationFactory

    staff = get_user_model().objects.get(username="staff-332020")
    hub = Desk.objects.get(code="KRS")
    person = Client.objects.create(registered_desk=hub, name="グエン・ヴァン・ナム")
    case = CaseFactory(handling_desk=hub, created_by=staff, client=person, title="在留期間更新")
    for _ in range(4):
        ConsultationFactory(case=case, notes="在留期間更新の必要書類を案内した。" * 8)
    page = new_page(locale="ja-JP", viewport=LAPTOP)
    sign_in(page, "staff-332020", demo_staff)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.emulate_media(media="print")
    assert page.get_by_test_id("print-header").is_visible()
    assert "取扱注意" in page.get_by_test_id("print-header").inner_text()
    assert "相談員（デモ）" in page.get_by_test_id("print-header").inner_text()
    assert page.locator("form:visible, button:visible, header.site-header:visible").count() == 0
    breaks = page.evaluate(
        "() => [...document.querySelectorAll('.timeline__item')].map(e => getComputedStyle(e).breakInside)"
    )
    assert breaks and set(breaks) == {"avoid"}
    screenshot(page, "print")
    # Printing is recorded like viewing: the beforeprint handler posts it.
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_timeout(500)
    event = AuditEvent.objects.filter(action="print", case=case).get()
    assert event.actor == staff
