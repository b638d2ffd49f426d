"""Every language's autonym renders with a font the app serves itself: the
counter PCs are on a closed network, and no system font is assumed."""

import pytest

from consult.models import Language

pytestmark = pytest.mark.browser


def test_every_autonym_has_a_served_font(live_server, demo_staff, new_page, sign_in, screenshot):
    page = new_page(locale="ja-JP")
    sign_in(page, "staff-332020")
    page.goto(f"{live_server.url}/consultations/new/")
    autonyms = list(Language.objects.values_list("autonym", flat=True))
    assert len(autonyms) >= 25
    # document.fonts.load() answers the served faces that cover `text`; an
    # empty answer for every family means the browser would draw boxes.
    missing = page.evaluate(
        """async (autonyms) => {
            const families = getComputedStyle(document.body).fontFamily
                .split(",").map((f) => f.trim()).filter((f) => f.startsWith('"'));
            const missing = [];
            for (const text of autonyms) {
                let covered = false;
                for (const family of families) {
                    const faces = await document.fonts.load(`16px ${family}`, text);
                    if (faces.length) { covered = true; break; }
                }
                if (!covered) missing.push(text);
            }
            return missing;
        }""",
        autonyms,
    )
    assert missing == []
    screenshot(page, "intake-with-fonts")
