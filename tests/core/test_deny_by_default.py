"""Deny by default (DESIGN §8): walk the whole URL configuration — ours,
allauth's and the admin's — and request every URL anonymously.  Each one
must send the visitor to the sign-in page unless it is listed below, with
the reason it is open.  A new view is therefore closed until someone adds it
here on purpose."""

import json
import re
import uuid
from re import _parser as regex_parser  # the stdlib's own regex parser (sre_parse)
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter, UUIDConverter
from django.urls.resolvers import RegexPattern, RoutePattern

from tests.factories import UserFactory, as_user

pytestmark = pytest.mark.django_db

# Views an anonymous visitor may reach, and why.  Keys are URL names
# (with namespace).  Each must be marked @login_not_required in its code;
# the test below checks that this list and the code agree exactly.
OPEN_TO_ANONYMOUS = {
    "account_login": "the sign-in page itself",
    "account_logout": "signing out must work whatever the session's state; anonymous → sent to sign-in",
    "account_reset_password": "password reset: the request form, used by someone who cannot sign in",
    "account_reset_password_done": "password reset: 'we sent you an e-mail' notice, no data",
    "account_reset_password_from_key": "password reset: the link from the e-mail; useless without its secret key",
    "account_reset_password_from_key_done": "password reset: 'your password is changed' notice, no data",
    "account_signup": "allauth's sign-up URL: sign-up is closed by our adapter, the page only says so",
    "account_inactive": "allauth's 'this account is inactive' notice after a refused sign-in, no data",
    "account_email_verification_sent": "allauth's 'check your e-mail' notice, no data",
    "account_confirm_email": "link from an e-mail opened before signing in; useless without its secret key",
    "account_confirm_login_code": "a step of a pending sign-in (login code); without one it sends to sign-in",
    "mfa_authenticate": "the second-factor step of a pending sign-in; without one it sends to sign-in",
    "admin:login": "redirects to allauth's sign-in so that its rate limits guard /admin too",
    "healthz": "load-balancer probe: component status only, no data",
    "set_language": "switching the language must work on the sign-in page (POST only)",
}

# Patterns for which no sample URL can be built, and why.  Empty today: a
# pattern that cannot be built fails the walk until it is listed here.
UNBUILDABLE: dict[str, str] = {}

SAMPLE_UUID = str(uuid.UUID(int=1))
CONVERTER_SAMPLES = {
    IntConverter: "1",
    StringConverter: "x",
    SlugConverter: "x",
    PathConverter: "x",
    UUIDConverter: SAMPLE_UUID,
}


class Unbuildable(Exception):
    pass


# --- building a concrete URL for every pattern ---------------------------------


def _sample_from_class(items) -> str:
    """One character matching a regex class like [-:\\w] (alphanumerics preferred)."""
    candidates = []
    for op, arg in items:
        kind = str(op)
        if kind == "NEGATE":
            raise Unbuildable("negated character class")
        if kind == "LITERAL":
            candidates.append(chr(arg))
        elif kind == "RANGE":
            candidates.append(chr(arg[0]))
        elif kind == "CATEGORY":
            candidates.append("1" if "DIGIT" in str(arg) else "x")
    if not candidates:
        raise Unbuildable(f"character class {items!r}")
    return next((c for c in candidates if c.isalnum()), candidates[0])


def _sample_from_parsed(items) -> str:
    out = []
    for op, arg in items:
        kind = str(op)
        if kind == "LITERAL":
            out.append(chr(arg))
        elif kind == "AT":  # ^ and $
            continue
        elif kind == "ANY":
            out.append("x")
        elif kind == "IN":
            out.append(_sample_from_class(arg))
        elif kind in {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}:
            low, high, sub = arg
            # At least one repetition: ".*" must not collapse onto a shorter pattern.
            out.append(_sample_from_parsed(sub) * max(low, min(1, high)))
        elif kind == "SUBPATTERN":
            out.append(_sample_from_parsed(arg[-1]))
        elif kind == "BRANCH":
            out.append(_sample_from_parsed(arg[1][0]))
        else:
            raise Unbuildable(f"regex construct {kind}")
    return "".join(out)


def sample_for_regex(regex: str) -> str:
    sample = _sample_from_parsed(regex_parser.parse(regex))
    if not re.search(regex, sample):
        raise Unbuildable(f"sample {sample!r} does not match {regex!r}")
    return sample


def sample_for_route(pattern: RoutePattern) -> str:
    def fill(match: re.Match) -> str:
        converter = pattern.converters[match.group("name")]
        for kind, sample in CONVERTER_SAMPLES.items():
            if type(converter) is kind:
                return sample
        raise Unbuildable(f"converter {type(converter).__name__}: add a sample value")

    return re.sub(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>", fill, str(pattern))


def sample_piece(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return sample_for_route(pattern)
    if isinstance(pattern, RegexPattern):
        return sample_for_regex(pattern.regex.pattern)
    raise Unbuildable(f"pattern type {type(pattern).__name__}")


def walk(resolver=None, prefix="", namespace="", route=""):
    """(name with namespace or route, sample URL or Unbuildable, URLPattern)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        this_route = route + str(entry.pattern)
        try:
            piece = sample_piece(entry.pattern)
        except Unbuildable as exc:
            piece = exc
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if isinstance(piece, Unbuildable):
                yield this_route, piece, entry
                continue
            yield from walk(entry, prefix + piece, ns, this_route)
        elif isinstance(entry, URLPattern):
            key = f"{namespace}{entry.name}" if entry.name else this_route
            url = piece if isinstance(piece, Unbuildable) else "/" + prefix + piece
            yield key, url, entry


def all_urls() -> list[tuple[str, str, URLPattern]]:
    urls, problems = [], []
    for key, url, entry in walk():
        if key in UNBUILDABLE:
            continue
        if isinstance(url, Unbuildable):
            problems.append(f"{key}: {url}")
            continue
        match = resolve(url)
        if match.func is not entry.callback:
            problems.append(f"{key}: sample {url} resolves to {match.view_name or match.route} instead")
            continue
        urls.append((key, url, entry))
    assert not problems, "cannot build a URL for (fix the sampler or list in UNBUILDABLE with a reason):\n" + "\n".join(
        problems
    )
    return urls


# --- the tests ---------------------------------------------------------------------


def test_the_walk_covers_ours_allauth_and_the_admin():
    keys = {key for key, _, _ in all_urls()}
    for expected in ("home", "desk_list", "desk_detail", "account_login", "account_email", "mfa_index"):
        assert expected in keys
    assert "admin:index" in keys
    assert "admin:municipalities_municipality_change" in keys
    assert "admin:app_list" in keys  # a regex pattern
    assert "account_reset_password_from_key" in keys  # a regex pattern with two groups
    assert any(key.startswith("admin/") and "(?P<url>" in key for key in keys)  # the admin's catch-all
    assert len(keys) > 60


def test_the_sampler_fills_converters_and_regex_groups():
    assert sample_for_regex(r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$") == "password/reset/key/0-x/"
    assert sample_for_regex(r"^(?P<app_label>auth|consult)/$") == "auth/"
    assert sample_for_regex(r"(?P<url>.*)$") == "x"
    assert sample_for_regex(r"^confirm-email/(?P<key>[-:\w]+)/$") == "confirm-email/x/"
    desk_detail = next(entry for key, _, entry in walk() if key == "desk_detail")
    assert sample_for_route(desk_detail.pattern) == "desks/1/"


def test_allow_list_matches_the_views_marked_login_not_required():
    marked = {key for key, _, entry in all_urls() if not getattr(entry.callback, "login_required", True)}
    assert marked == set(OPEN_TO_ANONYMOUS), (
        f"open but not listed: {sorted(marked - set(OPEN_TO_ANONYMOUS))}; "
        f"listed but not open (or gone): {sorted(set(OPEN_TO_ANONYMOUS) - marked)}"
    )


def _assert_sent_to_sign_in(response, url: str, method: str) -> None:
    assert response.redirect_chain, f"{method} {url} answered {response.status_code} without redirecting"
    first_status = response.redirect_chain[0][1]
    assert first_status == 302, f"{method} {url}: first answer {first_status}"
    final = urlsplit(response.redirect_chain[-1][0])
    assert final.path == reverse("account_login"), f"{method} {url} ended at {final.path}"
    assert parse_qs(final.query).get("next") == [url], f"{method} {url}: next={parse_qs(final.query).get('next')}"
    assert response.status_code == 200  # the sign-in page itself


def test_every_other_url_sends_an_anonymous_visitor_to_sign_in(client, reference_data):
    checked = 0
    for key, url, _ in all_urls():
        if key in OPEN_TO_ANONYMOUS:
            continue
        _assert_sent_to_sign_in(client.get(url, follow=True), url, "GET")
        # State changes are POSTs: they must be closed just the same.
        _assert_sent_to_sign_in(client.post(url, follow=True), url, "POST")
        checked += 1
    assert checked > 50


def test_signed_in_pages_really_are_pages(client, hub_staff):
    """The redirect above is the login wall, not a broken URL: signed in,
    the same URLs answer."""
    as_user(client, hub_staff)
    for name in ("home", "desk_list"):
        assert client.get(reverse(name)).status_code == 200


@pytest.fixture
def people(reference_data):
    """Staff whose details must never show on an open page."""
    from municipalities.models import Municipality
    from tests.factories import MembershipFactory

    people = []
    for n in range(3):
        user = UserFactory(username=f"t-secret-{n}", email=f"hidden-{n}@example.invalid", display_name=f"秘密 太郎{n}")
        MembershipFactory(user=user, municipality=Municipality.objects.get(code="332020"), role="counter_staff")
        people.append(user)
    return people


def test_open_pages_expose_no_data(client, people, rate_limits_cleared):
    secrets = [value for user in people for value in (user.username, user.email, user.display_name)]
    for key, url, _ in all_urls():
        if key not in OPEN_TO_ANONYMOUS:
            continue
        for response in (client.get(url, follow=True), client.post(url, follow=True)):
            assert response.status_code != 500, f"{url}: server error"
            body = response.content.decode(errors="replace")
            for secret in secrets:
                assert secret not in body, f"{key} ({url}) shows {secret!r}"
            final = urlsplit(response.redirect_chain[-1][0]).path if response.redirect_chain else url
            # An open page may send to sign-in, but never onward into the portal.
            assert final in {url, reverse("account_login")} or resolve(final).url_name in {
                key.split(":")[-1] for key in OPEN_TO_ANONYMOUS
            }, f"{key}: {url} led to {final}"


def test_healthz_answers_anonymously_with_component_status_only(client):
    response = client.get(reverse("healthz"))
    assert response.status_code in {200, 503}
    body = json.loads(response.content)
    assert set(body) == {"status", "checks"}
    assert set(body["checks"]) == {"database", "broker", "beat"}
    assert body["checks"]["database"] == {"ok": True, "detail": "ok"}


def test_static_files_are_served_to_anonymous_visitors(client):
    response = client.get("/static/css/madoguchi.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])


def test_signup_page_says_closed_and_creates_nobody(client, rate_limits_cleared):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    before = User.objects.count()
    page = client.get(reverse("account_signup"))
    assert page.status_code == 200
    assert "ユーザー登録停止中" in page.content.decode()  # "Sign Up Closed"
    assert b'name="password1"' not in page.content

    response = client.post(
        reverse("account_signup"),
        {
            "username": "t-intruder",
            "email": "intruder@example.invalid",
            "password1": "a-Long-password-4711",
            "password2": "a-Long-password-4711",
        },
    )
    assert response.status_code == 200
    assert "ユーザー登録停止中" in response.content.decode()
    assert User.objects.count() == before
    assert not User.objects.filter(username="t-intruder").exists()
    assert "_auth_user_id" not in client.session
