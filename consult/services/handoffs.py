"""Writes for consent (同意) and hand-offs (取次) — DESIGN §4.

Every function checks who may do it, writes inside one transaction, locks
the row it changes and re-checks its state *after* the lock (two clerks
pressing 受諾 at the same moment: the second one waits for the first, then
sees that the hand-off is no longer pending and gets HandOffStateError with
a message saying who answered first), and records the audit trail on both
sides (an event for the sending desk and one for the receiving desk).

The consent gate (`consent_gate`) decides on what basis personal data may
cross to another municipality or organisation: the client's consent in
force that covers the destination; or nothing personal at all (anonymous
case, or the sender chose to send anonymously); or an override with a
written legal basis by someone whose role allows it.  Otherwise it refuses
with a message that says what is missing and how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.audit import audit_log
from municipalities.models import Desk
from municipalities.roles import Capability
from municipalities.visibility import user_can

from ..models import Case, Client, Consent, ConsentBasis, HandOff, HandOffKind, HandOffStatus, Language, Organisation
from ..models.handoffs import OPEN_STATUSES
from ..selectors.handoffs import acts_for, consent_current


class HandOffStateError(Exception):
    """The hand-off is no longer in the state the action needs (someone else
    answered first, or the sender cancelled).  `str()` is the message to show."""


class ConsentMissing(ValidationError):
    """The consent gate refused: the message says what is missing and how to fix it."""


# --- consent -------------------------------------------------------------------
def _require_client_write(user, client: Client) -> None:
    if not user_can(user, Capability.LOG_CONSULTATIONS, desk=client.registered_desk):
        raise PermissionDenied


def consent_record(
    *,
    client: Client,
    by,
    explanation_language: Language,
    given_on: date | None = None,
    municipalities=(),
    organisations=(),
    organisation_kinds: list[str] | tuple = (),
    interpretation_mode: str = "none",
    note: str = "",
    contact_by_desk: bool = False,
) -> Consent:
    """Record a new consent.  The current one (in force or withdrawn) is
    superseded, never changed: the history stays as it was."""
    _require_client_write(by, client)
    municipalities, organisations = list(municipalities), list(organisations)
    if not (municipalities or organisations or organisation_kinds or contact_by_desk):
        raise ValidationError(_("Choose at least one municipality or organisation that the consent covers."))
    given_on = given_on or timezone.localdate()
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("The date of consent cannot be in the future.")})
    now = timezone.now()
    with transaction.atomic():
        # Serialise consent changes of one client (the partial unique index
        # would refuse the second anyway; the lock makes it wait instead).
        Client.objects.select_for_update().filter(pk=client.pk).first()
        previous = Consent.objects.current().filter(client=client).first()
        if previous is not None:
            Consent.objects.filter(pk=previous.pk).update(superseded_at=now)
        consent = Consent.objects.create(
            client=client,
            given_on=given_on,
            explanation_language=explanation_language,
            interpretation_mode=interpretation_mode,
            organisation_kinds=sorted(set(organisation_kinds)),
            contact_by_desk=contact_by_desk,
            note=note,
            recorded_by=by,
            recorded_at=now,
        )
        consent.municipalities.set(municipalities)
        consent.organisations.set(organisations)
        audit_log(
            actor=by,
            action="create",
            obj=consent,
            desk=client.registered_desk,
            summary="consent recorded" + (f", supersedes {previous.pk}" if previous else ""),
            changes={
                "client": client.pk,
                "municipalities": sorted(m.pk for m in municipalities),
                "organisations": sorted(o.pk for o in organisations),
                "organisation_kinds": sorted(set(organisation_kinds)),
                "contact_by_desk": contact_by_desk,
                "given_on": given_on.isoformat(),
                "explanation_language": explanation_language.code,
                "interpretation_mode": interpretation_mode,
            },
        )
    return consent


def consent_withdraw(*, client: Client, by, withdrawn_on: date | None = None) -> Consent:
    """The client withdraws consent: nothing more is shared (the gate finds
    no consent in force), and every open hand-off of the client's cases
    that relied on it stops carrying personal data — both sides see it."""
    _require_client_write(by, client)
    withdrawn_on = withdrawn_on or timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        Client.objects.select_for_update().filter(pk=client.pk).first()
        consent = Consent.objects.in_force().filter(client=client).first()
        if consent is None:
            raise ValidationError(_("This client has no consent in force to withdraw."))
        if withdrawn_on < consent.given_on:
            raise ValidationError({"withdrawn_on": _("The withdrawal cannot be dated before the consent.")})
        Consent.objects.filter(pk=consent.pk).update(withdrawn_on=withdrawn_on, withdrawn_by=by)
        stopped = list(
            HandOff.objects.select_for_update()
            .filter(case__client=client, status__in=OPEN_STATUSES, personal_data_stopped_at__isnull=True)
            .exclude(basis__in=[ConsentBasis.ANONYMOUS, ConsentBasis.NOT_NEEDED, ConsentBasis.SAME_MUNICIPALITY])
            .select_related("case")
        )
        HandOff.objects.filter(pk__in=[h.pk for h in stopped]).update(personal_data_stopped_at=now)
        audit_log(
            actor=by,
            action="update",
            obj=consent,
            desk=client.registered_desk,
            summary="consent withdrawn",
            changes={"withdrawn_on": withdrawn_on.isoformat(), "handoffs_stopped": [h.pk for h in stopped]},
        )
        for handoff in stopped:
            _audit_both_sides(handoff, by=by, action="update", summary="consent withdrawn")
    consent.refresh_from_db()
    return consent


# --- the consent gate ------------------------------------------------------------
SEND_MODES = ("consent", "anonymous", "override")


@dataclass(frozen=True)
class GateDecision:
    basis: str
    consent: Consent | None = None


def _destination_label(to_desk: Desk | None, to_organisation: Organisation | None) -> str:
    if to_desk is not None:
        return str(to_desk.municipality)
    return str(to_organisation)


def consent_gate(
    *,
    case: Case,
    by,
    to_desk: Desk | None = None,
    to_organisation: Organisation | None = None,
    mode: str = "consent",
    override_basis: str = "",
    carries_personal_data: bool = True,
) -> GateDecision:
    """On what basis may this case's data go to the destination?  Raises
    ConsentMissing (with what is missing and how to fix it) or
    PermissionDenied (override without the capability)."""
    if mode not in SEND_MODES:
        raise ValidationError(_("Unknown way of sending."))
    if case.client_id is None:
        return GateDecision(ConsentBasis.NOT_NEEDED)  # an anonymous case has no personal data to protect
    if to_desk is not None and to_desk.municipality_id == case.handling_desk.municipality_id:
        return GateDecision(ConsentBasis.SAME_MUNICIPALITY)  # within one municipality: no provision to a third party
    if mode == "anonymous" or not carries_personal_data:
        return GateDecision(ConsentBasis.ANONYMOUS)
    consent = consent_current(case.client)
    if _covers(consent, to_desk=to_desk, to_organisation=to_organisation):
        return GateDecision(ConsentBasis.CONSENT, consent)
    if mode == "override":
        if not user_can(by, Capability.OVERRIDE_CONSENT, desk=case.handling_desk):
            raise PermissionDenied
        if not override_basis.strip():
            raise ValidationError(
                {"override_basis": _("Write the legal basis for providing the data without consent.")}
            )
        return GateDecision(ConsentBasis.OVERRIDE, consent if consent is not None and consent.in_force else None)
    raise ConsentMissing(_refusal(consent, _destination_label(to_desk, to_organisation)))


def _covers(consent: Consent | None, *, to_desk: Desk | None, to_organisation: Organisation | None) -> bool:
    """Does this consent, in force, cover the destination?"""
    if consent is None or not consent.in_force:
        return False
    if to_desk is not None:
        return any(m.pk == to_desk.municipality_id for m in consent.municipalities.all())
    return to_organisation.kind in consent.organisation_kinds or any(
        o.pk == to_organisation.pk for o in consent.organisations.all()
    )


def _refusal(consent: Consent | None, destination: str) -> str:
    """What is missing, and the three ways to fix it."""
    if consent is None:
        missing = _("The client has not given consent to provide personal data.")
    elif not consent.in_force:
        missing = _("The client withdrew consent on %(date)s.") % {"date": date_format(consent.withdrawn_on)}
    else:
        missing = _("The client's consent does not cover %(destination)s.") % {"destination": destination}
    fix = _(
        "Record a consent that covers %(destination)s on the client page, send the hand-off anonymously "
        "(no name, contact or notes), or ask a coordinator to send it under an override with the legal basis."
    ) % {"destination": destination}
    return f"{missing} {fix}"


# --- hand-offs -------------------------------------------------------------------
def _audit_both_sides(handoff: HandOff, *, by, action: str, summary: str, changes=None) -> None:
    """One event per step, on the case (whose timeline both desks see) and
    for the hand-off (whose page both desks see); `desk` is the side that
    acted, so each desk's trail shows what it did."""
    acting_desk_id = handoff.from_desk_id
    if handoff.to_desk_id and acts_for(by, handoff.to_desk_id) and not acts_for(by, handoff.from_desk_id):
        acting_desk_id = handoff.to_desk_id
    audit_log(
        actor=by,
        action=action,
        obj=handoff,
        case=handoff.case,
        desk=Desk(pk=acting_desk_id),
        summary=summary,
        changes=changes,
    )


def _check_destination(*, kind: str, desk: Desk, to_desk: Desk | None, to_organisation: Organisation | None) -> None:
    if kind not in HandOffKind.values:
        raise ValidationError(_("Choose the kind of hand-off."))
    if kind == HandOffKind.EXTERNAL:
        if to_organisation is None or to_desk is not None:
            raise ValidationError({"to_organisation": _("Choose the organisation.")})
        return
    if to_desk is None or to_organisation is not None:
        raise ValidationError({"to_desk": _("Choose the desk.")})
    if to_desk.pk == desk.pk:
        raise ValidationError({"to_desk": _("The case is already handled by this desk.")})
    if not to_desk.active or to_desk.municipality.consortium_id != desk.municipality.consortium_id:
        raise ValidationError({"to_desk": _("Choose a desk of the consortium.")})


def handoff_send(
    *,
    case: Case,
    by,
    kind: str,
    to_desk: Desk | None = None,
    to_organisation: Organisation | None = None,
    shares_client: bool = False,
    shares_notes: bool = False,
    shares_sensitive: bool = False,
    message: str = "",
    mode: str = "consent",
    override_basis: str = "",
) -> HandOff:
    """Forward `case` (referral, transfer or external referral), gated by consent."""
    desk = case.handling_desk
    if not acts_for(by, desk.pk):
        raise PermissionDenied
    _check_destination(kind=kind, desk=desk, to_desk=to_desk, to_organisation=to_organisation)
    if shares_sensitive and not user_can(by, Capability.VIEW_SENSITIVE_NOTES, desk=desk):
        raise PermissionDenied
    if kind == HandOffKind.TRANSFER:
        if mode == "anonymous":
            raise ValidationError(_("A transfer hands over the whole case; it cannot be sent anonymously."))
        # Ownership moves: the receiver will hold the whole case.
        shares_client, shares_notes, shares_sensitive = True, True, bool(case.sensitive_notes)
    decision = consent_gate(
        case=case,
        by=by,
        to_desk=to_desk,
        to_organisation=to_organisation,
        mode=mode,
        override_basis=override_basis,
        carries_personal_data=shares_client or shares_notes or shares_sensitive,
    )
    if decision.basis == ConsentBasis.ANONYMOUS:
        shares_client = shares_notes = shares_sensitive = False
    shares_client = shares_client and case.client_id is not None
    try:
        with transaction.atomic():
            handoff = HandOff.objects.create(
                case=case,
                kind=kind,
                from_desk=desk,
                to_desk=to_desk,
                to_organisation=to_organisation,
                message=message,
                shares_client=shares_client,
                shares_notes=shares_notes,
                shares_sensitive=shares_sensitive,
                basis=decision.basis,
                consent=decision.consent,
                override_basis=override_basis.strip() if decision.basis == ConsentBasis.OVERRIDE else "",
                sent_by=by,
            )
            Case.objects.filter(pk=case.pk).update(last_activity_at=timezone.now(), version=F("version") + 1)
            _audit_both_sides(
                handoff,
                by=by,
                action="forward",
                summary=f"{kind} sent ({decision.basis})",
                changes={
                    "to_desk": to_desk.pk if to_desk else None,
                    "to_organisation": to_organisation.pk if to_organisation else None,
                    "shares": [
                        n
                        for n, v in (
                            ("client", shares_client),
                            ("notes", shares_notes),
                            ("sensitive", shares_sensitive),
                        )
                        if v
                    ],
                    "basis": decision.basis,
                    "override": decision.basis == ConsentBasis.OVERRIDE,
                },
            )
    except IntegrityError:
        raise ValidationError(_("This case already has a pending hand-off to that desk.")) from None
    return handoff


def _state_error(handoff: HandOff) -> HandOffStateError:
    who = str(handoff.answered_by) if handoff.answered_by_id else ""
    when = date_format(timezone.localtime(handoff.answered_at), "DATETIME_FORMAT") if handoff.answered_at else ""
    messages = {
        HandOffStatus.ACCEPTED: _("This hand-off was already accepted by %(who)s at %(when)s."),
        HandOffStatus.DECLINED: _("This hand-off was already declined by %(who)s at %(when)s."),
        HandOffStatus.CANCELLED: _("The sender cancelled this hand-off at %(when)s."),
        HandOffStatus.COMPLETED: _("This hand-off is already completed."),
        HandOffStatus.PENDING: _("This hand-off has not been accepted yet."),
    }
    return HandOffStateError(messages[handoff.status] % {"who": who, "when": when})


def _lock(handoff: HandOff, *, expected: tuple[str, ...]) -> HandOff:
    """Lock the row, re-read it, and check that it is still in an expected state."""
    locked = HandOff.objects.select_for_update(of=("self",)).select_related("case").get(pk=handoff.pk)
    if locked.status not in expected:
        raise _state_error(HandOff.objects.select_related("answered_by").get(pk=locked.pk))
    return locked


def _answering_desk_id(handoff: HandOff) -> int:
    """Who answers: the receiving desk; for an outside organisation (no
    staff in Madoguchi) the sending desk records the organisation's answer."""
    return handoff.from_desk_id if handoff.kind == HandOffKind.EXTERNAL else handoff.to_desk_id


def handoff_accept(*, handoff: HandOff, by) -> HandOff:
    if not acts_for(by, _answering_desk_id(handoff)):
        raise PermissionDenied
    with transaction.atomic():
        locked = _lock(handoff, expected=(HandOffStatus.PENDING,))
        now = timezone.now()
        locked.status, locked.answered_by, locked.answered_at = HandOffStatus.ACCEPTED, by, now
        locked.save(update_fields=["status", "answered_by", "answered_at"])
        case_updates = {"last_activity_at": now, "version": F("version") + 1}
        if locked.kind == HandOffKind.TRANSFER:
            case_updates.update(handling_desk_id=locked.to_desk_id, assignee_id=by.pk)
        Case.objects.filter(pk=locked.case_id).update(**case_updates)
        _audit_both_sides(
            locked,
            by=by,
            action="update",
            summary=f"{locked.kind} accepted",
            changes={"status": [HandOffStatus.PENDING, HandOffStatus.ACCEPTED]}
            | (
                {"handling_desk": [locked.from_desk_id, locked.to_desk_id]}
                if locked.kind == HandOffKind.TRANSFER
                else {}
            ),
        )
    return locked


def handoff_decline(*, handoff: HandOff, by, reason: str) -> HandOff:
    if not acts_for(by, _answering_desk_id(handoff)):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the hand-off is declined.")})
    with transaction.atomic():
        locked = _lock(handoff, expected=(HandOffStatus.PENDING,))
        locked.status, locked.answered_by, locked.answered_at = HandOffStatus.DECLINED, by, timezone.now()
        locked.decline_reason = reason.strip()
        locked.save(update_fields=["status", "answered_by", "answered_at", "decline_reason"])
        Case.objects.filter(pk=locked.case_id).update(last_activity_at=timezone.now())
        _audit_both_sides(
            locked,
            by=by,
            action="update",
            summary=f"{locked.kind} declined",
            changes={"status": [HandOffStatus.PENDING, HandOffStatus.DECLINED]},
        )
    return locked


def handoff_cancel(*, handoff: HandOff, by) -> HandOff:
    """The sender takes a pending hand-off back."""
    if not acts_for(by, handoff.from_desk_id):
        raise PermissionDenied
    with transaction.atomic():
        locked = _lock(handoff, expected=(HandOffStatus.PENDING,))
        locked.status, locked.answered_at = HandOffStatus.CANCELLED, timezone.now()
        locked.save(update_fields=["status", "answered_at"])
        _audit_both_sides(
            locked,
            by=by,
            action="update",
            summary=f"{locked.kind} cancelled",
            changes={"status": [HandOffStatus.PENDING, HandOffStatus.CANCELLED]},
        )
    return locked


def handoff_complete(*, handoff: HandOff, by) -> HandOff:
    """The receiver (for an organisation: the sender) marks the work done."""
    if not acts_for(by, _answering_desk_id(handoff)):
        raise PermissionDenied
    with transaction.atomic():
        locked = _lock(handoff, expected=(HandOffStatus.ACCEPTED,))
        locked.status, locked.completed_at = HandOffStatus.COMPLETED, timezone.now()
        locked.save(update_fields=["status", "completed_at"])
        _audit_both_sides(
            locked,
            by=by,
            action="update",
            summary=f"{locked.kind} completed",
            changes={"status": [HandOffStatus.ACCEPTED, HandOffStatus.COMPLETED]},
        )
    return locked


# --- editing a client ------------------------------------------------------------
class ClientEditConflict(Exception):
    """Somebody saved the client after this editor loaded it."""

    def __init__(self, client: Client):
        super().__init__(f"client {client.pk} changed since it was loaded")
        self.client = client


CLIENT_EDITABLE = (
    "name",
    "name_kana",
    "name_latin",
    "birth_year",
    "nationality",
    "preferred_language",
    "residence_status",
    "period_of_stay_expiry",
    "residence_municipality",
    "lives_outside_area",
    "residence_note",
    "age_band",
    "gender",
    "client_type",
    "phone",
    "email",
)


def client_update(*, client: Client, by, loaded_at, changes: dict) -> Client:
    """Save `changes` only if nobody saved the client since `loaded_at`
    (its `updated_at` when the form was loaded): optimistic locking, as on
    the case page — a second editor gets ClientEditConflict and nothing is
    silently overwritten.  The trail names the fields changed, never the
    values (they are personal data)."""
    _require_client_write(by, client)
    unknown = set(changes) - set(CLIENT_EDITABLE)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    with transaction.atomic():
        locked = Client.objects.select_for_update().get(pk=client.pk)
        if locked.updated_at != loaded_at:
            raise ClientEditConflict(locked)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.full_clean(exclude=["registered_desk", "merged_into"], validate_constraints=False)
        locked.save()
        audit_log(
            actor=by,
            action="update",
            obj=locked,
            desk=locked.registered_desk,
            changes={name: ["…", "…"] for name in sorted(changes)},
        )
    return locked
