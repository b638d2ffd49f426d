"""Issue 9 in consult: the home work queue, the draft store on the intake
screen, back-and-save, 再相談 prefill, names on the timeline, printing."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consult.models import Case, CaseStatus, Client, Consultation, FollowUp, Language
from consult.services.cases import case_promote
from core.drafts import OWNER_COOKIE
from core.models import AuditEvent, Draft
from tests.consult.test_intake_views import _form, _logged_case, _new_client
from tests.factories import ClientFactory, as_user

pytestmark = pytest.mark.django_db

NEW = reverse("consult:consultation_new")
HOME = reverse("home")


def _follow_up(case, user, *, days: int, note: str):
    return FollowUp.objects.create(
        case=case, assignee=user, due_date=timezone.localdate() + timedelta(days=days), note=note, created_by=user
    )


def _panel(response, key):
    return next((p for p in response.context["panels"] if p.key == key), None)


# --- the home work queue -----------------------------------------------------------
def test_counter_staff_home_shows_follow_ups_due_and_open_cases(client, hub_staff, hub_desk):
    case = _logged_case(hub_staff, hub_desk)
    Case.objects.filter(pk=case.pk).update(assignee=hub_staff, title="在留期間更新")
    _follow_up(case, hub_staff, days=0, note="電話で結果を確認")
    _follow_up(case, hub_staff, days=-3, note="書類の受取")
    _follow_up(case, hub_staff, days=2, note="来週の予定")  # not due yet
    as_user(client, hub_staff)
    response = client.get(HOME)
    assert response.status_code == 200
    follow_ups = _panel(response, "follow-ups")
    assert follow_ups.count == 2
    assert [i.badge for i in follow_ups.items] == ["danger", "warning"]  # overdue, due today
    assert follow_ups.items[1].badge_text == "今日が期日"
    assert all(i.url == f"/cases/{case.pk}/#follow-ups" for i in follow_ups.items)
    assert "電話で結果を確認" in response.content.decode()
    assert "来週の予定" not in response.content.decode()
    assert _panel(response, "my-cases").count == 1
    assert _panel(response, "recent").items[0].url == f"/cases/{case.pk}/"
    assert _panel(response, "administration") is None and _panel(response, "statistics") is None


def test_waiting_cases_of_my_desk(client, hub_staff, hub_desk, ibara_clerk, ibara_desk):
    mine = _logged_case(hub_staff, hub_desk)
    theirs = _logged_case(ibara_clerk, ibara_desk)
    Case.objects.filter(pk__in=[mine.pk, theirs.pk]).update(status=CaseStatus.WAITING)
    as_user(client, ibara_clerk)
    waiting = _panel(client.get(HOME), "waiting")
    assert waiting.count == 1 and waiting.items[0].url == f"/cases/{theirs.pk}/"


def test_outsiders_items_are_never_shown(client, hub_staff, hub_desk, ibara_clerk, ibara_desk):
    """A follow-up assigned to the clerk on a case she cannot see (hub desk) stays out."""
    hidden = _logged_case(hub_staff, hub_desk)
    Case.objects.filter(pk=hidden.pk).update(assignee=ibara_clerk, status=CaseStatus.WAITING)
    _follow_up(hidden, ibara_clerk, days=0, note="見えないはず")
    as_user(client, ibara_clerk)
    response = client.get(HOME)
    body = response.content.decode()
    assert "見えないはず" not in body and hidden.reference not in body
    assert _panel(response, "follow-ups").count == 0
    assert _panel(response, "my-cases").count == 0
    assert _panel(response, "waiting").count == 0
    assert _panel(response, "recent").items == []


def test_statistics_viewer_sees_the_statistics_entry_only(client, ibara_stats):
    as_user(client, ibara_stats)
    response = client.get(HOME)
    keys = [p.key for p in response.context["panels"]]
    assert keys == ["statistics"]
    assert "統計" in response.content.decode()


def test_administrator_sees_what_they_administer(client, kurashiki):
    from tests.conftest import _member

    admin = _member(kurashiki, "administrator", username="t-admin", is_staff=True)
    as_user(client, admin)
    response = client.get(HOME)
    keys = [p.key for p in response.context["panels"]]
    assert keys == ["statistics", "administration"]
    urls = [i.url for i in _panel(response, "administration").items]
    assert "/admin/accounts/user/" in urls and "/admin/core/auditevent/" in urls and "/admin/" in urls
    assert "/admin/consult/topic/" in urls


def test_home_query_count_is_constant_in_the_number_of_items(client, hub_staff, hub_desk):
    as_user(client, hub_staff)

    def make(n):
        for i in range(n):
            case = _logged_case(hub_staff, hub_desk)
            Case.objects.filter(pk=case.pk).update(assignee=hub_staff, status=CaseStatus.WAITING)
            _follow_up(case, hub_staff, days=-i, note=f"確認 {i}")

    make(6)  # more than a list shows: counts are queried
    client.get(HOME)
    with CaptureQueriesContext(connection) as few:
        assert client.get(HOME).status_code == 200
    make(30)
    with CaptureQueriesContext(connection) as many:
        response = client.get(HOME)
    assert _panel(response, "follow-ups").count == 36
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    assert len(many) <= 20


# --- the draft store on the intake screen ---------------------------------------------
def test_an_expired_session_keeps_the_consultation_and_restores_it(client, hub_staff, hub_desk):
    as_user(client, hub_staff)
    client.get(NEW)
    assert OWNER_COOKIE in client.cookies
    Session.objects.all().delete()  # the idle timeout passed
    data = _form(hub_desk, notes="在留カードの住所変更について案内した", **_new_client(name="グエン・ヴァン・ナム"))
    response = client.post(NEW, data)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/consultations/new/")
    assert Case.objects.count() == 0
    assert Draft.objects.filter(owner=hub_staff).count() == 1

    as_user(client, hub_staff)
    page = client.get(NEW)
    body = page.content.decode()
    assert "在留カードの住所変更について案内した" in body and "グエン・ヴァン・ナム" in body
    assert "入力内容を一時保管していました" in body
    assert Case.objects.count() == 0  # shown, not saved
    token = page.context["form"]["intake_token"].value()
    assert token == data["intake_token"]
    response = client.post(NEW, {**data, "intake_token": token})
    assert response.status_code == 302
    assert Case.objects.count() == 1 and Client.objects.filter(name="グエン・ヴァン・ナム").count() == 1


def test_someone_else_signing_in_does_not_get_the_draft(client, hub_staff, coordinator, hub_desk):
    as_user(client, hub_staff)
    client.get(NEW)
    Session.objects.all().delete()
    client.post(NEW, _form(hub_desk, notes="他人に見せない内容"))
    as_user(client, coordinator)
    assert "他人に見せない内容" not in client.get(NEW).content.decode()


# --- save, Back, save --------------------------------------------------------------------
def test_back_and_save_asks_instead_of_duplicating(client, hub_staff, hub_desk):
    as_user(client, hub_staff)
    data = _form(hub_desk, **_new_client(name="グエン・ヴァン・ナム"))
    assert client.post(NEW, data).status_code == 302
    # Back, the page reloads with a fresh token, the same things typed again.
    again = client.post(NEW, {**data, "intake_token": str(uuid.uuid4())})
    assert again.status_code == 200
    body = again.content.decode()
    assert 'data-testid="duplicate-warning"' in body
    assert "同じ内容の相談を" in body and Case.objects.get().reference in body
    assert Case.objects.count() == 1 and Client.objects.count() == 1
    # The counsellor confirms: a second consultation after all.
    confirmed = client.post(NEW, {**data, "intake_token": str(uuid.uuid4()), "confirm_duplicate": "1"})
    assert confirmed.status_code == 302
    assert Case.objects.count() == 2


def test_different_notes_or_anonymous_contacts_are_not_duplicates(client, hub_staff, hub_desk):
    as_user(client, hub_staff)
    assert client.post(NEW, _form(hub_desk, notes="")).status_code == 302
    assert client.post(NEW, _form(hub_desk, notes="")).status_code == 302  # two anonymous residents
    assert client.post(NEW, _form(hub_desk, notes="A")).status_code == 302
    assert client.post(NEW, _form(hub_desk, notes="B")).status_code == 302
    assert Case.objects.count() == 4


def test_the_same_consultation_long_ago_is_not_a_duplicate(client, hub_staff, hub_desk):
    as_user(client, hub_staff)
    data = _form(hub_desk, notes="同じ内容")
    client.post(NEW, data)
    Consultation.objects.update(created_at=timezone.now() - timedelta(hours=1))
    assert client.post(NEW, {**data, "intake_token": str(uuid.uuid4())}).status_code == 302
    assert Case.objects.count() == 2


# --- 再相談 prefill, names on the timeline ---------------------------------------------------
def test_another_consultation_starts_in_the_clients_language_and_last_interpretation(client, hub_staff, hub_desk):
    person = ClientFactory(registered_desk=hub_desk, preferred_language=Language.objects.get(code="ne"))
    case = _logged_case(hub_staff, hub_desk, client=person)
    Consultation.objects.filter(case=case).update(interpretation_mode="tablet_video")
    as_user(client, hub_staff)
    form = client.get(reverse("consult:case_consultation_new", args=[case.pk])).context["form"]
    assert form["language"].value() == Language.objects.get(code="ne").pk
    assert form["interpretation_mode"].value() == "tablet_video"


def test_the_timeline_names_the_client_never_an_id(client, hub_staff, hub_desk):
    case = _logged_case(hub_staff, hub_desk, quick=True)
    person = ClientFactory(registered_desk=hub_desk, name="グエン・ヴァン・ナム")
    case_promote(case=case, by=hub_staff, client=person)
    as_user(client, hub_staff)
    body = client.get(reverse("consult:case_detail", args=[case.pk])).content.decode()
    timeline = body.split('data-testid="timeline"')[1].split("</ol>")[0]
    assert "グエン・ヴァン・ナム" in timeline
    assert f"#{person.pk}" not in timeline


# --- printing ----------------------------------------------------------------------------------
def test_printing_a_case_is_audited_like_viewing(client, hub_staff, coordinator, hub_desk):
    case = _logged_case(hub_staff, hub_desk)
    as_user(client, coordinator)  # a permitted colleague
    page = client.get(reverse("consult:case_detail", args=[case.pk])).content.decode()
    assert 'data-testid="print-header"' in page and "取扱注意" in page
    url = reverse("print_audit", args=["case", case.pk])
    assert url in page
    assert client.post(url).status_code == 204
    event = AuditEvent.objects.get(action="print")
    assert (event.actor, event.case_id, event.object_type) == (coordinator, case.pk, "consult.case")
    assert client.get(url).status_code == 405


def test_printing_a_client_page_is_audited(client, hub_staff, hub_desk):
    person = ClientFactory(registered_desk=hub_desk)
    as_user(client, hub_staff)
    assert "取扱注意" in client.get(reverse("consult:client_detail", args=[person.pk])).content.decode()
    assert client.post(reverse("print_audit", args=["client", person.pk])).status_code == 204
    assert AuditEvent.objects.filter(action="print", object_type="consult.client").count() == 1


def test_print_audit_outside_scope_is_404(client, hub_staff, ibara_clerk, hub_desk):
    case = _logged_case(hub_staff, hub_desk)
    as_user(client, ibara_clerk)
    assert client.post(reverse("print_audit", args=["case", case.pk])).status_code == 404
    assert client.post(reverse("print_audit", args=["nonsense", case.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="print").exists()


def test_dense_case_list_mode_is_remembered(client, hub_staff, hub_desk):
    _logged_case(hub_staff, hub_desk)
    as_user(client, hub_staff)
    url = reverse("consult:case_list")
    assert "case-table--dense" not in client.get(url).content.decode()
    response = client.get(url, {"view": "dense"})
    assert "case-table--dense" in response.content.decode()
    assert response.context["is_filtered"] is False
    assert "case-table--dense" in client.get(url).content.decode()
    assert "case-table--dense" not in client.get(url, {"view": "normal"}).content.decode()
