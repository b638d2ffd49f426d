"""Checks every browser test can run on a page (fixtures live in conftest.py).

    from tests.browser.helpers import assert_accessible, assert_page_sound

`assert_page_sound(page)` is the usual one-liner: accessibility (axe-core),
no inline script/style, 44 px targets, no horizontal overflow.
"""

from __future__ import annotations

import json
import os
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from playwright.sync_api import Page

# AXE_CORE_PATH: another copy of axe-core (a worktree whose node_modules is shared and absent).
AXE_PATH = Path(os.environ.get("AXE_CORE_PATH") or Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js")
# WCAG 2.0, 2.1 and 2.2, levels A and AA (DESIGN.md §8: WCAG 2.2 AA / JIS X 8341-3).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
MIN_TARGET_PX = 44
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


@cache
def _axe_source() -> str:
    if not AXE_PATH.exists():
        from tests.conftest import skip_or_fail

        skip_or_fail(f"axe-core is missing ({AXE_PATH}); run `npm ci`")
    return AXE_PATH.read_text(encoding="utf-8")


def run_axe(page: Page, *, tags: list[str] | None = None) -> list[dict]:
    """Run axe-core on the current page and return its violations.

    axe is injected through DevTools (page.evaluate), which the page's
    Content-Security-Policy does not govern, so the CSP stays exactly as in
    production while the check runs."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return result.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.slice(0, 5).map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
            }));
        }""",
        tags or AXE_TAGS,
    )


def assert_accessible(page: Page) -> list[dict]:
    """Fail when axe-core finds a serious or critical WCAG 2.x A/AA violation.
    Returns the minor and moderate ones (printed, not fatal)."""
    violations = run_axe(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    others = [v for v in violations if v["impact"] not in BLOCKING_IMPACTS]
    for v in others:
        print(f"axe ({v['impact']}) on {page.url}: {v['id']} — {v['help']}")
    assert not blocking, f"axe-core on {page.url}:\n" + json.dumps(blocking, ensure_ascii=False, indent=2)
    return others


class _InlineCodeFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.offenders: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "style" in attributes:
            self.offenders.append(f"<{tag} style=…>")
        if tag == "style":
            self.offenders.append("<style>")
        if tag == "script" and not attributes.get("src") and attributes.get("type") not in DATA_SCRIPT_TYPES:
            self.offenders.append("<script> without src")
        if any(name.startswith("on") for name in attributes):
            self.offenders.append(f"<{tag} on…= handler>")


def inline_code_in(html: str) -> list[str]:
    """What in this HTML the CSP (script-src 'self'; style-src 'self') would
    refuse: <style>, style="", inline <script>, on…= handlers.  JSON data
    blocks (json_script, allauth's data-allauth-onload) are not scripts."""
    finder = _InlineCodeFinder()
    finder.feed(html)
    return finder.offenders


def assert_no_inline_code(page: Page) -> None:
    """No inline <style> or <script> in the live DOM either (nothing injected
    one at run time).  The served HTML is checked by the page guard."""
    offenders = page.evaluate(
        """() => Array.from(document.querySelectorAll(
              'style, script:not([src]):not([type="application/json"])'
           )).map((el) => el.outerHTML.slice(0, 160))"""
    )
    assert offenders == [], f"inline script/style on {page.url}: {offenders}"


def assert_touch_targets(page: Page, *, minimum: int = MIN_TARGET_PX) -> None:
    """Every visible link, button and form control is at least 44×44 px.

    Links inside running text (<p>) are exempt, as WCAG 2.5.8 exempts inline
    targets; a checkbox or radio counts through its label's row."""
    small = page.evaluate(
        """(minimum) => {
            const selector = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"]';
            const out = [];
            for (const el of document.querySelectorAll(selector)) {
                const rect = el.getBoundingClientRect();
                const style = getComputedStyle(el);
                if (rect.width === 0 || rect.height === 0 || style.visibility === "hidden") continue;
                if (rect.bottom <= 0 || rect.right <= 0) continue;  // off-screen until focused (skip link)
                if (el.closest("p")) continue;
                let box = rect;
                if (el.matches('input[type="checkbox"], input[type="radio"]')) {
                    const row = el.closest(".field__check, label");
                    if (!row) { out.push(el.outerHTML.slice(0, 120) + " (no label row)"); continue; }
                    box = row.getBoundingClientRect();
                }
                if (box.height < minimum - 0.5 || box.width < minimum - 0.5) {
                    out.push(`${Math.round(box.width)}×${Math.round(box.height)} ${el.outerHTML.slice(0, 120)}`);
                }
            }
            return out;
        }""",
        minimum,
    )
    assert small == [], f"targets smaller than {minimum}px on {page.url}:\n" + "\n".join(small)


def assert_no_horizontal_overflow(page: Page) -> None:
    """Nothing sticks out sideways: the page never scrolls horizontally
    (wide tables scroll inside their .table-wrap instead)."""
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth})"
    )
    assert widths["scroll"] <= widths["viewport"], f"horizontal overflow on {page.url}: {widths}"


def assert_page_sound(page: Page) -> None:
    """The checks every page a browser test visits should pass."""
    assert_no_inline_code(page)
    assert_no_horizontal_overflow(page)
    assert_touch_targets(page)
    assert_accessible(page)
