"""Japanese by default, English on request, remembered per person (DESIGN §9)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from tests.factories import as_user

pytestmark = pytest.mark.django_db

# The site name is in every page's <title>; its Japanese form says which
# catalogue rendered the page.
SITE_JA = "窓口支援システム"


def page_language(response) -> str:
    body = response.content.decode()
    lang = body.split('<html lang="', 1)[1].split('"', 1)[0]
    assert response["Content-Language"] == lang
    assert (SITE_JA in body) == (lang == "ja"), f"<html lang={lang}> but the text is in the other language"
    return lang


def test_site_name_is_translated():
    """Guards the marker the other tests rely on."""
    with translation.override("ja"):
        assert SITE_JA in translation.gettext("Madoguchi")
    with translation.override("en"):
        assert SITE_JA not in translation.gettext("Madoguchi")


def test_sign_in_page_is_japanese_without_accept_language(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert page_language(response) == "ja"


def test_sign_in_page_is_japanese_for_a_browser_asking_for_an_unknown_language(client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="de")
    assert page_language(response) == "ja"


def test_switching_to_english_before_signing_in(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("account_login")})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert page_language(client.get(reverse("account_login"))) == "en"
    # …and back.
    client.post(reverse("set_language"), {"language": "ja", "next": reverse("account_login")})
    assert page_language(client.get(reverse("account_login"))) == "ja"


def test_switching_language_does_not_redirect_off_site(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert "evil.example" not in response.get("Location", "")


def test_switching_when_signed_in_saves_the_choice(client, hub_staff):
    assert hub_staff.ui_language == "ja"
    as_user(client, hub_staff)
    assert page_language(client.get(reverse("home"))) == "ja"
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    hub_staff.refresh_from_db()
    assert hub_staff.ui_language == "en"
    assert page_language(client.get(reverse("home"))) == "en"


def test_an_unknown_language_changes_nothing(client, hub_staff):
    as_user(client, hub_staff)
    client.post(reverse("set_language"), {"language": "xx", "next": reverse("home")})
    hub_staff.refresh_from_db()
    assert hub_staff.ui_language == "ja"
    assert page_language(client.get(reverse("home"))) == "ja"


def test_saved_language_applies_without_the_cookie(client, hub_staff):
    """Another browser, no cookie: the person's saved language wins over the
    browser's Accept-Language."""
    User.objects.filter(pk=hub_staff.pk).update(ui_language="en")
    as_user(client, hub_staff)
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    assert page_language(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ja")) == "en"
    assert page_language(client.get(reverse("desk_list"))) == "en"


def test_switch_language_refuses_get(client):
    assert client.get(reverse("set_language")).status_code == 405
