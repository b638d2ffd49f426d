"""A hand-built FY2026 dataset for the counting rules, logged through the
intake service as the desks would (so the "what was true then" snapshot is
the intake's, not a test shortcut).  The expected tables are written out in
test_counting.py."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from consult.models import Client, HandOff, Language, ResidenceStatus, Topic
from consult.services.clients import client_merge
from consult.services.intake import consultation_log
from tests.factories import ClientFactory

JST = ZoneInfo("Asia/Tokyo")


@dataclass
class Dataset:
    hub_desk: object
    ibara_desk: object
    status_then: ResidenceStatus
    status_now: ResidenceStatus
    consultations: dict


def _log(by, desk, when, language, topics, *, case=None, client=None, channel="walk_in", mode="none", outcome=""):
    return consultation_log(
        by=by,
        desk=desk,
        channel=channel,
        language=Language.objects.get(code=language),
        topics=list(Topic.objects.filter(code__in=topics)),
        intake_token=uuid.uuid4(),
        interpretation_mode=mode,
        occurred_at=datetime(*when, tzinfo=JST),
        case=case,
        client=client,
        outcome=outcome,
    )


def build(*, by, hub_desk, ibara_desk, ibara, soja) -> Dataset:
    status_then, status_now = ResidenceStatus.objects.filter(active=True).order_by("sort_order")[:2]
    p = ClientFactory(
        registered_desk=hub_desk,
        residence_municipality=ibara,
        residence_status=status_then,
        nationality="VN",
        age_band="18-29",
    )
    q = ClientFactory(registered_desk=hub_desk, lives_outside_area=True, nationality="PH", client_type="family")
    r = ClientFactory(registered_desk=ibara_desk)
    s = ClientFactory(registered_desk=ibara_desk)
    c = {}
    # c1: topic + its own sub-topic + another field's sub-topic
    c[1] = _log(
        by,
        hub_desk,
        (2026, 5, 10, 10),
        "vi",
        ["residency", "residency.extension", "medical.hospital"],
        client=p,
        mode="onsite",
        outcome="continuing",
    )
    c[2] = _log(
        by,
        hub_desk,
        (2026, 6, 2, 14),
        "ja",
        ["employment.conditions", "tax"],
        case=c[1].case,
        channel="phone",
        outcome="resolved",
    )
    # The client moves to Soja and changes status afterwards: 2026 stays Ibara / status_then.
    Client.objects.filter(pk=p.pk).update(residence_municipality=soja, residence_status=status_now, age_band="30-39")
    c[3] = _log(
        by,
        hub_desk,
        (2026, 7, 15, 9),
        "en",
        ["residency.change", "residency.permanent"],
        client=q,
        channel="phone",
        mode="phone_two_party",
        outcome="referred",
    )
    # Forwarded case: transferred from the hub to Ibara, which logs the next consultation.
    HandOff.objects.create(
        case=c[3].case,
        kind="transfer",
        status="accepted",
        from_desk=hub_desk,
        to_desk=ibara_desk,
        basis="anonymous",
        sent_by=by,
        sent_at=datetime(2026, 7, 16, 9, tzinfo=JST),
    )
    c[3].case.__class__.objects.filter(pk=c[3].case_id).update(handling_desk=ibara_desk)
    c[3].case.refresh_from_db()
    c[4] = _log(by, ibara_desk, (2026, 8, 1, 11), "vi", ["welfare"], case=c[3].case, outcome="resolved")
    # Merged client: R and S are one person; S's consultation becomes a repeat.
    c[5] = _log(by, ibara_desk, (2026, 9, 1, 10), "vi", ["municipal.registration"], client=r, outcome="resolved")
    c[6] = _log(by, ibara_desk, (2026, 10, 1, 10), "vi", ["tax.resident"], client=s)
    client_merge(keep=r, merge=s, by=by)
    # Anonymous quick contact on the last evening of the fiscal year.
    c[7] = _log(by, hub_desk, (2027, 3, 31, 23, 30), "ja-x-easy", ["childcare"], outcome="resolved")
    # The next fiscal year: never counted in FY2026.
    c[8] = _log(by, hub_desk, (2027, 4, 1, 0, 30), "vi", ["residency"], outcome="resolved")
    return Dataset(hub_desk, ibara_desk, status_then, status_now, c)


def add_bookings(*, by, data: Dataset) -> dict:
    """Three completed interpreter bookings in FY2026 through the booking
    services (request → confirm → complete), so cost and attribution are the
    services' own:

    * b1: the case of c1 (client P, who lives in Soja by then), on-site, vi,
      60 min at 50 yen → 3,000.00 yen, attributed to Soja;
    * b2: a counter booking at the hub desk (no case), phone, en,
      30 min at 40 yen → 1,200.00 yen, attributed to Kurashiki (the desk's);
    * b3: the forwarded case of c3 (client Q lives outside the consortium),
      video, vi, 21 min at 45.5 yen → 955.50 yen, "outside the consortium".
    A cancelled booking (never counted) completes the set."""
    from decimal import Decimal

    from interpreters import services
    from tests.factories import InterpreterFactory

    def at(day, hour):
        return datetime(2026, 12, day, hour, tzinfo=JST)

    def done(*, case, desk, language, modality, day, minutes, rate, languages):
        person = InterpreterFactory(languages=languages, rate_per_minute=Decimal(rate))
        booking = services.booking_request(
            desk=desk,
            case=case,
            language=Language.objects.get(code=language),
            modality=modality,
            starts_at=at(day, 10),
            ends_at=at(day, 11),
            by=by,
        )
        services.booking_confirm(booking=booking, interpreter=person, by=by)
        return services.booking_complete(booking=booking, actual_minutes=minutes, by=by)

    c = data.consultations
    b = {
        1: done(
            case=c[1].case,
            desk=data.hub_desk,
            language="vi",
            modality="onsite",
            day=9,
            minutes=60,
            rate="50",
            languages={"vi": 3},
        ),
        2: done(
            case=None,
            desk=data.hub_desk,
            language="en",
            modality="phone",
            day=10,
            minutes=30,
            rate="40",
            languages={"en": 3},
        ),
        3: done(
            case=c[3].case,
            desk=data.ibara_desk,
            language="vi",
            modality="video",
            day=11,
            minutes=21,
            rate="45.5",
            languages={"vi": 3},
        ),
    }
    cancelled = services.booking_request(
        desk=data.hub_desk,
        language=Language.objects.get(code="vi"),
        modality="video",
        starts_at=at(14, 10),
        ends_at=at(14, 11),
        by=by,
    )
    services.booking_cancel(booking=cancelled, reason="client did not need it", by=by)
    return b
