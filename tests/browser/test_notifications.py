"""Reminders in a real browser, in Japanese (issue 10): a follow-up due today
shows in staff-332020's notification list with the unread count in the
header; the e-mail (the test mail backend) is Japanese with a link to the
case; the follow-up a topic template proposes on the intake screen falls on
a business day.  Screenshots: test-artifacts/screenshots/."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from consult.models import Case, FollowUp
from consult.selectors.follow_ups import business_days_later
from core import calendar
from municipalities.models import Desk
from notifications import services
from notifications.models import Notification
from notifications.producers import run_producers
from tests.browser.helpers import assert_page_sound

pytestmark = pytest.mark.browser


def test_a_follow_up_due_today_reaches_staff_in_the_portal_and_by_email(
    live_server, demo_staff, new_page, sign_in, screenshot, settings
):
    settings.PORTAL_BASE_URL = live_server.url
    staff = get_user_model().objects.get(username="staff-332020")
    desk = Desk.objects.get(code="KRS")
    case = Case.objects.create(
        reference="KRS-2026-09001", handling_desk=desk, assignee=staff, created_by=staff, title="在留期間更新の相談"
    )
    FollowUp.objects.create(
        case=case, due_date=timezone.localdate(), assignee=staff, note="申請結果を電話で確認する", created_by=staff
    )
    assert run_producers() >= 1
    reminder = Notification.objects.get(recipient=staff, kind="consult.follow_up_due")

    page = new_page(locale="ja-JP")
    sign_in(page, "staff-332020", demo_staff)
    link = page.get_by_test_id("notifications-link")
    unread = Notification.objects.for_inbox(staff).unread().count()
    assert unread >= 1
    assert link.get_by_test_id("unread-count").inner_text() == str(unread)
    link.click()
    page.wait_for_url(f"{live_server.url}/notifications/")
    assert page.locator("h1").inner_text() == "通知"
    item = page.get_by_test_id("notification").filter(has_text="KRS-2026-09001")
    assert item.inner_text().count("本日期日のフォローアップ: KRS-2026-09001") == 1
    assert "未読" in item.inner_text()
    assert_page_sound(page)
    screenshot(page, "01-notification-list")

    # The e-mail waits for office hours; at the next opening the worker's
    # delivery sends it — once, in Japanese, with a link to the case.
    claimed = services.notification_claim_due(now=reminder.due_at)
    assert reminder.pk in claimed
    for pk in claimed:
        services.notification_deliver(notification_id=pk, now=reminder.due_at)
    assert services.notification_deliver(notification_id=reminder.pk, now=reminder.due_at) == "skipped"
    sent = [m for m in mail.outbox if "KRS-2026-09001" in m.subject]
    assert len(sent) == 1
    message = sent[0]
    assert message.to == [staff.email]
    assert message.subject == "本日期日のフォローアップ: KRS-2026-09001"
    assert "予定内容: 申請結果を電話で確認する" in message.body
    case_url = f"{live_server.url}/cases/{case.pk}/#follow-ups"
    assert case_url in message.body
    html = message.alternatives[0].content
    assert f'href="{case_url}"' in html and "相談案件を開く" in html

    # The link in the e-mail opens the case; "開く" in the list marks it read.
    item.get_by_role("button", name="開く").click()
    page.wait_for_url(f"{live_server.url}/cases/{case.pk}/**")
    header_count = page.get_by_test_id("notifications-link").get_by_test_id("unread-count")
    if unread == 1:
        assert header_count.count() == 0
    else:
        assert header_count.inner_text() == str(unread - 1)
    reminder.refresh_from_db()
    assert reminder.read_at is not None
    page.goto(case_url)
    assert "KRS-2026-09001" in page.locator("main").inner_text()


def test_the_topic_template_proposes_a_follow_up_on_a_business_day(
    live_server, demo_staff, new_page, sign_in, screenshot
):
    page = new_page(locale="ja-JP")
    sign_in(page, "staff-332020", demo_staff)
    page.goto(live_server.url + "/consultations/new/")
    page.locator("#topic-filter").fill("ざいりゅうきかん")
    page.locator("#topic-filter").press("Enter")
    due_value = page.locator("#id_follow_up_due").input_value()
    due = dt.date.fromisoformat(due_value)
    assert calendar.is_business_day(due)
    assert due == business_days_later(5, desk=Desk.objects.get(code="KRS"))
    assert calendar.business_days_between(timezone.localdate(), due) == 5
    assert page.locator("#id_follow_up_note").input_value() == "在留期間更新の申請状況を電話で確認する"
    proposal = page.locator("[data-follow-up-proposal]").inner_text()
    assert "在留期間更新" in proposal and "5開庁日後" in proposal and due_value in proposal
    screenshot(page, "02-intake-proposed-follow-up")
    # Unticking the topic takes the untouched proposal back.
    page.locator("#topic-list input:checked").first.uncheck()
    assert page.locator("#id_follow_up_due").input_value() == ""
    assert page.locator("#id_follow_up_note").input_value() == ""
    assert_page_sound(page)
