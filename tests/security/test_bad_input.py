"""Issue 12 point 5: bad input gets a form error or an empty result, never a
500 — NUL and control characters, date overflow, invisible characters in
names, right-to-left overrides, and over-long notes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consult.models import Client
from core.middleware import strip_control_characters
from tests.consult.test_intake_views import NEW, _form, _new_client
from tests.core.test_deny_by_default import all_urls
from tests.factories import ClientFactory, as_user, make_case

pytestmark = pytest.mark.django_db

NUL_PARAMS = {"q": "a\x00b", "name": "x\x00y", "name_kana": "ア\x00", "keep": "1\x00", "opened_to": "2026\x00"}


def test_control_characters_are_stripped_but_tab_and_newline_kept():
    assert strip_control_characters("a\x00b\x07c\x1bd\x7fe\x85f") == "abcdef"
    assert strip_control_characters("行1\n行2\r\n\tx") == "行1\n行2\r\n\tx"


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("consult:case_list", {"q": "a\x00b"}),
        ("consult:client_search", {"q": "a\x00b"}),
        ("consult:client_matches", {"name": "a\x00b", "name_kana": "ア\x00イ", "name_latin": "\x00"}),
        ("consult:client_merge", {"q": "a\x00b"}),
        ("consult:consultation_new", {"client": "1\x00"}),
    ],
)
def test_nul_in_a_search_answers_normally(client, coordinator, hub_desk, hub_staff, name, params):
    ClientFactory(registered_desk=hub_desk, name="ab")
    response = as_user(client, coordinator).get(reverse(name), params)
    assert response.status_code == 200
    assert "\x00" not in response.content.decode()


def test_no_url_answers_500_to_nul_in_any_parameter(client, coordinator, hub_desk, hub_staff):
    """Every URL of the configuration (new views included), signed in, GET
    and POST with NUL bytes in the usual parameter names."""
    make_case(hub_desk, hub_staff)
    as_user(client, coordinator)
    checked = 0
    for key, url, _entry in all_urls():
        if key in {"account_logout", "set_language"}:
            continue  # would end the session / irrelevant
        for response in (client.get(url, NUL_PARAMS), client.post(url, NUL_PARAMS)):
            assert response.status_code != 500, f"{key} {url}: 500"
        checked += 1
    assert checked > 50


def test_intake_with_nul_in_the_name_saves_the_name_without_it(client, hub_staff, hub_desk):
    data = _form(hub_desk, **_new_client(name="田中\x00 太郎", name_kana="タナカ\x00 タロウ"))
    response = as_user(client, hub_staff).post(NEW, data)
    assert response.status_code == 302, response.content.decode()[:500]
    saved = Client.objects.get(name__startswith="田中")
    assert (saved.name, saved.name_kana) == ("田中 太郎", "タナカ タロウ")


def test_date_overflow_in_the_case_list_filter_is_no_end(client, coordinator, hub_desk, hub_staff):
    case = make_case(hub_desk, hub_staff)
    c = as_user(client, coordinator)
    response = c.get(reverse("consult:case_list"), {"opened_from": "0001-01-01", "opened_to": "9999-12-31"})
    assert response.status_code == 200
    assert case.reference in response.content.decode()


def test_zero_width_characters_do_not_hide_a_duplicate(client, coordinator, hub_desk):
    hidden = ClientFactory(registered_desk=hub_desk, name="Ngu\u200byen Van\u2060 A\ufeff", name_latin="")
    response = as_user(client, coordinator).get(reverse("consult:client_search"), {"q": "Nguyen"})
    assert response.status_code == 200
    assert f'value="{hidden.pk}"' in response.content.decode()


def test_names_are_shown_with_bidi_isolation(client, coordinator, hub_desk, hub_staff):
    spoof = ClientFactory(registered_desk=hub_desk, name="\u202eevil name", name_latin="")
    case = make_case(hub_desk, hub_staff, client=spoof)
    c = as_user(client, coordinator)
    for url in (
        reverse("consult:client_detail", args=[spoof.pk]),
        reverse("consult:case_detail", args=[case.pk]),
        reverse("consult:case_list"),
    ):
        html = c.get(url).content.decode()
        assert "<bdi>\u202eevil name</bdi>" in html, url


def test_an_over_long_note_gets_a_form_error_and_keeps_the_text(client, hub_staff, hub_desk):
    from consult.models import Consultation

    note = "在留資格の相談内容。" * 100_000  # 1,000,000 characters, ~3 MB in UTF-8
    response = as_user(client, hub_staff).post(NEW, _form(hub_desk, notes=note[:350_000]))
    assert response.status_code == 200  # the form again, not the bare 400 of the size limit
    html = response.content.decode()
    assert "field--invalid" in html or "form-errors" in html
    assert note[:1000] in html  # what was typed is still there
    assert not Consultation.objects.exists()
