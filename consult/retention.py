"""Consultation records under retention (core/retention.py, issue 12 point 11).

A case expires when it is closed and nothing happened on it since before the
cutoff; its consultations, follow-ups, hand-offs and the consents of a client
whose every case expired go with it.  A client expires when every case of
theirs expired and the record itself was not changed since the cutoff.

Anonymising blanks what identifies a person or tells their story — names,
reading, contact, year of birth, period-of-stay expiry, place of residence
note, subjects, notes, sensitive notes, hand-off messages and reasons,
consent notes — and keeps every row, every link between rows and every
column that statistics count ("what was true then" lives on the
consultation), so every count and aggregate stays identical.  Plain UPDATEs:
no signal fires, the aggregates are not rebuilt because nothing they read
changed."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.retention import RecordClass, holds_text, redact, register

from .models import Case, Client, Consent, Consultation, FollowUp, HandOff
from .models.cases import CaseStatus

CLIENT_BLANK = {
    "name": "",
    "name_kana": "",
    "name_latin": "",
    "phone": "",
    "email": "",
    "residence_note": "",
    "birth_year": None,
    "period_of_stay_expiry": None,
    "search_text": "",
    "name_grams": [],
}
CLIENT_HOLDS_DATA = (
    ~Q(name="")
    | ~Q(name_kana="")
    | ~Q(name_latin="")
    | ~Q(phone="")
    | ~Q(email="")
    | ~Q(residence_note="")
    | Q(birth_year__isnull=False)
    | Q(period_of_stay_expiry__isnull=False)
)


def expired_cases(cutoff: datetime) -> QuerySet[Case]:
    return Case.objects.filter(status=CaseStatus.CLOSED, closed_at__lt=cutoff, last_activity_at__lt=cutoff)


def expired_clients(cutoff: datetime) -> QuerySet[Client]:
    kept_case = Case.objects.filter(client_id=OuterRef("pk")).exclude(pk__in=expired_cases(cutoff).values("pk"))
    return Client.objects.filter(created_at__lt=cutoff, updated_at__lt=cutoff).exclude(Exists(kept_case))


def _targets(cutoff: datetime) -> list[tuple[QuerySet, Q, dict]]:
    cases = expired_cases(cutoff).values("pk")
    clients = expired_clients(cutoff)
    return [
        (expired_cases(cutoff), ~Q(title="") | ~Q(sensitive_notes=""), {"title": "", "sensitive_notes": ""}),
        (Consultation.objects.filter(case__in=cases), ~Q(notes=""), {"notes": ""}),
        (FollowUp.objects.filter(case__in=cases), ~Q(note=""), {"note": ""}),
        (
            HandOff.objects.filter(case__in=cases),
            holds_text("message", "override_basis", "decline_reason"),
            # A declined hand-off must keep a reason, an override a basis (constraints).
            {"message": "", "override_basis": redact("override_basis"), "decline_reason": redact("decline_reason")},
        ),
        (Consent.objects.filter(client__in=clients.values("pk")), ~Q(note=""), {"note": ""}),
        (clients, CLIENT_HOLDS_DATA, CLIENT_BLANK),
    ]


def pending(cutoff: datetime) -> int:
    return sum(qs.filter(holds).count() for qs, holds, _blank in _targets(cutoff))


def anonymise(cutoff: datetime) -> int:
    return sum(qs.filter(holds).update(**blank) for qs, holds, blank in _targets(cutoff))


register(
    RecordClass(
        key="consultation_records", label=_("consultation records"), pending=pending, anonymise=anonymise, order=10
    )
)
