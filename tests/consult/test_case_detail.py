"""The case page (/cases/<id>/) and what is done on it: timeline, edit with
lost-update protection, close/reopen, follow-ups, earlier cases, sensitive
notes — each view with owner / colleague / outsider / statistics viewer /
wrong method / anonymous."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from consult import selectors, services
from consult.models import Case, CaseStatus, FollowUp, Language
from core.models import AuditEvent
from municipalities.roles import Capability
from municipalities.visibility import clear_visibility_cache, user_can
from tests.factories import ClientFactory, ConsultationFactory, as_user, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def krs_case(hub_desk, hub_staff):
    person = ClientFactory(registered_desk=hub_desk, name="田中 太郎", name_latin="Tanaka Taro")
    return make_case(
        hub_desk,
        hub_staff,
        client=person,
        assignee=hub_staff,
        title="在留期間更新",
        sensitive_notes="DVの相談歴あり（テスト）",
    )


@pytest.fixture
def ibr_case(ibara_desk, ibara_clerk):
    return make_case(ibara_desk, ibara_clerk, assignee=ibara_clerk, title="住民税", sensitive_notes="通院中（テスト）")


def detail(case):
    return reverse("consult:case_detail", args=[case.pk])


def shown_again_with_errors(response) -> str:
    """A refused form comes back (200, like every form of the portal) with
    its errors marked; returns the HTML."""
    assert response.status_code == 200
    html = response.content.decode()
    assert "field--invalid" in html or "form-errors" in html
    return html


# --- access: every view ----------------------------------------------------------
def _post_views(case, follow_up, earlier):
    return [
        (reverse("consult:case_edit", args=[case.pk]), {"version": case.version, "title": "x", "status": "open"}),
        (reverse("consult:case_close", args=[case.pk]), {"version": case.version, "outcome": "resolved"}),
        (reverse("consult:case_reopen", args=[case.pk]), {"version": case.version}),
        (
            reverse("consult:case_follow_up_add", args=[case.pk]),
            {"due_date": timezone.localdate().isoformat(), "note": "電話"},
        ),
        (reverse("consult:follow_up_status", args=[follow_up.pk]), {"status": "done"}),
        (reverse("consult:case_link_earlier", args=[case.pk]), {"reference": earlier.reference}),
        (reverse("consult:case_unlink_earlier", args=[case.pk, earlier.pk]), {}),
    ]


@pytest.fixture
def krs_follow_up(krs_case, hub_staff):
    return services.follow_up_create(
        case=krs_case, by=hub_staff, due_date=timezone.localdate() + timedelta(days=3), note="書類を確認"
    )


@pytest.fixture
def krs_earlier(hub_desk, hub_staff):
    return make_case(hub_desk, hub_staff, when=timezone.now() - timedelta(days=30), reference="KRS-2025-00007")


def test_owner_sees_the_case_page(client, hub_staff, krs_case):
    response = as_user(client, hub_staff).get(detail(krs_case))
    assert response.status_code == 200
    assert krs_case.reference in response.content.decode()


def test_permitted_colleague_sees_the_case_page(client, coordinator, krs_case):
    assert as_user(client, coordinator).get(detail(krs_case)).status_code == 200


def test_hub_staff_sees_a_partner_case(client, hub_staff, ibr_case):
    assert as_user(client, hub_staff).get(detail(ibr_case)).status_code == 200


@pytest.mark.parametrize("who", ["ibara_clerk", "soja_clerk", "ibara_stats", "outsider"])
def test_outsiders_get_404_everywhere(client, request, who, krs_case, krs_follow_up, krs_earlier):
    user = request.getfixturevalue(who)
    c = as_user(client, user)
    assert c.get(detail(krs_case)).status_code == 404
    assert c.get(reverse("consult:case_edit", args=[krs_case.pk])).status_code == 404
    for url, data in _post_views(krs_case, krs_follow_up, krs_earlier):
        assert c.post(url, data).status_code == 404, url
    krs_case.refresh_from_db()
    assert krs_case.status == CaseStatus.OPEN and krs_case.title == "在留期間更新"
    assert FollowUp.objects.get(pk=krs_follow_up.pk).status == "open"
    assert FollowUp.objects.filter(case=krs_case).count() == 1


def test_statistics_viewer_gets_404_on_own_municipality_case(client, ibara_stats, ibr_case):
    assert as_user(client, ibara_stats).get(detail(ibr_case)).status_code == 404


def test_wrong_methods(client, hub_staff, krs_case, krs_follow_up, krs_earlier):
    c = as_user(client, hub_staff)
    assert c.post(detail(krs_case)).status_code == 405
    assert c.put(reverse("consult:case_edit", args=[krs_case.pk])).status_code == 405
    for url, _data in _post_views(krs_case, krs_follow_up, krs_earlier):
        if url == reverse("consult:case_edit", args=[krs_case.pk]):
            continue  # GET shows the form
        assert c.get(url).status_code == 405, url


def test_anonymous_is_sent_to_sign_in(client, krs_case, krs_follow_up, krs_earlier):
    login = reverse("account_login")
    assert login in client.get(detail(krs_case))["Location"]
    for url, data in _post_views(krs_case, krs_follow_up, krs_earlier):
        response = client.post(url, data)
        assert response.status_code == 302 and login in response["Location"], url


def test_state_changes_need_csrf(krs_case, hub_staff):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    as_user(strict, hub_staff)
    response = strict.post(
        reverse("consult:case_close", args=[krs_case.pk]), {"version": krs_case.version, "outcome": "resolved"}
    )
    assert response.status_code == 403
    krs_case.refresh_from_db()
    assert krs_case.status == CaseStatus.OPEN


# --- the page ------------------------------------------------------------------------
def test_header_and_timeline(client, hub_staff, krs_case, krs_follow_up):
    ConsultationFactory(
        case=krs_case,
        created_by=hub_staff,
        language=Language.objects.get(code="pt"),
        occurred_at=timezone.now() - timedelta(days=2),
        interpretation_mode="tablet_video",
        minutes=35,
        notes="更新申請の書類を説明した",
        actions=["information", "interpretation"],
        topics=["residency.extension", "social_insurance.health"],
    )
    services.case_update(
        case=krs_case, by=hub_staff, expected_version=krs_case.version, changes={"title": "更新と保険"}
    )
    with translation.override("ja"):
        html = as_user(client, hub_staff).get(detail(krs_case)).content.decode()
    assert "田中 太郎" in html and "KRS-" in html
    assert html.count('data-testid="timeline-consultation"') == 2
    assert 'lang="pt"' in html and "Português" in html
    assert "更新申請の書類を説明した" in html
    assert "35" in html
    assert 'data-testid="timeline-follow-up"' in html and "書類を確認" in html
    change = re.search(r'data-testid="timeline-change">(.*?)</li>', html, re.S).group(1)
    assert "在留期間更新" in change and "更新と保険" in change
    # Newest first: the title change was made last.
    assert html.index('data-testid="timeline-change"') < html.index('data-testid="timeline-consultation"')


def test_client_link_and_quick_contact_promote_link(client, hub_staff, hub_desk, krs_case):
    html = as_user(client, hub_staff).get(detail(krs_case)).content.decode()
    assert reverse("consult:client_detail", args=[krs_case.client_id]) in html
    quick = make_case(hub_desk, hub_staff, is_quick_contact=True)
    html = client.get(detail(quick)).content.decode()
    assert 'data-testid="quick-contact"' in html
    assert reverse("consult:case_promote", args=[quick.pk]) in html
    assert reverse("consult:case_consultation_new", args=[quick.pk]) in html


# --- sensitive notes ----------------------------------------------------------------------
def test_partner_clerk_sees_and_edits_sensitive_notes_of_own_desk(client, hub_staff, ibara_clerk, ibr_case):
    # Counter staff and partner clerks (for their own desk's cases) hold VIEW_SENSITIVE_NOTES.
    html = as_user(client, hub_staff).get(detail(ibr_case)).content.decode()
    assert "通院中（テスト）" in html
    html = as_user(client, ibara_clerk).get(detail(ibr_case)).content.decode()
    assert "通院中（テスト）" in html and 'data-testid="sensitive-notes"' in html
    response = client.post(
        reverse("consult:case_edit", args=[ibr_case.pk]),
        {
            "version": ibr_case.version,
            "title": "住民税の相談",
            "status": "open",
            "assignee": ibara_clerk.pk,
            "sensitive_notes": "通院中・DV（テスト）",
        },
    )
    assert response.status_code == 302
    ibr_case.refresh_from_db()
    assert ibr_case.title == "住民税の相談" and ibr_case.sensitive_notes == "通院中・DV（テスト）"


def test_sensitive_notes_are_edited_but_never_copied_to_the_trail(client, hub_staff, krs_case):
    as_user(client, hub_staff).post(
        reverse("consult:case_edit", args=[krs_case.pk]),
        {
            "version": krs_case.version,
            "title": krs_case.title,
            "status": "open",
            "assignee": hub_staff.pk,
            "sensitive_notes": "新しい要配慮情報（テスト）",
        },
    )
    krs_case.refresh_from_db()
    assert krs_case.sensitive_notes == "新しい要配慮情報（テスト）"
    event = AuditEvent.objects.get(case=krs_case, action="update")
    assert "新しい要配慮情報" not in str(event.changes) and "DV" not in str(event.changes)


# --- edit with lost-update protection ----------------------------------------------------------
def _edit_data(case, **overrides):
    data = {
        "version": case.version,
        "title": case.title,
        "status": case.status,
        "outcome": case.outcome,
        "assignee": case.assignee_id or "",
        "sensitive_notes": case.sensitive_notes,
    }
    data.update(overrides)
    return data


def test_edit_saves_and_bumps_the_version(client, hub_staff, krs_case):
    c = as_user(client, hub_staff)
    assert c.get(reverse("consult:case_edit", args=[krs_case.pk])).status_code == 200
    response = c.post(
        reverse("consult:case_edit", args=[krs_case.pk]), _edit_data(krs_case, title="新しい件名", status="waiting")
    )
    assert response.status_code == 302 and response["Location"] == detail(krs_case)
    saved = Case.objects.get(pk=krs_case.pk)
    assert (saved.title, saved.status, saved.version) == ("新しい件名", "waiting", krs_case.version + 1)


def test_second_editor_gets_a_conflict_and_nothing_is_overwritten(client, hub_staff, coordinator, krs_case):
    from django.test import Client

    url = reverse("consult:case_edit", args=[krs_case.pk])
    loaded = _edit_data(krs_case)  # both open the form at the same version
    first = as_user(client, hub_staff)
    second = Client()
    as_user(second, coordinator)
    assert first.post(url, {**loaded, "title": "先に保存した件名"}).status_code == 302

    coordinator.ui_language = "en"
    coordinator.save(update_fields=["ui_language"])
    response = second.post(url, {**loaded, "title": "後から保存した件名", "status": "waiting"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="edit-conflict"' in html
    assert "somebody else changed this case" in html
    rows = re.findall(r'data-testid="conflict-row">(.*?)</tr>', html, re.S)
    assert any("後から保存した件名" in row and "先に保存した件名" in row for row in rows)
    # Their input is kept in the form, now carrying the current version.
    assert 'value="後から保存した件名"' in html
    current = Case.objects.get(pk=krs_case.pk)
    assert f'name="version" value="{current.version}"' in html
    assert (current.title, current.status) == ("先に保存した件名", "open")

    # Re-applying deliberately (the form now carries the current version) saves.
    response = second.post(url, {**loaded, "version": current.version, "title": "後から保存した件名"})
    assert response.status_code == 302
    assert Case.objects.get(pk=krs_case.pk).title == "後から保存した件名"


def test_conflict_message_in_japanese(client, hub_staff, krs_case):
    url = reverse("consult:case_edit", args=[krs_case.pk])
    stale = _edit_data(krs_case)
    services.case_update(case=krs_case, by=hub_staff, expected_version=krs_case.version, changes={"title": "別の件名"})
    hub_staff.ui_language = "ja"
    hub_staff.save(update_fields=["ui_language"])
    response = as_user(client, hub_staff).post(url, {**stale, "title": "私の件名"})
    assert response.status_code == 200
    assert 'data-testid="edit-conflict"' in response.content.decode()
    assert "他の職員" in response.content.decode()


def test_edit_validation(client, hub_staff, krs_case):
    c = as_user(client, hub_staff)
    response = c.post(
        reverse("consult:case_edit", args=[krs_case.pk]), _edit_data(krs_case, status="closed", outcome="")
    )
    shown_again_with_errors(response)
    assert Case.objects.get(pk=krs_case.pk).status == "open"


def test_assigning_others_needs_assign_work(client, hub_staff, coordinator, krs_case):
    url = reverse("consult:case_edit", args=[krs_case.pk])
    # Counter staff cannot hand the case to the coordinator…
    response = as_user(client, hub_staff).post(url, _edit_data(krs_case, assignee=coordinator.pk))
    shown_again_with_errors(response)
    assert Case.objects.get(pk=krs_case.pk).assignee_id == hub_staff.pk
    # …the coordinator (ASSIGN_WORK) can, and can take it on themselves anyway.
    response = as_user(client, coordinator).post(url, _edit_data(krs_case, assignee=coordinator.pk))
    assert response.status_code == 302
    assert Case.objects.get(pk=krs_case.pk).assignee_id == coordinator.pk


def test_assignee_must_see_the_case(client, coordinator, soja_clerk, krs_case):
    response = as_user(client, coordinator).post(
        reverse("consult:case_edit", args=[krs_case.pk]), _edit_data(krs_case, assignee=soja_clerk.pk)
    )
    shown_again_with_errors(response)
    assert Case.objects.get(pk=krs_case.pk).assignee_id != soja_clerk.pk


# --- close and reopen -------------------------------------------------------------------------
def test_close_with_outcome_and_reopen(client, hub_staff, krs_case):
    c = as_user(client, hub_staff)
    response = c.post(
        reverse("consult:case_close", args=[krs_case.pk]), {"version": krs_case.version, "outcome": "referred"}
    )
    assert response.status_code == 302
    closed = Case.objects.get(pk=krs_case.pk)
    assert (closed.status, closed.outcome) == ("closed", "referred") and closed.closed_at is not None
    assert AuditEvent.objects.filter(case=krs_case, action="close").exists()
    html = c.get(detail(krs_case)).content.decode()
    assert 'data-testid="reopen"' in html

    response = c.post(reverse("consult:case_reopen", args=[krs_case.pk]), {"version": closed.version})
    assert response.status_code == 302
    reopened = Case.objects.get(pk=krs_case.pk)
    assert (reopened.status, reopened.outcome, reopened.closed_at) == ("in_progress", "continuing", None)
    assert AuditEvent.objects.filter(case=krs_case, action="reopen").exists()


def test_close_needs_an_outcome(client, hub_staff, krs_case):
    response = as_user(client, hub_staff).post(
        reverse("consult:case_close", args=[krs_case.pk]), {"version": krs_case.version}
    )
    shown_again_with_errors(response)
    assert Case.objects.get(pk=krs_case.pk).status == "open"


def test_close_with_a_stale_version_does_nothing(client, hub_staff, krs_case):
    stale = krs_case.version
    services.case_update(case=krs_case, by=hub_staff, expected_version=stale, changes={"title": "先に変更"})
    response = as_user(client, hub_staff).post(
        reverse("consult:case_close", args=[krs_case.pk]), {"version": stale, "outcome": "resolved"}, follow=True
    )
    assert Case.objects.get(pk=krs_case.pk).status == "open"
    assert "message--error" in response.content.decode()


# --- follow-ups -------------------------------------------------------------------------------
def test_add_follow_up_and_mark_it_done(client, hub_staff, coordinator, krs_case):
    c = as_user(client, hub_staff)
    due = timezone.localdate() + timedelta(days=5)
    response = c.post(
        reverse("consult:case_follow_up_add", args=[krs_case.pk]),
        {"due_date": due.isoformat(), "note": "入管からの通知を確認", "assignee": coordinator.pk},
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(case=krs_case)
    assert (follow_up.due_date, follow_up.assignee_id, follow_up.status) == (due, coordinator.pk, "open")
    html = c.get(detail(krs_case)).content.decode()
    assert "入管からの通知を確認" in html and 'data-testid="open-follow-up"' in html

    assert c.post(reverse("consult:follow_up_status", args=[follow_up.pk]), {"status": "done"}).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "done" and follow_up.completed_at is not None
    html = c.get(detail(krs_case)).content.decode()
    assert 'data-testid="open-follow-up"' not in html


def test_follow_up_defaults_to_myself_and_can_be_cancelled(client, coordinator, krs_case):
    c = as_user(client, coordinator)
    c.post(
        reverse("consult:case_follow_up_add", args=[krs_case.pk]),
        {"due_date": timezone.localdate().isoformat(), "note": "折り返し電話", "assignee": ""},
    )
    follow_up = FollowUp.objects.get(case=krs_case)
    assert follow_up.assignee_id == coordinator.pk
    c.post(reverse("consult:follow_up_status", args=[follow_up.pk]), {"status": "cancelled"})
    follow_up.refresh_from_db()
    assert follow_up.status == "cancelled"


@pytest.mark.parametrize(
    "data",
    [
        {"due_date": "2020-01-01", "note": "過去の期限"},
        {"due_date": "not-a-date", "note": "x"},
        {"due_date": "", "note": "期限なし"},
        {"note": ""},
    ],
)
def test_invalid_follow_up_is_shown_not_saved(client, hub_staff, krs_case, data):
    response = as_user(client, hub_staff).post(reverse("consult:case_follow_up_add", args=[krs_case.pk]), data)
    shown_again_with_errors(response)
    assert not FollowUp.objects.filter(case=krs_case).exists()


def test_follow_up_assignee_must_see_the_case(client, hub_staff, soja_clerk, krs_case):
    response = as_user(client, hub_staff).post(
        reverse("consult:case_follow_up_add", args=[krs_case.pk]),
        {"due_date": timezone.localdate().isoformat(), "note": "x", "assignee": soja_clerk.pk},
    )
    shown_again_with_errors(response)
    assert not FollowUp.objects.filter(case=krs_case).exists()


def test_unknown_follow_up_status_changes_nothing(client, hub_staff, krs_follow_up):
    as_user(client, hub_staff).post(reverse("consult:follow_up_status", args=[krs_follow_up.pk]), {"status": "deleted"})
    krs_follow_up.refresh_from_db()
    assert krs_follow_up.status == "open"


# --- earlier cases (再相談) ---------------------------------------------------------------
def test_link_and_unlink_an_earlier_case(client, hub_staff, krs_case, krs_earlier):
    c = as_user(client, hub_staff)
    response = c.post(reverse("consult:case_link_earlier", args=[krs_case.pk]), {"reference": "krs-2025-00007"})
    assert response.status_code == 302
    assert list(krs_case.earlier_cases.all()) == [krs_earlier]
    assert krs_earlier.reference in c.get(detail(krs_case)).content.decode()
    assert krs_case.reference in c.get(detail(krs_earlier)).content.decode()  # "later" link
    c.post(reverse("consult:case_unlink_earlier", args=[krs_case.pk, krs_earlier.pk]))
    assert not krs_case.earlier_cases.exists()


def test_earlier_case_must_be_visible_older_and_not_itself(client, ibara_clerk, ibr_case, krs_earlier):
    c = as_user(client, ibara_clerk)
    url = reverse("consult:case_link_earlier", args=[ibr_case.pk])
    response = c.post(url, {"reference": krs_earlier.reference})
    html = shown_again_with_errors(response)
    assert "No case with this reference number" in html or "見つかりません" in html
    shown_again_with_errors(c.post(url, {"reference": ibr_case.reference}))
    assert not ibr_case.earlier_cases.exists()


def test_links_to_invisible_cases_are_not_shown(client, hub_staff, ibara_clerk, ibr_case, krs_earlier):
    services.case_link_earlier(case=ibr_case, earlier=krs_earlier, by=hub_staff)
    html = as_user(client, ibara_clerk).get(detail(ibr_case)).content.decode()
    assert krs_earlier.reference not in html


# --- who can be assigned -------------------------------------------------------------------
def test_colleagues_agree_with_the_visibility_rule(
    hub_staff, coordinator, ibara_clerk, soja_clerk, ibara_stats, outsider, hub_desk, ibara_desk
):
    everyone = [hub_staff, coordinator, ibara_clerk, soja_clerk, ibara_stats, outsider]
    for desk in (hub_desk, ibara_desk):
        colleagues = set(selectors.colleagues_for_desk(desk))
        for user in everyone:
            clear_visibility_cache(user)
            assert (user in colleagues) == user_can(user, Capability.VIEW_CASES, desk=desk), (desk, user)


def test_case_page_queries_do_not_grow_with_the_timeline(client, hub_staff, krs_case, django_assert_max_num_queries):
    c = as_user(client, hub_staff)
    c.get(detail(krs_case))
    for _ in range(15):
        ConsultationFactory(case=krs_case, created_by=hub_staff, topics=["residency.extension", "tax.resident"])
        services.follow_up_create(case=krs_case, by=hub_staff, due_date=timezone.localdate(), note="確認")
    with django_assert_max_num_queries(25):
        assert c.get(detail(krs_case)).status_code == 200


def test_case_page_names_a_retired_topic(client, hub_staff, krs_case):
    """Topics come from the per-process reference rows; one retired since the
    consultation was logged is read from the table and still named."""
    from consult.models import Topic
    from consult.reference_cache import clear_reference_cache

    ConsultationFactory(case=krs_case, created_by=hub_staff, topics=["residency.extension", "tax.resident"])
    retired = Topic.objects.get(code="tax.resident")
    Topic.objects.filter(pk=retired.pk).update(active=False)
    clear_reference_cache()  # as the signals do when a topic is saved
    response = as_user(client, hub_staff).get(detail(krs_case))
    topics = [t.code for c in response.context["consultations"] for t in c.topic_list]
    assert "tax.resident" in topics and "residency.extension" in topics
    assert retired.name in response.content.decode()
