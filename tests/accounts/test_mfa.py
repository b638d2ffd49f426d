"""Issue 12 point 8: MFA before any page with personal data for
administrators and coordinators (and roles MFA_REQUIRED_ROLES adds);
re-authentication before changing MFA, e-mail or password and before
exporting personal data.  Real PostgreSQL and the real (Redis) cache."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.mfa import mfa_required
from core.models import AuditEvent
from tests import mfa
from tests.core.test_deny_by_default import all_urls
from tests.factories import PASSWORD, as_user, make_case

pytestmark = pytest.mark.django_db

# What a person whose role requires MFA may open before the second factor
# (accounts/middleware.py): the MFA pages, their own account pages, sign-out.
OPEN_BEFORE_SECOND_FACTOR = {
    "account_login",
    "account_logout",
    "account_reauthenticate",
    "account_change_password",
    "account_email",
    "usersessions_list",
    "set_language",
    "session_extend",
    "healthz",
}


def password_sign_in(client, user, password: str = PASSWORD):
    """The sign-in form only: for someone with no authenticator, allauth
    signs them in on the password alone."""
    mfa.clear_sign_in_rate_limit()
    return client.post(reverse("account_login"), {"login": user.username, "password": password})


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_who_must_use_a_second_factor(coordinator, hub_staff, ibara_clerk, ibara_stats, superuser, kurashiki, settings):
    from tests.conftest import _member

    administrator = _member(kurashiki, "administrator", username="t-admin")
    assert mfa_required(coordinator) and mfa_required(administrator) and mfa_required(superuser)
    assert not mfa_required(hub_staff) and not mfa_required(ibara_clerk) and not mfa_required(ibara_stats)
    # Configurable per role for the others …
    settings.MFA_REQUIRED_ROLES = ["counter_staff", "statistics_viewer"]
    assert mfa_required(hub_staff) and mfa_required(ibara_stats) and not mfa_required(ibara_clerk)
    # … but administrators and coordinators cannot be taken out.
    settings.MFA_REQUIRED_ROLES = []
    assert mfa_required(coordinator) and mfa_required(administrator)


def test_coordinator_without_mfa_cannot_open_a_case_page(client, coordinator, hub_desk, hub_staff):
    case = make_case(hub_desk, hub_staff, client=None)
    response = password_sign_in(client, coordinator)
    assert response.status_code == 302 and signed_in_user_id(client) == str(coordinator.pk)
    page = client.get(reverse("consult:case_detail", args=[case.pk]))
    assert page.status_code == 302
    assert page["Location"] == reverse("mfa_index")
    followed = client.get(page["Location"])
    assert followed.status_code == 200
    assert case.reference not in followed.content.decode()
    # Nothing was shown, so nothing was recorded as viewed.
    assert not AuditEvent.objects.filter(case=case, action="view").exists()


def test_every_page_but_the_mfa_and_own_account_pages_waits_for_the_second_factor(
    client, coordinator, hub_desk, hub_staff
):
    """Walks the whole URL configuration, so new screens are covered."""
    make_case(hub_desk, hub_staff)
    password_sign_in(client, coordinator)
    checked = 0
    for key, url, _entry in all_urls():
        if key in OPEN_BEFORE_SECOND_FACTOR or key.startswith("mfa_"):  # not "admin:mfa_…"
            continue
        for response in (client.get(url), client.post(url)):
            if response.status_code == 405:
                continue
            assert response.status_code == 302, f"{key} {url}: {response.status_code}"
            assert response["Location"] == reverse("mfa_index"), f"{key} {url} → {response['Location']}"
        checked += 1
    assert checked > 50


def test_a_counter_staff_member_needs_mfa_only_when_configured(client, hub_staff, hub_desk, settings):
    case = make_case(hub_desk, hub_staff)
    url = reverse("consult:case_detail", args=[case.pk])
    password_sign_in(client, hub_staff)
    assert client.get(url).status_code == 200
    settings.MFA_REQUIRED_ROLES = ["administrator", "coordinator", "counter_staff"]
    assert client.get(url)["Location"] == reverse("mfa_index")


def test_setting_up_totp_after_a_password_re_authentication_opens_the_portal(
    client, coordinator, hub_desk, django_capture_on_commit_callbacks
):
    """The enrolment a coordinator does on first sign-in, through allauth's pages."""
    case = make_case(hub_desk, coordinator)
    password_sign_in(client, coordinator)
    activate = reverse("mfa_activate_totp")
    # Changing MFA asks for the password again first.
    response = client.get(activate)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(response["Location"], {"password": PASSWORD})
    page = client.get(activate)
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert secret in page.content.decode()  # shown for typing into the app
    wrong = client.post(activate, {"code": "000000" if mfa.totp_now(secret) != "000000" else "111111"})
    assert wrong.status_code == 200 and not mfa.totp_authenticator(coordinator)
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals "added" on commit
        done = client.post(activate, {"code": mfa.totp_now(secret)})
    assert done.status_code == 302
    assert mfa.totp_authenticator(coordinator) is not None
    assert client.get(reverse("consult:case_detail", args=[case.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="mfa_add", object_id=str(coordinator.pk), actor=coordinator).exists()
    assert AuditEvent.objects.filter(action="reauth", object_id=str(coordinator.pk)).exists()


def test_sign_in_asks_for_the_code_and_refuses_a_wrong_or_replayed_one(client, coordinator, rate_limits_cleared):
    secret = mfa.totp_secret(coordinator)
    response = password_sign_in(client, coordinator)
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_user_id(client) is None  # not signed in on the password alone
    code = mfa.totp_now(secret)
    wrong = "999999" if code != "999999" else "888888"
    assert client.post(reverse("mfa_authenticate"), {"code": wrong}).status_code == 200
    assert signed_in_user_id(client) is None
    assert AuditEvent.objects.filter(action="mfa_fail", object_id=str(coordinator.pk)).exists()
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert signed_in_user_id(client) == str(coordinator.pk)
    login = AuditEvent.objects.get(action="login", object_id=str(coordinator.pk))
    assert login.changes["methods"] == ["password", "totp"] and login.actor == coordinator
    # The same code again, in another browser: refused (replay).
    other = type(client)()
    password_sign_in(other, coordinator)
    assert other.post(reverse("mfa_authenticate"), {"code": code}).status_code == 200
    assert signed_in_user_id(other) is None


def test_the_last_authenticator_of_a_coordinator_cannot_be_removed(client, coordinator, hub_staff):
    from allauth.mfa.adapter import get_adapter

    as_user(client, coordinator)
    assert not get_adapter().can_delete_authenticator(mfa.totp_authenticator(coordinator))
    as_user(client, hub_staff)
    mfa.totp_secret(hub_staff)
    assert get_adapter().can_delete_authenticator(mfa.totp_authenticator(hub_staff))


def test_changing_the_e_mail_address_asks_for_re_authentication(client, coordinator):
    as_user(client, coordinator)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "new-address@example.invalid"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not coordinator.emailaddress_set.filter(email="new-address@example.invalid").exists()


def test_changing_the_password_asks_for_the_current_one(client, hub_staff):
    as_user(client, hub_staff)
    new = "another-Password-2027"
    response = client.post(
        reverse("account_change_password"), {"oldpassword": "wrong-one-4711", "password1": new, "password2": new}
    )
    assert response.status_code == 200
    hub_staff.refresh_from_db()
    assert not hub_staff.check_password(new)
    client.post(reverse("account_change_password"), {"oldpassword": PASSWORD, "password1": new, "password2": new})
    hub_staff.refresh_from_db()
    assert hub_staff.check_password(new)
    assert AuditEvent.objects.filter(action="password", object_id=str(hub_staff.pk), actor=hub_staff).exists()


@pytest.fixture
def personal_exports(monkeypatch):
    # No shipped role carries export_personal_data yet (municipalities/roles.py): coordinators here.
    from municipalities.roles import ROLE_CAPABILITIES, Capability

    monkeypatch.setitem(
        ROLE_CAPABILITIES, "coordinator", ROLE_CAPABILITIES["coordinator"] | {Capability.EXPORT_PERSONAL_DATA}
    )


def test_exporting_personal_data_asks_for_re_authentication(client, coordinator, hub_desk, personal_exports):
    from reports.models import ExportJob

    make_case(hub_desk, coordinator)
    as_user(client, coordinator)
    # An anonymised export needs nothing more.
    anonymised = client.post("/reports/exports/", {"exporter": "case_list", "format": "csv"})
    assert anonymised.status_code == 302 and "/reports/exports/" in anonymised["Location"]
    # With personal data: the password first; the export request is kept and runs after it.
    form = {"exporter": "case_list", "format": "csv", "personal": "on"}
    response = client.post("/reports/exports/", form)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not ExportJob.objects.filter(personal=True).exists()
    done = client.post(response["Location"], {"password": PASSWORD})
    assert done.status_code == 302
    job = ExportJob.objects.get(personal=True)
    assert done["Location"].endswith(f"/reports/exports/{job.pk}/")
    # Within ACCOUNT_REAUTHENTICATION_TIMEOUT the next one goes straight through.
    assert client.post("/reports/exports/", form)["Location"].startswith("/reports/exports/")


def test_downloading_a_personal_export_asks_for_re_authentication(client, coordinator, hub_desk, personal_exports):
    from reports.services import export_run, export_start

    make_case(hub_desk, coordinator)
    personal = export_run(
        job_id=str(export_start(by=coordinator, exporter="case_list", params={}, format="csv", personal=True).pk)
    )
    anonymised = export_run(
        job_id=str(export_start(by=coordinator, exporter="case_list", params={}, format="csv", personal=False).pk)
    )
    as_user(client, coordinator)
    assert client.get(f"/reports/exports/{anonymised.pk}/download/").status_code == 200
    response = client.get(f"/reports/exports/{personal.pk}/download/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    # A second factor re-authenticates too.
    reauth = client.post(
        reverse("mfa_reauthenticate"), {"code": mfa.fresh_code(coordinator, mfa.totp_secret(coordinator))}
    )
    assert reauth.status_code == 302
    assert client.get(f"/reports/exports/{personal.pk}/download/").status_code == 200


def test_demo_users_whose_role_requires_mfa_get_the_published_secret(settings):
    import io

    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    User = get_user_model()
    for username in ("admin", "coordinator-332020"):
        user = User.objects.get(username=username)
        assert mfa.totp_secret(user) == settings.DEMO_TOTP_SECRET
    for username in ("staff-332020", "clerk-332071", "stats-332020"):
        assert mfa.totp_authenticator(User.objects.get(username=username)) is None
    assert re.fullmatch(r"[A-Z2-7]{32}", settings.DEMO_TOTP_SECRET)
    # The demo coordinator signs in with it.
    from django.test import Client

    client = as_user(Client(), User.objects.get(username="coordinator-332020"), password=settings.DEMO_PASSWORD_DEFAULT)
    assert client.get(reverse("consult:case_list")).status_code == 200
