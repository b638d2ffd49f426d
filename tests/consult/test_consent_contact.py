"""Consent's "contact by the desk" scope (issue 10 × issue 7): recorded from
the client page — on its own or beside the sharing scopes — shown there, and
the only thing the period-of-stay reminder's consent gate reads."""

import pytest
from django.urls import reverse
from django.utils import timezone

from consult.models import Client, Consent, Language
from consult.reminders import clients_who_consented_to_contact
from consult.services import handoffs as svc
from tests.factories import ClientFactory, as_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def ja(reference_data):
    return Language.objects.get(code="ja")


@pytest.fixture
def person(ibara_desk):
    return ClientFactory(registered_desk=ibara_desk, name="テスト 連絡", name_latin="Test Renraku")


def _gate(person) -> bool:
    return clients_who_consented_to_contact(Client.objects.filter(pk=person.pk)).exists()


def test_the_consent_form_records_contact_by_the_desk_alone(client, person, ibara_clerk, ja):
    as_user(client, ibara_clerk)
    form = client.get(reverse("consult:consent_new", args=[person.pk])).content.decode()
    assert 'name="contact_by_desk"' in form and "窓口からの連絡" in form
    response = client.post(
        reverse("consult:consent_new", args=[person.pk]),
        {
            "contact_by_desk": "on",
            "given_on": timezone.localdate().isoformat(),
            "explanation_language": ja.pk,
            "interpretation_mode": "none",
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get(client=person)
    assert consent.contact_by_desk and consent.covers_contact
    assert not consent.municipalities.exists()  # shares nothing with anyone
    html = client.get(reverse("consult:client_detail", args=[person.pk])).content.decode()
    assert 'data-testid="consent-contact"' in html
    assert _gate(person)


def test_a_consent_without_any_scope_is_still_refused(client, person, ibara_clerk, ja):
    as_user(client, ibara_clerk)
    response = client.post(
        reverse("consult:consent_new", args=[person.pk]),
        {"given_on": timezone.localdate().isoformat(), "explanation_language": ja.pk, "interpretation_mode": "none"},
    )
    assert response.status_code == 200 and not Consent.objects.exists()


def test_only_a_consent_in_force_with_the_scope_passes_the_gate(person, ibara_clerk, ja, kurashiki):
    svc.consent_record(client=person, by=ibara_clerk, explanation_language=ja, municipalities=[kurashiki])
    assert not _gate(person)  # sharing with a municipality is not being contacted
    svc.consent_record(client=person, by=ibara_clerk, explanation_language=ja, contact_by_desk=True)
    assert _gate(person)
    # A newer consent without the scope supersedes it.
    svc.consent_record(client=person, by=ibara_clerk, explanation_language=ja, municipalities=[kurashiki])
    assert not _gate(person)
    svc.consent_record(client=person, by=ibara_clerk, explanation_language=ja, contact_by_desk=True)
    svc.consent_withdraw(client=person, by=ibara_clerk)
    assert not _gate(person)
    assert Consent.objects.filter(client=person).count() == 4  # the history is kept


def test_the_scope_is_in_the_audit_trail(person, ibara_clerk, ja):
    from core.models import AuditEvent

    consent = svc.consent_record(client=person, by=ibara_clerk, explanation_language=ja, contact_by_desk=True)
    event = AuditEvent.objects.filter(object_id=str(consent.pk), summary__startswith="consent recorded").get()
    assert event.changes["contact_by_desk"] is True
