"""The rows of each document, from a case and the staff's choices.

Each builder returns a dict for templates/documents/document.html: title,
notice, and rows of Pairs (Japanese | client column) built by
documents.texts.DocumentTexts."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from consult.models import Consent
from municipalities.models import Municipality

from . import dates
from .models import DocumentKind, OpeningHours
from .texts import DocumentTexts, Pair


@dataclass
class Row:
    kind: str  # "para", "field", "list", "signature"
    label: Pair | None = None
    value: Pair | None = None
    items: list[Pair] = field(default_factory=list)


def client_display_name(case) -> str:
    client = case.client
    if client is None:
        return ""
    if client.name_latin and client.name_latin != client.name:
        return f"{client.name} ({client.name_latin})"
    return client.name


def _header(texts: DocumentTexts, case, title_key: str, *, issued) -> list[Row]:
    return [
        Row("field", texts.pair("common.name"), texts.same(client_display_name(case)) if case.client_id else None),
        Row("field", texts.pair("common.issued"), texts.value(lambda code: dates.long_date(issued, code))),
    ]


def _bring(texts: DocumentTexts, items: list[str]) -> list[Row]:
    if not items:
        return []
    return [Row("list", texts.pair("common.bring"), items=[texts.pair(f"bring.{item}") for item in items])]


def _desk_rows(texts: DocumentTexts, desk) -> list[Row]:
    rows = [Row("field", texts.pair("common.desk"), texts.same(desk.name_ja or desk.name))]
    if desk.phone:
        rows.append(Row("field", texts.pair("common.phone"), texts.same(desk.phone)))
    return rows


def build_slip(*, case, language, data) -> dict:
    texts = DocumentTexts(kind=DocumentKind.SLIP, language=language)
    booking = data.get("booking")
    if data.get("day") and data.get("at"):
        day, at = data["day"], data["at"]
    else:
        start = timezone.localtime(booking.starts_at)
        day, at = start.date(), start.time()
    desk = case.handling_desk
    place = data.get("place") or (booking.place if booking is not None and booking.place else "")
    if not place:
        place = " ".join(part for part in (desk.name_ja or desk.name, desk.address_ja or desk.address) if part)
    rows = [
        *_header(texts, case, "slip.title", issued=timezone.localdate()),
        Row("para", texts.pair("slip.intro")),
        Row("field", texts.pair("common.date"), texts.value(lambda code: dates.long_date(day, code))),
        Row("field", texts.pair("slip.time"), texts.value(lambda code: dates.short_time(at, code))),
        Row("field", texts.pair("slip.place"), texts.same(place)),
    ]
    if booking is not None and booking.status != "cancelled":
        names = {
            "ja": booking.language.name_ja or booking.language.name,
            "easy": booking.language.name_ja or booking.language.name,
            "client": booking.language.autonym,
            "en": booking.language.name_en or booking.language.name,
        }
        rows.append(
            Row("field", texts.pair("slip.interpreter"), texts.pair("slip.interpreter_arranged", language=names))
        )
    else:
        rows.append(Row("field", texts.pair("slip.interpreter"), texts.pair("slip.no_interpreter")))
    rows += _bring(texts, data.get("bring") or [])
    rows.append(Row("para", texts.pair("slip.cannot_come")))
    rows += _desk_rows(texts, desk)
    return {"texts": texts, "title": texts.pair("slip.title"), "rows": rows}


def build_referral(*, case, language, data) -> dict:
    texts = DocumentTexts(kind=DocumentKind.REFERRAL, language=language)
    organisation = data["organisation"]
    hours = OpeningHours.objects.filter(organisation=organisation).first()
    rows = [
        *_header(texts, case, "referral.title", issued=timezone.localdate()),
        Row("para", texts.pair("referral.intro")),
        Row("field", texts.pair("referral.to"), _organisation_name(texts, organisation)),
        Row(
            "field", texts.pair("referral.address"), texts.same(organisation.address_ja or organisation.address or "—")
        ),
    ]
    if organisation.phone:
        rows.append(Row("field", texts.pair("common.phone"), texts.same(organisation.phone)))
    if hours is not None:
        value = texts.value(lambda code: dates.opening_hours_text(hours, code))
        rows.append(Row("field", texts.pair("referral.hours"), value))
        if hours.note:
            rows.append(Row("field", None, texts.same(hours.note)))
    else:
        rows.append(Row("field", texts.pair("referral.hours"), texts.pair("referral.hours_unknown")))
    rows.append(Row("field", texts.pair("referral.about"), texts.pair(f"referral.purpose.{organisation.kind}")))
    rows += _bring(texts, data.get("bring") or [])
    rows.append(Row("para", texts.pair("referral.show_this")))
    rows += _desk_rows(texts, case.handling_desk)
    return {"texts": texts, "title": texts.pair("referral.title"), "rows": rows}


def _organisation_name(texts: DocumentTexts, organisation) -> Pair:
    japanese = organisation.name_ja or organisation.name
    english = organisation.name_en or ""
    pair = texts.same(japanese)
    if english and english != japanese:
        pair = texts.value(lambda code: japanese if code == "ja" else f"{japanese} ({english})")
    return pair


def build_consent(*, case, language, data) -> dict:
    texts = DocumentTexts(kind=DocumentKind.CONSENT, language=language)
    desk = case.handling_desk
    consortium = desk.municipality.consortium
    municipalities = (
        list(Municipality.objects.filter(consortium=consortium).order_by("code")) if consortium else [desk.municipality]
    )
    consent = Consent.objects.current().filter(client_id=case.client_id).first() if case.client_id else None
    recipients = [texts.same(m.name_ja or m.name) for m in municipalities]
    if consent is not None:
        recipients += [_organisation_name(texts, o) for o in consent.organisations.order_by("kind", "code")]
    rows = [
        *_header(texts, case, "consent.title", issued=timezone.localdate()),
        Row("para", texts.pair("consent.intro")),
        Row("para", texts.pair("consent.data")),
        Row("list", texts.pair("consent.recipients"), items=recipients),
        Row("para", texts.pair("consent.purpose")),
        Row("para", texts.pair("consent.voluntary")),
        Row("para", texts.pair("consent.withdraw")),
        Row("para", texts.pair("consent.agree")),
        Row("signature", texts.pair("common.date")),
        Row("signature", texts.pair("consent.signature")),
        *_desk_rows(texts, desk),
    ]
    return {"texts": texts, "title": texts.pair("consent.title"), "rows": rows}


BUILDERS = {"slip": build_slip, "referral": build_referral, "consent": build_consent}
