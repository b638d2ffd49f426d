"""Demo consents and hand-offs (synthetic): consents covering only the hub
(partial), the hub and a neighbour, kinds of outside organisation, one
withdrawn; hand-offs in every state between several municipalities and to
outside organisations — pending (one overdue), accepted, declined with a
reason, cancelled, completed, an external referral, an anonymous one and an
override by the coordinator.

Runs through the services, so the audit trail and timelines are what the
product would have written.  Idempotent: a second run adds nothing (the
demo hand-offs carry DEMO_MARK in their message)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from consult.models import Case, Client, Consent, HandOff, HandOffKind, Language, Organisation
from consult.services import handoffs as svc
from municipalities.models import Desk, Municipality

DEMO_MARK = "（デモ）"


@dataclass
class HandOffSeedResult:
    consents: int = 0
    handoffs: int = 0
    skipped: bool = False


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _case_with_client(desk: Desk, exclude: set[int]) -> Case | None:
    return (
        Case.objects.filter(handling_desk=desk, client__isnull=False, client__merged_into__isnull=True)
        .exclude(pk__in=exclude)
        .exclude(client__consents__isnull=False)
        .order_by("-opened_at", "pk")
        .first()
    )


def _anonymous_case(desk: Desk, exclude: set[int]) -> Case | None:
    return Case.objects.filter(handling_desk=desk, client__isnull=True).exclude(pk__in=exclude).order_by("pk").first()


def _age(handoff: HandOff, days: int) -> None:
    """Make a demo hand-off look `days` calendar days old (its steps too)."""
    HandOff.objects.filter(pk=handoff.pk).update(sent_at=timezone.now() - timedelta(days=days))


def seed_demo_handoffs(*, consortium) -> HandOffSeedResult:
    result = HandOffSeedResult()
    if HandOff.objects.filter(message__endswith=DEMO_MARK).exists():
        result.skipped = True
        return result
    hub = consortium.hub_municipality
    partners = list(Municipality.objects.filter(consortium=consortium).exclude(pk=hub.pk).order_by("code"))
    hub_desk = Desk.objects.filter(municipality=hub, is_hub=True).first()
    staff, coordinator = _user(f"staff-{hub.code}"), _user(f"coordinator-{hub.code}")
    if hub_desk is None or staff is None or coordinator is None or len(partners) < 3:
        return result
    ja = Language.objects.get(code="ja")
    employment = Organisation.objects.filter(kind=Organisation.Kind.EMPLOYMENT, active=True).first()
    immigration = Organisation.objects.filter(kind=Organisation.Kind.IMMIGRATION, active=True).first()
    used: set[int] = set()

    def clerk_case(municipality: Municipality, *, anonymous: bool = False):
        clerk = _user(f"clerk-{municipality.code}")
        desk = Desk.objects.filter(municipality=municipality, active=True).order_by("code").first()
        if clerk is None or desk is None:
            return None, None
        case = _anonymous_case(desk, used) if anonymous else _case_with_client(desk, used)
        if case is None:
            return None, None
        used.add(case.pk)
        return clerk, case

    def consent(client: Client, by, municipalities, **kwargs) -> Consent:
        result.consents += 1
        return svc.consent_record(
            client=client,
            by=by,
            explanation_language=client.preferred_language or ja,
            municipalities=municipalities,
            interpretation_mode=kwargs.pop("interpretation_mode", "tablet_video"),
            # The demo clients also agree to be contacted by the desk, so the
            # period-of-stay reminder (issue 10) has someone to remind about.
            contact_by_desk=kwargs.pop("contact_by_desk", True),
            **kwargs,
        )

    def send(case, by, **kwargs) -> HandOff:
        result.handoffs += 1
        kwargs["message"] = f"{kwargs.get('message', '')}{DEMO_MARK}"
        return svc.handoff_send(case=case, by=by, **kwargs)

    with transaction.atomic():
        a, b, c = partners[0], partners[1], partners[2]
        # 1. pending referral to the hub (partial consent: the hub only), fresh
        clerk, case = clerk_case(a)
        if case:
            consent(case.client, clerk, [hub])
            send(
                case,
                clerk,
                kind=HandOffKind.REFERRAL,
                to_desk=hub_desk,
                shares_client=True,
                shares_notes=True,
                message="在留期間更新の書類について中核窓口での相談を希望",
            )
        # 2. pending and overdue (sent a week ago)
        clerk, case = clerk_case(b)
        if case:
            consent(case.client, clerk, [hub, a])
            _age(
                send(
                    case,
                    clerk,
                    kind=HandOffKind.REFERRAL,
                    to_desk=hub_desk,
                    shares_client=True,
                    message="労働条件の相談。通訳が必要",
                ),
                7,
            )
        # 3. accepted referral with notes, and the hub added a consultation later (by staff)
        clerk, case = clerk_case(c)
        if case:
            consent(case.client, clerk, [hub])
            handoff = send(
                case,
                clerk,
                kind=HandOffKind.REFERRAL,
                to_desk=hub_desk,
                shares_client=True,
                shares_notes=True,
                message="医療通訳の手配をお願いします",
            )
            _age(handoff, 3)
            svc.handoff_accept(handoff=handoff, by=staff)
        # 4. declined (reason) — the neighbour's desk is covered by consent
        clerk, case = clerk_case(a)
        if case:
            consent(case.client, clerk, [hub, b])
            handoff = send(
                case,
                clerk,
                kind=HandOffKind.REFERRAL,
                to_desk=Desk.objects.filter(municipality=b).first(),
                shares_client=True,
            )
            svc.handoff_decline(
                handoff=handoff, by=_user(f"clerk-{b.code}"), reason="居住地の窓口で対応済みのため（デモ）"
            )
        # 5. cancelled by the sender
        clerk, case = clerk_case(b)
        if case:
            consent(case.client, clerk, [hub])
            handoff = send(case, clerk, kind=HandOffKind.TRANSFER, to_desk=hub_desk)
            svc.handoff_cancel(handoff=handoff, by=clerk)
        # 6. completed transfer: hub → a partner
        case = _case_with_client(hub_desk, used)
        if case:
            used.add(case.pk)
            consent(case.client, staff, [a])
            handoff = send(
                case,
                staff,
                kind=HandOffKind.TRANSFER,
                to_desk=Desk.objects.filter(municipality=a).first(),
                message="転居のため引継ぎ",
            )
            _age(handoff, 10)
            svc.handoff_accept(handoff=handoff, by=_user(f"clerk-{a.code}"))
            svc.handoff_complete(handoff=handoff, by=_user(f"clerk-{a.code}"))
        # 7. external referral to ハローワーク, covered by a kind of organisation
        case = _case_with_client(hub_desk, used)
        if case and employment:
            used.add(case.pk)
            consent(case.client, staff, [], organisation_kinds=[Organisation.Kind.EMPLOYMENT])
            handoff = send(case, staff, kind=HandOffKind.EXTERNAL, to_organisation=employment, shares_client=True)
            svc.handoff_accept(handoff=handoff, by=staff)
        # 8. anonymous referral (no consent needed for an anonymous case)
        clerk, case = clerk_case(c, anonymous=True)
        if case:
            send(
                case,
                clerk,
                kind=HandOffKind.REFERRAL,
                to_desk=hub_desk,
                shares_notes=True,
                message="匿名の簡易相談。中核窓口の助言がほしい",
            )
        # 9. override with a legal basis by the coordinator, to 入管
        case = _case_with_client(hub_desk, used)
        if case and immigration:
            used.add(case.pk)
            send(
                case,
                coordinator,
                kind=HandOffKind.EXTERNAL,
                to_organisation=immigration,
                shares_client=True,
                mode="override",
                override_basis="出入国管理及び難民認定法に基づく照会への回答（デモ）",
            )
        # 10. consent withdrawn after an accepted referral: the hub sees the withdrawal
        clerk, case = clerk_case(a)
        if case:
            consent(case.client, clerk, [hub])
            handoff = send(
                case, clerk, kind=HandOffKind.REFERRAL, to_desk=hub_desk, shares_client=True, shares_notes=True
            )
            svc.handoff_accept(handoff=handoff, by=staff)
            svc.consent_withdraw(client=case.client, by=clerk)
    return result
