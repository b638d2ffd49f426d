"""Error pages: portal layout, reader's language, no internal detail, DEBUG off."""

import pytest
from django.test import Client

from tests.factories import as_user

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls")]

TITLES = {
    ("ja", 400): "リクエストを読み取れませんでした",
    ("en", 400): "The request could not be understood",
    ("ja", 403): "この操作は許可されていません",
    ("en", 403): "You may not do this",
    ("ja", 404): "ページが見つかりません",
    ("en", 404): "Page not found",
    ("ja", 500): "サーバーでエラーが発生しました",
    ("en", 500): "Something went wrong on the server",
}
URLS = {400: "/test-errors/400/", 403: "/test-errors/403/", 404: "/no-such-page/", 500: "/test-errors/500/"}


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def _get(client, url, language):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize("status", [400, 403, 404, 500])
@pytest.mark.parametrize("language", ["ja", "en"])
def test_each_error_page_is_in_the_portal_layout_and_language(language, status, hub_staff):
    client = Client(raise_request_exception=False)
    hub_staff.ui_language = language
    hub_staff.save()
    as_user(client, hub_staff)
    response = _get(client, URLS[status], language)
    assert response.status_code == status
    body = response.content.decode()
    assert TITLES[(language, status)] in body
    assert f'<html lang="{language}">' in body
    assert 'class="site-header"' in body and 'data-testid="user-chip"' in body  # the portal's header
    assert 'href="/"' in body  # somewhere to go next
    assert "SECRET_TABLE_NAME" not in body and "Traceback" not in body
    assert "URLconf" not in body  # never Django's debug page with the URL list
    page = body.split('data-testid="error-page"')[1].split("</section>")[0]
    assert "no-such-page" not in page and "test-errors" not in page  # the path is not echoed


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_stranger_gets_the_404_page_with_a_sign_in_link(client, language):
    response = _get(client, "/no-such-page/", language)
    assert response.status_code == 404
    body = response.content.decode()
    assert TITLES[(language, 404)] in body
    assert "/accounts/login/" in body


def test_the_admin_login_of_a_non_admin_is_the_portal_403(client, hub_staff):
    as_user(client, hub_staff)
    response = client.get("/admin/login/")
    assert response.status_code == 403
    assert TITLES[("ja", 403)] in response.content.decode()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_form_sent_without_its_csrf_token_gets_the_expired_form_page(language, hub_staff):
    client = Client(enforce_csrf_checks=True)
    as_user(client, hub_staff)
    hub_staff.ui_language = language
    hub_staff.save()
    response = client.post("/i18n/setlang/", {"language": "ja"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403
    body = response.content.decode()
    expected = {"ja": "フォームが古くなっています", "en": "The form had expired"}[language]
    assert expected in body
    assert "CSRF token" not in body and "Referer" not in body  # Django's internal reason stays out


def test_the_500_page_survives_a_broken_template(settings, hub_staff):
    """If the error page itself cannot render, a bare bilingual page answers."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [], "APP_DIRS": False},
    ]
    client = Client(raise_request_exception=False)
    response = client.get("/test-errors/500/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Server error" in body and "サーバーでエラーが発生しました" in body
    assert "SECRET_TABLE_NAME" not in body
