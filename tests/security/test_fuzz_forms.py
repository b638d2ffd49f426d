"""Issue 12 point 12: hypothesis drives every form and every list filter with
generated input — control characters, invisible and bidi characters, huge
and odd values, missing and repeated fields — and no answer is a 500, and a
submission that is refused leaves nothing half-saved.

The forms are found, not listed: the URL configuration is walked (as the
deny-by-default test does) and crawled one link deep from the pages a
signed-in coordinator and administrator see, with demo data (seed_demo), so
each URL pattern is requested with a real object; every <form> on every page
that answers 200 is driven, GET forms (list filters, searches) and POST
forms alike.  A new screen is therefore covered as soon as it is linked or
routed.

Bounded: FUZZ_MAX_EXAMPLES examples per form (default 4; `FUZZ_MAX_EXAMPLES=50`
for a longer hunt), hypothesis' example database off (no state between runs).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.test_deny_by_default import all_urls
from tests.factories import PASSWORD, as_user

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "4"))

# URL names never driven, and why.
SKIP = {
    "account_logout": "ends the session that the rest of the run needs",
    "set_language": "switches the interface language only (covered by tests/core/test_language.py)",
}
# URL namespaces never driven: Django's own admin (superusers only; its
# forms are ModelForms over the models whose constraints our screens drive).
SKIP_NAMESPACES = ("admin:",)
# Tables a refused submission may still write: the trail of what was viewed,
# the session, the cache, and the sign-in bookkeeping.
MAY_CHANGE_ON_REFUSAL = {"core_auditevent", "django_session", "madoguchi_cache", "accounts_user"}

CONTROL = [chr(c) for c in range(0x00, 0x20)] + ["\x7f", "\x85", "\u2028", "\u2029"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u202d", "\u2066", "\u2069", "\u00ad"]
ODD = [
    "",
    " ",
    "a\x00b",
    "\x00",
    "\u202eevil\u202c",
    "Ngu\u200byen",
    "-1",
    "0",
    "-0",
    "1e309",
    "NaN",
    "Infinity",
    "99999999999999999999999999",
    "-9223372036854775809",
    "2147483648",
    "9999-12-31",
    "0001-01-01",
    "0000-00-00",
    "2026-02-30",
    "2026-13-01",
    "10000-01-01",
    "2026-04-01T25:61",
    "24:61",
    "' OR '1'='1",
    "1; DROP TABLE consult_case; --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7|add:7 }}",
    "../../../../etc/passwd",
    "%00",
    "%ZZ",
    "\r\n",
    "null",
    "[]",
    "{}",
    "true",
    "𠮷野家",
    "ｱｲｳ",
    "\ud7ff",
]
HUGE = ["x" * 20_000, "相" * 12_000, "9" * 2_000, "\x00" * 1_000, "😀" * 3_000]

text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
nasty = st.text(alphabet=st.sampled_from(CONTROL + INVISIBLE + list("aあ1-:/ ")), max_size=20)
scalar = st.one_of(st.sampled_from(ODD), text, nasty, st.sampled_from(HUGE))


@dataclass
class Field:
    name: str
    kind: str  # text, select, checkbox, radio, hidden, submit, textarea, number, date …
    values: list[str] = field(default_factory=list)  # options / the rendered value

    def strategy(self):
        rendered = st.sampled_from(self.values) if self.values else st.just("")
        value = st.one_of(rendered, scalar)
        # Left out, one value, or the field repeated with two.
        return st.one_of(st.none(), value, st.lists(value, min_size=2, max_size=2))


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, Field]

    @property
    def key(self) -> tuple:
        try:
            route = resolve(urlsplit(self.action).path).route
        except Resolver404:
            route = urlsplit(self.action).path
        return (self.method, route, tuple(sorted(self.fields)))


class PageParser(HTMLParser):
    """The forms and the same-site links of one page."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "option" and self._select is not None:
            self._select.values.append(a.get("value", ""))
        elif tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"])
        elif tag == "form":
            method = (a.get("method") or "get").lower()
            action = urljoin(self.url, a.get("action") or a.get("hx-post") or a.get("hx-get") or self.url)
            self._form = Form(method, action, {})
        elif self._form is not None and a.get("name"):
            self._field(tag, a)

    def _field(self, tag, a):
        name, fields = a["name"], self._form.fields
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"file", "image"}:
                return
            entry = fields.setdefault(name, Field(name, kind))
            entry.values.append(a.get("value", "on" if kind in {"checkbox", "radio"} else ""))
        elif tag in {"textarea"}:
            fields.setdefault(name, Field(name, "textarea"))
        elif tag == "select":
            self._select = fields.setdefault(name, Field(name, "select"))
        elif tag == "button" and a.get("type", "submit") == "submit":
            fields.setdefault(name, Field(name, "submit")).values.append(a.get("value", ""))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None


def _skipped(view_name: str | None) -> bool:
    return view_name in SKIP or (view_name or "").startswith(SKIP_NAMESPACES)


def _writes() -> dict[str, int]:
    """Rows inserted, updated or deleted so far in this (the test's) transaction, per table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables"
            " WHERE schemaname = 'public'"
        )
        return dict(cursor.fetchall())


def _checksums(tables) -> dict[str, str]:
    """A checksum of each table's visible rows."""
    # Table names come from the statistics view, quoted.
    select = "SELECT %s, md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM {} x"
    tables = sorted(tables)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(select.format(connection.ops.quote_name(t)) for t in tables), tables)
        return dict(cursor.fetchall())


def _half_saved(before: dict[str, int], savepoint) -> list[str]:
    """Tables a refused request left changed.  The statistics say which
    tables were written (also by work rolled back inside the request); the
    rows of those tables are compared with the savepoint taken before it."""
    after = _writes()
    written = {t for t, n in after.items() if n != before.get(t, 0)} - MAY_CHANGE_ON_REFUSAL
    if not written:
        return []
    now = _checksums(written)
    transaction.savepoint_rollback(savepoint)
    then = _checksums(written)
    return sorted(t for t in written if now[t] != then[t])


def _refused(response) -> bool:
    if response.status_code >= 400:
        return True
    if response.status_code != 200 or response.get("HX-Redirect") or response.get("HX-Location"):
        return False
    body = response.content.decode(errors="replace")
    return 'aria-invalid="true"' in body or 'class="errorlist' in body


def _get_pages(client, label: str) -> list[tuple[str, str]]:
    """(url, html) of every page that answers 200: the URL walk, then one
    link deep, one URL per pattern (the first with a real object wins)."""
    seen_routes: dict[str, str] = {}
    pages: list[tuple[str, str]] = []

    def visit(url: str) -> list[str]:
        try:
            route = resolve(urlsplit(url).path)
        except Resolver404:
            return []
        if _skipped(route.view_name) or route.route in seen_routes:
            return []
        response = client.get(url)
        assert response.status_code != 500, f"{label}: GET {url} answered 500"
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            return []
        seen_routes[route.route] = url
        html = response.content.decode(errors="replace")
        pages.append((url, html))
        parser = PageParser(url)
        parser.feed(html)
        return parser.links

    links = []
    for _key, url, _entry in all_urls():
        links.extend(visit(url))
    for link in dict.fromkeys(links):
        visit(link)
    return pages


def _forms(pages) -> list[Form]:
    forms: dict[tuple, Form] = {}
    for url, html in pages:
        parser = PageParser(url)
        parser.feed(html)
        for form in parser.forms:
            if urlsplit(form.action).netloc not in {"", "testserver"}:
                continue
            try:
                if _skipped(resolve(urlsplit(form.action).path).view_name):
                    continue
            except Resolver404:
                continue
            forms.setdefault(form.key, form)
    return list(forms.values())


def _drive(client, user, form: Form, failures: list[str]) -> None:
    strategy = st.fixed_dictionaries({name: f.strategy() for name, f in form.fields.items()})

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(values=strategy)
    def run(values):
        data = {k: v for k, v in values.items() if v is not None}
        path = urlsplit(form.action).path
        query = urlsplit(form.action).query
        before = _writes()
        savepoint = transaction.savepoint()
        try:
            if form.method == "post":
                response = client.post(path + (f"?{query}" if query else ""), data)
            else:
                response = client.get(path, data)
        except Exception as exc:  # noqa: BLE001 - the test client re-raises what a 500 would hide
            failures.append(f"{form.method.upper()} {path} {sorted(data)}: {type(exc).__name__}: {exc}"[:500])
            transaction.savepoint_rollback(savepoint)
            return
        if response.status_code >= 500:
            failures.append(f"{form.method.upper()} {path} {sorted(data)}: {response.status_code}")
        elif _refused(response) and (changed := _half_saved(before, savepoint)):
            failures.append(f"{form.method.upper()} {path} refused ({response.status_code}) but changed {changed}")
        transaction.savepoint_commit(savepoint)
        if not response.wsgi_request.user.is_authenticated or "_auth_user_id" not in client.session:
            as_user(client, user)  # a form that ended the session (e.g. a password change)

    run()


@pytest.fixture
def demo(reference_data, rate_limits_cleared):
    from accounts.models import User

    call_command("seed_demo", cases=12, interpreters=True, password=PASSWORD, stdout=io.StringIO())
    return {name: User.objects.get(username=name) for name in ("coordinator-332020", "admin")}


@pytest.mark.parametrize("who", ["coordinator-332020", "admin"])
def test_every_form_and_filter_survives_generated_input(client, demo, who):
    import time

    user = demo[who]
    as_user(client, user)
    started = time.monotonic()
    pages = _get_pages(client, who)
    forms = _forms(pages)
    print(f"{who}: {len(pages)} pages, {len(forms)} forms in {time.monotonic() - started:.1f} s")
    # The walk really reached the portal (not only the sign-in page).
    assert len(pages) >= 15 and len(forms) >= 5, (len(pages), [f.key for f in forms])
    failures: list[str] = []
    for form in forms:
        _drive(client, user, form, failures)
    print(f"{who}: driven in {time.monotonic() - started:.1f} s")
    assert not failures, f"{len(failures)} of {len(forms)} forms failed:\n" + "\n".join(failures[:40])
