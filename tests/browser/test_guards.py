"""The browser checks must be able to fail: each guard is shown catching
what it exists to catch, on a real page of the live server."""

import pytest

from tests.browser.helpers import (
    assert_no_horizontal_overflow,
    assert_touch_targets,
    inline_code_in,
    run_axe,
)

pytestmark = pytest.mark.browser


def test_inline_code_finder_flags_what_the_csp_refuses():
    assert inline_code_in('<link rel="stylesheet" href="/static/css/madoguchi.css"><script src="/x.js"></script>') == []
    assert inline_code_in('<script type="application/json">{"a": 1}</script>') == []
    found = inline_code_in('<p style="color:red">x</p><style>p{}</style><script>alert(1)</script><a onclick="x()">')
    assert found == ["<p style=…>", "<style>", "<script> without src", "<a on…= handler>"]


def test_guard_blocks_and_reports_requests_to_other_origins(live_server, new_page):
    page = new_page()
    page.goto(live_server.url + "/accounts/login/")
    assert page.guard.problems() == []
    with pytest.raises(Exception, match="ERR_BLOCKED_BY_CLIENT"):
        page.goto("http://cdn.example.invalid/lib.js")
    assert page.guard.foreign_requests == ["http://cdn.example.invalid/lib.js"]
    page.guard.foreign_requests.clear()
    page.guard.console_errors.clear()


def test_guard_reports_csp_violations_as_console_errors(live_server, new_page):
    page = new_page()
    page.goto(live_server.url + "/accounts/login/")
    # What a careless template change would do: an inline style element and
    # a stylesheet from elsewhere.  The CSP refuses both; the guard notices.
    page.evaluate(
        """() => {
            const style = document.createElement("style");
            style.textContent = "body { color: red }";
            document.head.append(style);
        }"""
    )
    page.wait_for_timeout(200)
    assert any("Content Security Policy" in m for m in page.guard.console_errors), page.guard.console_errors
    page.guard.console_errors.clear()


def test_axe_runs_under_the_csp_and_finds_violations(live_server, new_page):
    page = new_page()
    page.goto(live_server.url + "/accounts/login/")
    assert [v for v in run_axe(page) if v["impact"] in {"serious", "critical"}] == []
    page.evaluate(
        """() => {
            const img = document.createElement("img");
            img.src = "/static/img/favicon.svg";  // no alt text
            document.querySelector("main").append(img);
        }"""
    )
    assert "image-alt" in {v["id"] for v in run_axe(page)}


def test_layout_checks_catch_small_targets_and_overflow(live_server, new_page):
    page = new_page()
    page.goto(live_server.url + "/accounts/login/")
    assert_touch_targets(page)
    assert_no_horizontal_overflow(page)
    page.evaluate(
        """() => {
            const tiny = document.createElement("a");
            tiny.href = "/"; tiny.textContent = "x";
            document.querySelector(".auth-card").append(tiny);
        }"""
    )
    with pytest.raises(AssertionError, match="targets smaller than 44px"):
        assert_touch_targets(page)
    # Script may size elements through the CSSOM (the CSP allows that).
    page.evaluate("""() => { document.querySelector(".auth-card").style.width = "2000px"; }""")
    with pytest.raises(AssertionError, match="horizontal overflow"):
        assert_no_horizontal_overflow(page)


def test_guard_reports_pages_served_with_inline_code(live_server, new_page):
    page = new_page()
    # Stand in for a template that grew a style attribute and an inline script.
    page.route(
        live_server.url + "/careless-page/",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            body='<!DOCTYPE html><html lang="en"><title>x</title><p style="color:red">x</p><script>1</script>',
        ),
    )
    page.goto(live_server.url + "/careless-page/")
    for _ in range(40):  # the response event is handled just after goto returns
        if page.guard.inline_code:
            break
        page.wait_for_timeout(50)
    assert page.guard.inline_code == [
        f"{live_server.url}/careless-page/: <p style=…>",
        f"{live_server.url}/careless-page/: <script> without src",
    ]
    page.guard.inline_code.clear()
