"""Hand-off pages and the client page's consent/edit (consult/views/handoffs.py,
consult/views/clients.py): each view for the sender, the receiver, a third
municipality (404), a read-only or wrong side (403), the wrong method (405);
visibility of the case, the client page and the name search before and
after acceptance, after decline and after cancel."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consult.models import Client, Consent, HandOff, HandOffKind, HandOffStatus, Language
from consult.selectors import handoffs as handoff_selectors
from consult.services import handoffs as svc
from core.models import AuditEvent
from municipalities.models import Municipality
from tests.consult.test_case_list import make_case
from tests.factories import ClientFactory, as_user

pytestmark = pytest.mark.django_db

INBOX = reverse("consult:handoff_inbox")


@pytest.fixture
def ja(reference_data):
    return Language.objects.get(code="ja")


@pytest.fixture
def soja_desk(soja):
    return soja.desks.get()


@pytest.fixture
def kasaoka(reference_data):
    return Municipality.objects.get(code="332054")


@pytest.fixture
def kasaoka_clerk(kasaoka):
    from tests.conftest import _member

    return _member(kasaoka, "partner_clerk", username="t-clerk-kasaoka")


@pytest.fixture
def person(ibara_desk):
    return ClientFactory(registered_desk=ibara_desk, name="ファム テスト", name_latin="Pham Testo")


@pytest.fixture
def ibr_case(ibara_desk, ibara_clerk, person, ja, soja, kurashiki):
    svc.consent_record(client=person, by=ibara_clerk, explanation_language=ja, municipalities=[soja, kurashiki])
    return make_case(ibara_desk, ibara_clerk, client=person, title="労働相談", sensitive_notes="通院中（テスト）")


@pytest.fixture
def to_soja(ibr_case, ibara_clerk, soja_desk):
    """A referral 井原市 → 総社市 with client details and notes (not sensitive notes)."""
    return svc.handoff_send(
        case=ibr_case,
        by=ibara_clerk,
        kind=HandOffKind.REFERRAL,
        to_desk=soja_desk,
        shares_client=True,
        shares_notes=True,
        message="就労先とのトラブル（テスト）",
    )


def url(name, obj):
    return reverse(f"consult:{name}", args=[obj.pk])


# --- inbox -------------------------------------------------------------------------------------
def test_inbox_to_us_and_from_us(client, to_soja, soja_clerk, ibara_clerk, kasaoka_clerk):
    html = as_user(client, soja_clerk).get(INBOX).content.decode()
    assert to_soja.case.reference in html and "ファム" not in html
    assert as_user(client, ibara_clerk).get(INBOX).context["page"].rows == []
    assert [h.pk for h in client.get(INBOX, {"box": "from"}).context["page"].rows] == [to_soja.pk]
    assert as_user(client, kasaoka_clerk).get(INBOX).context["page"].rows == []
    assert as_user(client, kasaoka_clerk).get(INBOX, {"box": "from"}).context["page"].rows == []


def test_inbox_filters_and_keyset_pages(client, ibr_case, ibara_clerk, soja_clerk, soja_desk, hub_desk):
    for n in range(3):
        case = make_case(ibr_case.handling_desk, ibara_clerk, title=f"匿名{n}")
        svc.handoff_send(case=case, by=ibara_clerk, kind=HandOffKind.REFERRAL, to_desk=soja_desk)
    declined = HandOff.objects.order_by("id").first()
    svc.handoff_decline(handoff=declined, by=soja_clerk, reason="テスト")
    as_user(client, soja_clerk)
    assert len(client.get(INBOX, {"status": "pending"}).context["page"].rows) == 2
    assert client.get(INBOX, {"kind": "transfer"}).context["page"].rows == []
    first = handoff_selectors.inbox(user=soja_clerk, filters=handoff_selectors.InboxFilters(), per_page=2)
    assert len(first.rows) == 2 and first.next_cursor
    second = handoff_selectors.inbox(
        user=soja_clerk, filters=handoff_selectors.InboxFilters(), per_page=2, cursor=first.next_cursor
    )
    assert len(second.rows) == 1 and second.next_cursor is None
    assert {h.pk for h in first.rows + second.rows} == set(HandOff.objects.values_list("pk", flat=True))
    response = client.get(INBOX, {"cursor": "garbage"})
    assert response.status_code == 200 and response.context["cursor_problem"]


def test_inbox_refused_to_people_without_a_desk_and_wrong_method(client, ibara_stats, outsider, soja_clerk):
    for user in (ibara_stats, outsider):
        assert as_user(client, user).get(INBOX).status_code == 404
    assert as_user(client, soja_clerk).post(INBOX).status_code == 405


def test_home_page_shows_what_waits(client, to_soja, soja_clerk, ibara_clerk):
    html = as_user(client, soja_clerk).get(reverse("home")).content.decode()
    assert 'data-testid="panel-handoffs"' in html and to_soja.case.reference in html
    html = as_user(client, ibara_clerk).get(reverse("home")).content.decode()
    # The sender's own queues (recent consultations, my cases) list the case; the
    # hand-offs waiting for an answer do not.
    panel = html.split('data-testid="panel-handoffs"', 1)[1].split("</section>", 1)[0]
    assert to_soja.case.reference not in panel


def test_home_count_of_waiting_hand_offs(ibr_case, ibara_clerk, soja_clerk, soja_desk):
    """The home panel's number: its rows when fewer than the list holds (no
    count query), else counted."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(3):
        case = make_case(ibr_case.handling_desk, ibara_clerk, title=f"匿名{n}")
        svc.handoff_send(case=case, by=ibara_clerk, kind=HandOffKind.REFERRAL, to_desk=soja_desk)
    for limit, shown, counted in ((5, 3, False), (3, 3, True), (2, 2, True)):
        with CaptureQueriesContext(connection) as queries:
            waiting = handoff_selectors.waiting_for(soja_clerk, limit=limit)
        assert (waiting["count"], len(waiting["rows"])) == (3, shown), limit
        assert any("COUNT(*)" in q["sql"] for q in queries.captured_queries) == counted, limit


# --- one hand-off: who sees what -------------------------------------------------------------------
def test_pending_shows_the_receiver_a_summary_only(client, to_soja, soja_clerk, ibara_clerk, kasaoka_clerk, hub_staff):
    html = as_user(client, soja_clerk).get(url("handoff_detail", to_soja)).content.decode()
    assert to_soja.case.reference in html and "就労先とのトラブル" in html
    assert "ファム" not in html and "通院中" not in html and 'data-testid="handoff-client-hidden"' in html
    assert 'data-testid="handoff-accept"' in html and 'data-testid="handoff-cancel"' not in html
    html = as_user(client, ibara_clerk).get(url("handoff_detail", to_soja)).content.decode()
    assert "ファム" in html and 'data-testid="handoff-cancel"' in html and 'data-testid="handoff-accept"' not in html
    assert as_user(client, kasaoka_clerk).get(url("handoff_detail", to_soja)).status_code == 404
    assert as_user(client, hub_staff).get(url("handoff_detail", to_soja)).status_code == 200  # hub sees the consortium
    assert as_user(client, soja_clerk).post(url("handoff_detail", to_soja)).status_code == 405


@pytest.mark.parametrize("action", ["handoff_accept", "handoff_decline", "handoff_cancel", "handoff_complete"])
def test_every_step_404_for_a_third_municipality_and_405_for_get(client, to_soja, kasaoka_clerk, soja_clerk, action):
    assert as_user(client, kasaoka_clerk).post(url(action, to_soja), {"reason": "x"}).status_code == 404
    assert as_user(client, soja_clerk).get(url(action, to_soja)).status_code == 405
    to_soja.refresh_from_db()
    assert to_soja.status == HandOffStatus.PENDING


def test_accept_only_by_the_receiver(client, to_soja, soja_clerk, ibara_clerk, hub_staff):
    assert as_user(client, ibara_clerk).post(url("handoff_accept", to_soja)).status_code == 403
    assert as_user(client, hub_staff).post(url("handoff_accept", to_soja)).status_code == 403
    response = as_user(client, soja_clerk).post(url("handoff_accept", to_soja))
    assert response.status_code == 302
    to_soja.refresh_from_db()
    assert to_soja.status == HandOffStatus.ACCEPTED and to_soja.answered_by == soja_clerk
    # a second press (or a colleague who loaded the page before) gets a clear message
    response = client.post(url("handoff_accept", to_soja), follow=True)
    assert "すでに受諾しました" in response.content.decode()


def test_decline_needs_a_reason_which_the_sender_sees(client, to_soja, soja_clerk, ibara_clerk):
    response = as_user(client, soja_clerk).post(url("handoff_decline", to_soja), {"reason": ""})
    assert response.status_code == 200 and "field--invalid" in response.content.decode()
    client.post(url("handoff_decline", to_soja), {"reason": "担当外のため（テスト）"})
    html = as_user(client, ibara_clerk).get(url("handoff_detail", to_soja)).content.decode()
    assert "担当外のため（テスト）" in html and 'data-testid="decline-reason"' in html


def test_cancel_only_by_the_sender(client, to_soja, soja_clerk, ibara_clerk):
    assert as_user(client, soja_clerk).post(url("handoff_cancel", to_soja)).status_code == 403
    assert as_user(client, ibara_clerk).post(url("handoff_cancel", to_soja)).status_code == 302
    to_soja.refresh_from_db()
    assert to_soja.status == HandOffStatus.CANCELLED


# --- forwarding ---------------------------------------------------------------------------------
def test_forward_form_access(client, ibr_case, ibara_clerk, hub_staff, kasaoka_clerk, ibara_stats):
    forward = url("handoff_new", ibr_case)
    assert as_user(client, ibara_clerk).get(forward).status_code == 200
    assert as_user(client, hub_staff).get(forward).status_code == 403  # sees the case, does not act for 井原市
    assert as_user(client, kasaoka_clerk).get(forward).status_code == 404
    assert as_user(client, ibara_stats).get(forward).status_code == 404
    assert as_user(client, ibara_clerk).put(forward).status_code == 405


def test_forward_without_consent_is_refused_with_the_reason(client, ibr_case, ibara_clerk, kasaoka):
    response = as_user(client, ibara_clerk).post(
        url("handoff_new", ibr_case),
        {"kind": "referral", "to_desk": kasaoka.desks.get().pk, "shares_client": "on", "mode": "consent"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="handoff-refused"' in html
    assert "笠岡市" in html
    assert not HandOff.objects.exists()


def test_forward_with_consent_sends_and_audits(client, ibr_case, ibara_clerk, hub_desk):
    response = as_user(client, ibara_clerk).post(
        url("handoff_new", ibr_case),
        {"kind": "referral", "to_desk": hub_desk.pk, "shares_client": "on", "shares_notes": "on", "mode": "consent"},
    )
    handoff = HandOff.objects.get()
    assert response.status_code == 302 and response["Location"] == url("handoff_detail", handoff)
    assert handoff.travels_client and handoff.travels_notes and not handoff.shares_sensitive
    assert AuditEvent.objects.filter(action="forward", case=ibr_case, actor=ibara_clerk).exists()
    html = client.get(url("case_detail", ibr_case)).content.decode()
    assert 'data-testid="case-handoff"' in html


# --- visibility of the case, the client page and the search ------------------------------------------
def _sees(client, user, case, person) -> dict[str, bool]:
    as_user(client, user)
    found = client.get(reverse("consult:client_search"), {"q": "ファム"}).content.decode()
    return {
        "case": client.get(url("case_detail", case)).status_code == 200,
        "client": client.get(url("client_detail", person)).status_code == 200,
        "search": f'value="{person.pk}"' in found,
    }


NOTHING = {"case": False, "client": False, "search": False}
EVERYTHING = {"case": True, "client": True, "search": True}


def test_visibility_before_and_after_acceptance(client, to_soja, soja_clerk, kasaoka_clerk, ibara_clerk, person):
    case = to_soja.case
    assert _sees(client, soja_clerk, case, person) == NOTHING
    svc.handoff_accept(handoff=to_soja, by=soja_clerk)
    assert _sees(client, soja_clerk, case, person) == EVERYTHING
    assert _sees(client, kasaoka_clerk, case, person) == NOTHING
    assert _sees(client, ibara_clerk, case, person) == EVERYTHING  # the sender keeps its case
    html = as_user(client, soja_clerk).get(url("case_detail", case)).content.decode()
    assert "通院中" not in html  # sensitive notes were not chosen to travel


def test_visibility_after_decline_and_after_cancel(client, to_soja, soja_clerk, ibara_clerk, soja_desk, person):
    case = to_soja.case
    svc.handoff_decline(handoff=to_soja, by=soja_clerk, reason="テスト")
    assert _sees(client, soja_clerk, case, person) == NOTHING
    again = svc.handoff_send(
        case=case, by=ibara_clerk, kind=HandOffKind.REFERRAL, to_desk=soja_desk, shares_client=True
    )
    svc.handoff_cancel(handoff=again, by=ibara_clerk)
    assert _sees(client, soja_clerk, case, person) == NOTHING


def test_without_client_details_the_receiver_reads_the_handoff_page_only(
    client, ibr_case, ibara_clerk, soja_clerk, soja_desk, person
):
    handoff = svc.handoff_send(
        case=ibr_case, by=ibara_clerk, kind=HandOffKind.REFERRAL, to_desk=soja_desk, shares_notes=True
    )
    svc.handoff_accept(handoff=handoff, by=soja_clerk)
    assert _sees(client, soja_clerk, ibr_case, person) == NOTHING
    html = client.get(url("handoff_detail", handoff)).content.decode()
    assert 'data-testid="handoff-notes"' in html and "ファム" not in html and "通院中" not in html


def test_withdrawal_is_shown_on_every_side(client, to_soja, soja_clerk, ibara_clerk, person):
    svc.handoff_accept(handoff=to_soja, by=soja_clerk)
    svc.consent_withdraw(client=person, by=ibara_clerk)
    html = as_user(client, soja_clerk).get(url("handoff_detail", to_soja)).content.decode()
    assert 'data-testid="consent-withdrawn"' in html and "ファム" not in html
    assert _sees(client, soja_clerk, to_soja.case, person)["search"] is False
    html = as_user(client, ibara_clerk).get(url("client_detail", person)).content.decode()
    assert 'data-testid="consent-withdrawn"' in html
    html = client.get(url("case_detail", to_soja.case)).content.decode()
    assert 'data-testid="case-consent-withdrawn"' in html


# --- waiting time in business days -----------------------------------------------------------------
def _sent(handoff, day):
    HandOff.objects.filter(pk=handoff.pk).update(
        sent_at=timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))
    )
    return HandOff.objects.select_related("to_desk", "from_desk").get(pk=handoff.pk)


@pytest.mark.parametrize(
    ("sent", "today", "waiting", "due", "overdue"),
    [
        # Golden Week 2026: 5/3 (Sun) → 振替休日 5/6; sent Fri 5/1, answer due Fri 5/8
        ("2026-05-01", "2026-05-06", 0, "2026-05-08", False),
        ("2026-05-01", "2026-05-08", 2, "2026-05-08", False),
        ("2026-05-01", "2026-05-11", 3, "2026-05-08", True),
        # the year-end closure 12/29–1/3: sent Fri 12/25, due Mon 1/4
        ("2026-12-25", "2027-01-04", 2, "2027-01-04", False),
        ("2026-12-25", "2027-01-05", 3, "2027-01-04", True),
        # an ordinary week: sent Mon, waits 2 on Wed, overdue on Thu
        ("2026-11-30", "2026-12-02", 2, "2026-12-02", False),
        ("2026-11-30", "2026-12-03", 3, "2026-12-02", True),
    ],
)
def test_waiting_business_days_and_overdue(to_soja, soja_clerk, sent, today, waiting, due, overdue):
    from datetime import date

    handoff = _sent(to_soja, date.fromisoformat(sent))
    handoff_selectors._decorate([handoff], date.fromisoformat(today))
    assert (handoff.waiting_days, handoff.due_date, handoff.is_overdue) == (
        waiting,
        date.fromisoformat(due),
        overdue,
    )
    overdue_rows = handoff_selectors.inbox(
        user=soja_clerk,
        filters=handoff_selectors.InboxFilters(overdue=True),
        today=date.fromisoformat(today),
    ).rows
    assert [h.pk for h in overdue_rows] == ([handoff.pk] if overdue else [])


# --- the client page: edit and consent -------------------------------------------------------------
def test_client_edit_with_lost_update_protection_and_audit(client, person, ibara_clerk, soja_clerk, ibara_stats):
    edit = url("client_edit", person)
    assert as_user(client, soja_clerk).get(edit).status_code == 404
    assert as_user(client, ibara_stats).get(edit).status_code == 404
    form = as_user(client, ibara_clerk).get(edit).context["form"]
    loaded_at = form.initial["loaded_at"]
    data = {"name": "ファム テスト", "name_latin": "Pham Testo", "client_type": "self", "loaded_at": loaded_at}
    response = client.post(edit, {**data, "nationality": "XX", "period_of_stay_expiry": "2027-03-31"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.nationality == "XX" and str(person.period_of_stay_expiry) == "2027-03-31"
    event = AuditEvent.objects.filter(object_type="consult.client", action="update").latest("at")
    assert set(event.changes) == {"nationality", "period_of_stay_expiry"} and "XX" not in str(event.changes)
    assert "無国籍" in client.get(url("client_detail", person)).content.decode()
    # a second editor who loaded the page before that save is not allowed to overwrite it
    response = client.post(edit, {**data, "phone": "000-0000-0000"})
    assert response.status_code == 200 and 'data-testid="client-edit-conflict"' in response.content.decode()
    person.refresh_from_db()
    assert person.phone == ""
    assert client.put(edit).status_code == 405


def test_consent_recorded_and_withdrawn_from_the_client_page(client, person, ibara_clerk, ja, kurashiki, soja_clerk):
    as_user(client, ibara_clerk)
    response = client.post(
        url("consent_new", person),
        {
            "municipalities": [kurashiki.pk],
            "organisation_kinds": ["employment"],
            "given_on": timezone.localdate().isoformat(),
            "explanation_language": ja.pk,
            "interpretation_mode": "tablet_video",
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get(client=person)
    assert consent.interpretation_mode == "tablet_video" and consent.organisation_kinds == ["employment"]
    html = client.get(url("client_detail", person)).content.decode()
    assert 'data-testid="consent-in-force"' in html and "倉敷市" in html
    assert client.get(url("consent_withdraw", person)).status_code == 405
    assert as_user(client, soja_clerk).post(url("consent_withdraw", person)).status_code == 404
    as_user(client, ibara_clerk).post(url("consent_withdraw", person), {"withdrawn_on": timezone.localdate()})
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()


@pytest.mark.parametrize(
    ("lang", "text"), [("ja", "個人情報の提供に関する同意"), ("en", "Consent to provide personal data")]
)
def test_printable_consent_explanation(client, person, ibara_clerk, lang, text):
    response = as_user(client, ibara_clerk).get(url("consent_explanation", person), {"lang": lang})
    html = response.content.decode()
    assert response.status_code == 200 and text in html and f'<html lang="{lang}">' in html


def test_desk_ids_index_follows_accepted_referrals(to_soja, soja_clerk, person, soja_desk):
    assert soja_desk.pk not in Client.objects.get(pk=person.pk).desk_ids
    svc.handoff_accept(handoff=to_soja, by=soja_clerk)
    assert soja_desk.pk in Client.objects.get(pk=person.pk).desk_ids


def test_a_closure_of_the_receiving_municipality_extends_the_wait(to_soja, soja):
    from datetime import date

    from municipalities.models import MunicipalClosure

    MunicipalClosure.objects.create(municipality=soja, date=date(2026, 12, 1), reason="庁舎移転（テスト）")
    handoff = _sent(to_soja, date(2026, 11, 30))
    handoff_selectors._decorate([handoff], date(2026, 12, 3))
    assert (handoff.waiting_days, handoff.due_date, handoff.is_overdue) == (2, date(2026, 12, 3), False)


def test_receiver_sees_notes_only_when_chosen_and_adds_consultations(
    client, ibr_case, ibara_clerk, soja_clerk, soja_desk, person
):
    import uuid

    from consult.models import Consultation, Topic
    from consult.services import consultation_log

    Consultation.objects.filter(case=ibr_case).update(notes="職場でのトラブル（テスト）")
    handoff = svc.handoff_send(
        case=ibr_case, by=ibara_clerk, kind=HandOffKind.REFERRAL, to_desk=soja_desk, shares_client=True
    )
    svc.handoff_accept(handoff=handoff, by=soja_clerk)
    html = as_user(client, soja_clerk).get(url("case_detail", ibr_case)).content.decode()
    assert "ファム" in html and "職場でのトラブル" not in html and "通院中" not in html
    added = consultation_log(
        by=soja_clerk,
        desk=soja_desk,
        case=ibr_case,
        channel="walk_in",
        language=Language.objects.get(code="ja"),
        topics=[Topic.objects.get(code="other")],
        intake_token=uuid.uuid4(),
    )
    assert added.case == ibr_case and added.desk == soja_desk  # counted for the desk that took it
    ibr_case.refresh_from_db()
    assert ibr_case.handling_desk.municipality.code == "332071"  # a referral: the sender keeps its case
