"""The draft store: a form sent after the session expired is kept, encrypted,
for its owner only, for a short time, and comes back after signing in."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.http import QueryDict
from django.test import Client
from django.utils import timezone

from core import drafts
from core.models import Draft
from tests.factories import as_user

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.urls")]

FORM = "/test-drafts/form/"
NOTES = "在留期間更新の相談。グエンさん、来週また来所"


def _expire_sessions():
    Session.objects.all().delete()


def _signed_in(user) -> Client:
    client = Client()
    as_user(client, user)
    assert client.get(FORM).status_code == 200  # sets the draft-owner cookie
    assert drafts.OWNER_COOKIE in client.cookies
    return client


def test_encrypted_at_rest_and_readable_back(hub_staff):
    data = QueryDict(mutable=True)
    data.setlist("topics", ["3", "7"])
    data["notes"] = NOTES
    data["csrfmiddlewaretoken"] = "not-kept"
    draft = drafts.draft_keep(owner_id=hub_staff.pk, path=FORM, data=data)
    raw = bytes(Draft.objects.get(pk=draft.pk).payload)
    assert NOTES.encode() not in raw and "グエン".encode() not in raw and b"topics" not in raw
    restored = drafts.decrypt(raw)
    assert restored.getlist("topics") == ["3", "7"] and restored["notes"] == NOTES
    assert "csrfmiddlewaretoken" not in restored


def test_a_key_rotation_still_decrypts_with_the_fallback(settings, hub_staff):
    payload = drafts.encrypt(QueryDict("notes=abc"))
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-for-the-rotation-test-0123456789"
    assert drafts.decrypt(payload)["notes"] == "abc"


def test_an_expired_session_keeps_the_form_and_gives_it_back_after_sign_in(hub_staff):
    client = _signed_in(hub_staff)
    _expire_sessions()
    response = client.post(FORM, {"notes": NOTES, "topics": ["3", "7"]})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Draft.objects.filter(owner=hub_staff, path=FORM).count() == 1
    login_page = client.get(response["Location"])
    assert "ログインし直すと" in login_page.content.decode()  # the warning says nothing is lost

    as_user(client, hub_staff)
    restored = client.get(FORM, follow=True)
    assert restored.content.decode() == f"form {NOTES}"
    assert not Draft.objects.exists()  # handed back once
    assert client.get(FORM).content.decode() == "form (empty)"


def test_only_its_owner_restores_it(hub_staff, coordinator):
    client = _signed_in(hub_staff)
    _expire_sessions()
    client.post(FORM, {"notes": NOTES})
    # Someone else signs in at the same counter PC.
    as_user(client, coordinator)
    assert client.get(FORM).content.decode() == "form (empty)"
    assert Draft.objects.filter(owner=hub_staff).count() == 1
    assert drafts.draft_take(user=coordinator, path=FORM) is None
    assert drafts.draft_take(user=hub_staff, path=FORM)["notes"] == NOTES


def test_it_expires(hub_staff, settings):
    client = _signed_in(hub_staff)
    _expire_sessions()
    client.post(FORM, {"notes": NOTES})
    Draft.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    as_user(client, hub_staff)
    assert client.get(FORM).content.decode() == "form (empty)"
    # Expired drafts are purged when the next one is kept.
    drafts.draft_keep(owner_id=hub_staff.pk, path="/other/", data=QueryDict("notes=x"))
    assert list(Draft.objects.values_list("path", flat=True)) == ["/other/"]
    assert Draft.objects.get().expires_at <= timezone.now() + timedelta(seconds=settings.DRAFT_TTL_SECONDS)


def test_nothing_is_kept_without_the_owner_cookie_or_for_other_views(hub_staff):
    stranger = Client()
    stranger.post(FORM, {"notes": NOTES})
    client = _signed_in(hub_staff)
    _expire_sessions()
    client.post("/i18n/setlang/", {"language": "en"})  # not a view that keeps drafts
    client.post("/session/extend/", {})
    assert not Draft.objects.exists()


def test_signing_out_forgets_the_owner(hub_staff):
    client = _signed_in(hub_staff)
    response = client.post("/accounts/logout/")
    assert response.cookies[drafts.OWNER_COOKIE].value == ""  # deleted
    client.post(FORM, {"notes": NOTES})
    assert not Draft.objects.exists()


def test_a_forged_owner_cookie_keeps_nothing(hub_staff):
    client = Client()
    client.cookies[drafts.OWNER_COOKIE] = str(hub_staff.pk)  # unsigned
    client.post(FORM, {"notes": NOTES})
    assert not Draft.objects.exists()


def test_session_extend_restarts_the_idle_timeout(hub_staff):
    client = _signed_in(hub_staff)
    session = Session.objects.get()
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(seconds=30))
    response = client.post("/session/extend/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response.json()["idle_seconds"] > 60
    assert Session.objects.get().expire_date > timezone.now() + timedelta(seconds=60)
    assert client.get("/session/extend/").status_code == 405


def test_session_extend_without_script_goes_back(hub_staff):
    client = _signed_in(hub_staff)
    assert client.post("/session/extend/", {"next": "/cases/"})["Location"] == "/cases/"
    assert client.post("/session/extend/", {"next": "https://evil.example/"})["Location"] == "/"
