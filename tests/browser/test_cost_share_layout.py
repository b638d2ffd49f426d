"""The cost share at 1280 px, in Japanese and English: the share (負担額) is
the first number after the municipality, it is on screen without scrolling
sideways, and yen read ¥1,234 (no decimals, with separators).

The widest case: a fixed base plus usage (one more column), amounts in the
tens of millions of yen and seven-digit interpreter costs.  Screenshots: test-artifacts/screenshots/ and
/tmp/ux-costshare.png (the Japanese page)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts.models import User
from interpreters.models import Booking
from municipalities.models import Desk, Municipality
from reports.models import CostShareRule
from tests.browser.helpers import assert_page_sound
from tests.reports.dataset import add_bookings, build

pytestmark = pytest.mark.browser

WIDTH = 1280


@pytest.fixture
def fy2026(demo_staff, monkeypatch):
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
    # A year's worth of on-site interpreting in Soja: seven-digit costs in the widest columns.
    Booking.objects.filter(status="completed", attributed_municipality__code="332089").update(
        cost=Decimal("1234567.50")
    )
    kurashiki = Municipality.objects.get(code="332020")
    # Ten members × ¥1,234,567 base; the rest by consultations Kurashiki 1 : Ibara 4.
    CostShareRule.objects.create(
        consortium=kurashiki.consortium,
        fiscal_year=2026,
        method="base_plus_usage",
        amount=98_765_432,
        base_amount=1_234_567,
        usage_basis="consultations",
    )
    return data


@pytest.mark.parametrize(
    ("locale", "share_header", "kurashiki", "total_row"),
    [("ja-JP", "負担額", "倉敷市", "合計"), ("en-GB", "share", "Kurashiki", "total")],
)
def test_the_share_is_on_screen_at_1280_px_with_yen_formatted(
    live_server, fy2026, new_page, sign_in, screenshot, locale, share_header, kurashiki, total_row
):
    page = new_page(locale=locale, viewport={"width": WIDTH, "height": 800})
    sign_in(page, "admin")
    page.goto(live_server.url + "/reports/cost-share/?fy=2026")
    if locale != "ja-JP":  # the portal follows the person's language, switched here as a person would
        with page.expect_navigation():
            page.locator(".lang-switch button[value='en']").click()
    table = page.get_by_test_id("cost-share-shares")
    table.wait_for()
    screenshot(page, f"cost-share-{locale}")  # before the checks: a failure can be looked at
    if locale == "ja-JP":
        page.screenshot(path="/tmp/ux-costshare.png", full_page=True)

    # The share is the first column after the municipality.
    assert table.locator("thead tr").first.locator("th").nth(1).inner_text().strip() == share_header

    # ¥, thousands separators, no decimals — the rule, the shares, the costs.
    # 98,765,432 − 10 × 1,234,567 = 86,419,762 by 1 : 4 → 17,283,952.4 / 69,135,809.6
    # → 17,283,952 / 69,135,809 (86,419,761), the yen left to Ibara (.6).
    assert page.get_by_test_id("cost-share-amount").inner_text().startswith("¥98,765,432")
    kurashiki_row = table.locator("tbody tr", has=page.locator("th", has_text=kurashiki))
    assert kurashiki_row.locator("[data-col=share]").inner_text() == "¥18,518,519"  # 1,234,567 + 17,283,952
    total = table.locator("tbody tr").last
    assert total.locator("th").inner_text() == total_row
    assert total.locator("[data-col=share]").inner_text() == "¥98,765,432"
    assert total.locator("[data-col=cost]").inner_text() == "¥1,236,723"  # 1,234,567.50 + 1,200 + 955.50
    assert kurashiki_row.locator("[data-col=cost]").inner_text() == "¥1,200"
    modalities = page.get_by_test_id("cost-share-modalities")
    soja = modalities.locator("tbody tr").nth(3)
    assert soja.locator("td").nth(4).inner_text() == "¥1,234,568"  # on-site, rounded half up
    for body in (table.inner_text(), modalities.inner_text(), page.get_by_test_id("cost-share-languages").inner_text()):
        assert ".00" not in body and ".50" not in body

    # Every share cell lies inside the 1280 px window, and nothing scrolls sideways.
    shares = table.locator("[data-col=share]")
    assert shares.count() == 12  # ten members, outside, total
    for i in range(shares.count()):
        box = shares.nth(i).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
    table_box = table.bounding_box()
    assert table_box["x"] + table_box["width"] <= WIDTH
    for scroll in ("cost-share-shares-scroll", "cost-share-modalities-scroll"):
        assert page.get_by_test_id(scroll).evaluate("el => el.scrollWidth - el.clientWidth") <= 0, scroll
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

    assert_page_sound(page)
    page.guard.assert_clean()
