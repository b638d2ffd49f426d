"""Consent and hand-off services (consult/services_handoffs.py) on the real
PostgreSQL: consent history, the consent gate (refuse / anonymise / allow /
override), every transition only to the right side, withdrawal after a
share, and the concurrent acceptance race."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from consult.models import (
    Case,
    Client,
    Consent,
    ConsentBasis,
    HandOff,
    HandOffKind,
    HandOffStatus,
    Language,
    Organisation,
)
from consult.services import handoffs as svc
from core.models import AuditEvent
from municipalities.models import Municipality
from tests.consult.test_case_list import make_case
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ja(reference_data):
    return Language.objects.get(code="ja")


@pytest.fixture
def kasaoka(reference_data):
    return Municipality.objects.get(code="332054")


@pytest.fixture
def person(ibara_desk):
    return ClientFactory(registered_desk=ibara_desk, name="グエン テスト", name_latin="Nguyen Test")


@pytest.fixture
def ibr_case(ibara_desk, ibara_clerk, person):
    return make_case(ibara_desk, ibara_clerk, client=person, title="在留期間更新", sensitive_notes="通院中（テスト）")


@pytest.fixture
def consent_hub(person, ibara_clerk, ja, kurashiki):
    return svc.consent_record(client=person, by=ibara_clerk, explanation_language=ja, municipalities=[kurashiki])


def refer(case, by, to_desk, **kwargs):
    kwargs.setdefault("shares_client", True)
    kwargs.setdefault("shares_notes", True)
    return svc.handoff_send(case=case, by=by, kind=kwargs.pop("kind", HandOffKind.REFERRAL), to_desk=to_desk, **kwargs)


# --- consent history ---------------------------------------------------------------
def test_new_consent_supersedes_and_keeps_history(person, ibara_clerk, ja, kurashiki, kasaoka):
    first = svc.consent_record(client=person, by=ibara_clerk, explanation_language=ja, municipalities=[kurashiki])
    second = svc.consent_record(
        client=person, by=ibara_clerk, explanation_language=ja, municipalities=[kurashiki, kasaoka]
    )
    first.refresh_from_db()
    assert first.superseded_at is not None and not first.in_force
    assert second.in_force
    assert list(Consent.objects.current().filter(client=person)) == [second]
    assert Consent.objects.filter(client=person).count() == 2
    assert AuditEvent.objects.filter(object_type="consult.consent", action="create").count() == 2


def test_consent_needs_a_scope_and_the_client_desk(person, ibara_clerk, soja_clerk, ja, kurashiki):
    with pytest.raises(ValidationError):
        svc.consent_record(client=person, by=ibara_clerk, explanation_language=ja)
    with pytest.raises(PermissionDenied):
        svc.consent_record(client=person, by=soja_clerk, explanation_language=ja, municipalities=[kurashiki])
    assert not Consent.objects.exists()


def test_withdrawal_keeps_the_row_and_a_new_consent_follows_it(person, ibara_clerk, ja, kurashiki, consent_hub):
    withdrawn = svc.consent_withdraw(client=person, by=ibara_clerk)
    assert withdrawn.withdrawn_on is not None and not withdrawn.in_force
    with pytest.raises(ValidationError):
        svc.consent_withdraw(client=person, by=ibara_clerk)
    again = svc.consent_record(client=person, by=ibara_clerk, explanation_language=ja, municipalities=[kurashiki])
    withdrawn.refresh_from_db()
    assert withdrawn.superseded_at is not None and withdrawn.withdrawn_on is not None
    assert again.in_force


# --- the consent gate --------------------------------------------------------------------
def test_gate_allows_with_consent_covering_the_destination(ibr_case, ibara_clerk, hub_desk, consent_hub):
    handoff = refer(ibr_case, ibara_clerk, hub_desk)
    assert handoff.basis == ConsentBasis.CONSENT and handoff.consent == consent_hub
    assert handoff.travels_client and handoff.travels_notes


def test_gate_refuses_without_consent_and_says_what_is_missing(ibr_case, ibara_clerk, kasaoka):
    with pytest.raises(svc.ConsentMissing) as refused:
        refer(ibr_case, ibara_clerk, kasaoka.desks.get())
    assert "同意を得ていません" in str(refused.value)
    assert "笠岡市" in str(refused.value) or "Kasaoka" in str(refused.value)
    assert not HandOff.objects.exists()


def test_gate_refuses_a_destination_the_consent_does_not_cover(ibr_case, ibara_clerk, kasaoka, consent_hub):
    with pytest.raises(svc.ConsentMissing) as refused:
        refer(ibr_case, ibara_clerk, kasaoka.desks.get())
    assert "対象にしていません" in str(refused.value)


def test_gate_anonymises_on_request(ibr_case, ibara_clerk, kasaoka):
    handoff = refer(ibr_case, ibara_clerk, kasaoka.desks.get(), mode="anonymous", shares_sensitive=True)
    assert handoff.basis == ConsentBasis.ANONYMOUS
    assert not (handoff.shares_client or handoff.shares_notes or handoff.shares_sensitive)
    assert not handoff.carries_personal_data


def test_anonymous_case_needs_no_consent(ibara_desk, ibara_clerk, kasaoka):
    quick = make_case(ibara_desk, ibara_clerk, is_quick_contact=True)
    handoff = refer(quick, ibara_clerk, kasaoka.desks.get())
    assert handoff.basis == ConsentBasis.NOT_NEEDED and handoff.travels_notes and not handoff.shares_client


def test_override_only_by_a_role_that_may_and_audited(hub_desk, hub_staff, coordinator, kasaoka):
    person = ClientFactory(registered_desk=hub_desk, name="テスト 花子")
    case = make_case(hub_desk, hub_staff, client=person)
    to = kasaoka.desks.get()
    with pytest.raises(PermissionDenied):
        refer(case, hub_staff, to, mode="override", override_basis="児童福祉法第25条（テスト）")
    with pytest.raises(ValidationError):
        refer(case, coordinator, to, mode="override", override_basis="  ")
    handoff = refer(case, coordinator, to, mode="override", override_basis="児童福祉法第25条（テスト）")
    assert handoff.basis == ConsentBasis.OVERRIDE and handoff.travels_client
    event = AuditEvent.objects.get(object_type="consult.handoff", object_id=str(handoff.pk), action="forward")
    assert event.actor == coordinator and event.changes["override"] is True


def test_external_referral_covered_by_organisation_kind(ibr_case, ibara_clerk, person, ja):
    hello_work = Organisation.objects.filter(kind=Organisation.Kind.EMPLOYMENT).first()
    legal = Organisation.objects.filter(kind=Organisation.Kind.LEGAL).first()
    svc.consent_record(
        client=person, by=ibara_clerk, explanation_language=ja, organisation_kinds=[Organisation.Kind.EMPLOYMENT]
    )
    handoff = svc.handoff_send(
        case=ibr_case, by=ibara_clerk, kind=HandOffKind.EXTERNAL, to_organisation=hello_work, shares_client=True
    )
    assert handoff.basis == ConsentBasis.CONSENT
    with pytest.raises(svc.ConsentMissing):
        svc.handoff_send(
            case=ibr_case, by=ibara_clerk, kind=HandOffKind.EXTERNAL, to_organisation=legal, shares_client=True
        )


def test_sensitive_notes_travel_only_when_chosen(ibr_case, ibara_clerk, hub_desk, consent_hub):
    plain = refer(ibr_case, ibara_clerk, hub_desk)
    assert not plain.travels_sensitive
    svc.handoff_cancel(handoff=plain, by=ibara_clerk)
    chosen = refer(ibr_case, ibara_clerk, hub_desk, shares_sensitive=True)
    assert chosen.travels_sensitive


# --- transitions: only the right side and role -------------------------------------------------
def test_only_the_handling_desk_sends(ibr_case, soja_clerk, hub_staff, hub_desk, ibara_stats, consent_hub):
    for user in (soja_clerk, ibara_stats, hub_staff):
        # hub staff see the case but do not act for 井原市's desk
        with pytest.raises(PermissionDenied):
            refer(ibr_case, user, hub_desk)


def test_accept_decline_cancel_only_by_the_right_side(
    ibr_case, ibara_clerk, hub_staff, soja_clerk, hub_desk, consent_hub
):
    handoff = refer(ibr_case, ibara_clerk, hub_desk)
    for user in (ibara_clerk, soja_clerk):  # the sender does not answer its own hand-off
        with pytest.raises(PermissionDenied):
            svc.handoff_accept(handoff=handoff, by=user)
        with pytest.raises(PermissionDenied):
            svc.handoff_decline(handoff=handoff, by=user, reason="x")
    for user in (hub_staff, soja_clerk):  # only the sender cancels
        with pytest.raises(PermissionDenied):
            svc.handoff_cancel(handoff=handoff, by=user)
    with pytest.raises(ValidationError):
        svc.handoff_decline(handoff=handoff, by=hub_staff, reason=" ")
    declined = svc.handoff_decline(handoff=handoff, by=hub_staff, reason="管轄外のため（テスト）")
    assert declined.status == HandOffStatus.DECLINED and declined.decline_reason
    with pytest.raises(svc.HandOffStateError):
        svc.handoff_cancel(handoff=handoff, by=ibara_clerk)


def test_transfer_moves_the_case_on_acceptance(ibr_case, ibara_clerk, hub_staff, hub_desk, consent_hub):
    handoff = refer(ibr_case, ibara_clerk, hub_desk, kind=HandOffKind.TRANSFER, shares_client=False)
    assert handoff.shares_client and handoff.shares_notes and handoff.shares_sensitive  # a transfer carries all
    ibr_case.refresh_from_db()
    assert ibr_case.handling_desk_id != hub_desk.pk
    svc.handoff_accept(handoff=handoff, by=hub_staff)
    ibr_case.refresh_from_db()
    assert ibr_case.handling_desk_id == hub_desk.pk and ibr_case.assignee == hub_staff
    completed = svc.handoff_complete(handoff=handoff, by=hub_staff)
    assert completed.status == HandOffStatus.COMPLETED
    events = AuditEvent.objects.filter(object_type="consult.handoff", object_id=str(handoff.pk)).order_by("at", "id")
    assert [e.summary for e in events] == ["transfer sent (consent)", "transfer accepted", "transfer completed"]
    assert all(e.case_id == ibr_case.pk for e in events)


def test_transfer_cannot_go_anonymously(ibr_case, ibara_clerk, kasaoka):
    with pytest.raises(ValidationError):
        refer(ibr_case, ibara_clerk, kasaoka.desks.get(), kind=HandOffKind.TRANSFER, mode="anonymous")


def test_cancel_by_sender_and_no_second_pending_to_the_same_desk(ibr_case, ibara_clerk, hub_desk, consent_hub):
    handoff = refer(ibr_case, ibara_clerk, hub_desk)
    with pytest.raises(ValidationError):
        refer(ibr_case, ibara_clerk, hub_desk)
    assert svc.handoff_cancel(handoff=handoff, by=ibara_clerk).status == HandOffStatus.CANCELLED
    assert refer(ibr_case, ibara_clerk, hub_desk).status == HandOffStatus.PENDING


def test_external_referral_answer_recorded_by_the_sender(ibr_case, ibara_clerk, hub_staff, person, ja):
    org = Organisation.objects.first()
    svc.consent_record(client=person, by=ibara_clerk, explanation_language=ja, organisations=[org])
    handoff = svc.handoff_send(case=ibr_case, by=ibara_clerk, kind=HandOffKind.EXTERNAL, to_organisation=org)
    with pytest.raises(PermissionDenied):
        svc.handoff_accept(handoff=handoff, by=hub_staff)
    assert svc.handoff_accept(handoff=handoff, by=ibara_clerk).status == HandOffStatus.ACCEPTED


# --- withdrawal after a share ---------------------------------------------------------------------
def test_withdrawal_stops_open_handoffs_and_further_sharing(
    ibr_case, ibara_clerk, hub_staff, hub_desk, person, consent_hub
):
    handoff = refer(ibr_case, ibara_clerk, hub_desk, shares_sensitive=True)
    svc.handoff_accept(handoff=handoff, by=hub_staff)
    assert hub_desk.pk in Client.objects.get(pk=person.pk).desk_ids
    svc.consent_withdraw(client=person, by=ibara_clerk)
    handoff.refresh_from_db()
    assert handoff.personal_data_stopped_at is not None
    assert not (handoff.travels_client or handoff.travels_notes or handoff.travels_sensitive)
    # the name search index no longer lists the receiving desk
    assert Client.objects.get(pk=person.pk).desk_ids == [ibr_case.handling_desk_id]
    svc.handoff_complete(handoff=handoff, by=hub_staff)
    with pytest.raises(svc.ConsentMissing) as refused:
        refer(ibr_case, ibara_clerk, hub_desk)
    assert "撤回しました" in str(refused.value)
    assert AuditEvent.objects.filter(object_id=str(handoff.pk), summary="consent withdrawn").exists()


# --- two clerks accept at the same moment ------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_concurrent_acceptance_exactly_one_wins(reference_data):
    from tests.conftest import _member
    from tests.factories import UserFactory  # noqa: F401 - factories need the db

    kurashiki = Municipality.objects.get(code="332020")
    ibara = Municipality.objects.get(code="332071")
    hub_desk, ibara_desk = kurashiki.desks.get(is_hub=True), ibara.desks.get()
    clerk = _member(ibara, "partner_clerk", username="t-race-clerk")
    first, second = (_member(kurashiki, "counter_staff", username=f"t-race-{n}") for n in (1, 2))
    person = ClientFactory(registered_desk=ibara_desk)
    case = make_case(ibara_desk, clerk, client=person)
    svc.consent_record(
        client=person, by=clerk, explanation_language=Language.objects.get(code="ja"), municipalities=[kurashiki]
    )
    handoff = refer(case, clerk, hub_desk, kind=HandOffKind.TRANSFER)

    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def accept(user):
        try:
            loaded = HandOff.objects.get(pk=handoff.pk)  # both load it while it is pending
            barrier.wait(timeout=10)
            svc.handoff_accept(handoff=loaded, by=user)
            results[user.username] = "accepted"
        except svc.HandOffStateError as error:
            results[user.username] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(type(r).__name__ for r in results.values()) == ["HandOffStateError", "str"]
    loser_message = str(next(r for r in results.values() if isinstance(r, svc.HandOffStateError)))
    winner = next(name for name, r in results.items() if r == "accepted")
    assert "すでに受諾しました" in loser_message and f"Test {winner}" in loser_message
    handoff.refresh_from_db()
    assert handoff.status == HandOffStatus.ACCEPTED and handoff.answered_by.username == winner
    assert AuditEvent.objects.filter(object_id=str(handoff.pk), summary="transfer accepted").count() == 1
    assert Case.objects.get(pk=case.pk).handling_desk_id == hub_desk.pk
