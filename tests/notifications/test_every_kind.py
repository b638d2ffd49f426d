"""Every registered kind is produced by its trigger and by nothing else: a
world holding one trigger of each kind and a near miss of each (not due
yet, answered, done, not consented, cancelled) produces exactly one set of
rows per kind, each about its own trigger — and a second tick nothing."""

import datetime as dt

import pytest

from consult.handoff_reminders import HANDOFF_ESCALATION, HANDOFF_UNANSWERED
from consult.models import FollowUp, HandOff, HandOffKind, Language
from consult.reminders import FOLLOW_UP_DUE, FOLLOW_UP_ESCALATION, STAY_EXPIRY
from consult.services import handoffs as handoff_services
from interpreters import services as booking_services
from interpreters.reminders import BOOKING_DAY_BEFORE, BOOKING_UNCONFIRMED
from notifications.models import Notification
from notifications.producers import run_producers
from notifications.registry import kinds
from tests.factories import CaseFactory, ClientFactory, InterpreterFactory, make_case
from tests.notifications.conftest import FollowUpFactory, tokyo

pytestmark = pytest.mark.django_db

NOW = tokyo(2027, 5, 10, 9, 0)  # Monday after Golden Week

ALL_KINDS = {
    FOLLOW_UP_DUE,
    FOLLOW_UP_ESCALATION,
    STAY_EXPIRY,
    HANDOFF_UNANSWERED,
    HANDOFF_ESCALATION,
    BOOKING_DAY_BEFORE,
    BOOKING_UNCONFIRMED,
}


def test_the_registry_holds_exactly_the_known_kinds():
    """A new kind must be added here, with its trigger below."""
    assert {kind.key for kind in kinds.all() if not kind.key.startswith("test.")} == ALL_KINDS


def _follow_ups(desk, staff):
    due = FollowUpFactory(case=CaseFactory(handling_desk=desk, assignee=staff, created_by=staff), assignee=staff,
                          due_date=dt.date(2027, 5, 10))  # fmt: skip
    overdue = FollowUpFactory(case=CaseFactory(handling_desk=desk, assignee=staff, created_by=staff), assignee=staff,
                              due_date=dt.date(2027, 5, 6))  # fmt: skip  # 5/7, 5/10: 2 business days
    # Near misses: due tomorrow; overdue but done.
    FollowUpFactory(case=CaseFactory(handling_desk=desk, assignee=staff, created_by=staff), assignee=staff,
                    due_date=dt.date(2027, 5, 11))  # fmt: skip
    FollowUpFactory(case=CaseFactory(handling_desk=desk, assignee=staff, created_by=staff), assignee=staff,
                    due_date=dt.date(2027, 4, 1), status=FollowUp.Status.DONE)  # fmt: skip
    return due, overdue


def _stay(desk, staff):
    ja = Language.objects.get(code="ja")
    consenting = ClientFactory(registered_desk=desk, period_of_stay_expiry=dt.date(2027, 7, 1))
    silent = ClientFactory(registered_desk=desk, period_of_stay_expiry=dt.date(2027, 7, 1))  # no contact scope
    far = ClientFactory(registered_desk=desk, period_of_stay_expiry=dt.date(2027, 12, 1))  # beyond 3 months
    cases = {}
    for person in (consenting, silent, far):
        cases[person.pk] = CaseFactory(handling_desk=desk, client=person, assignee=staff, created_by=staff)
    handoff_services.consent_record(client=consenting, by=staff, explanation_language=ja, contact_by_desk=True)
    handoff_services.consent_record(client=far, by=staff, explanation_language=ja, contact_by_desk=True)
    handoff_services.consent_record(
        client=silent, by=staff, explanation_language=ja, municipalities=[desk.municipality]
    )
    return cases[consenting.pk]


def _handoffs(ibara_desk, ibara_clerk, hub_desk, hub_staff):
    def send(sent_at):
        case = make_case(ibara_desk, ibara_clerk)
        handoff = handoff_services.handoff_send(
            case=case, by=ibara_clerk, kind=HandOffKind.REFERRAL, to_desk=hub_desk, mode="anonymous"
        )
        HandOff.objects.filter(pk=handoff.pk).update(sent_at=sent_at)
        return HandOff.objects.get(pk=handoff.pk)

    waiting = send(tokyo(2027, 5, 6, 10))  # 5/7, 5/10: 2 business days
    escalated = send(tokyo(2027, 4, 28, 10))  # 4/30, 5/6, 5/7, 5/10: 4
    send(tokyo(2027, 5, 7, 10))  # near miss: 1 business day
    answered = send(tokyo(2027, 4, 20, 10))
    handoff_services.handoff_accept(handoff=answered, by=hub_staff)
    return waiting, escalated


def _bookings(hub_desk, hub_staff):
    vi = Language.objects.get(code="vi")
    interpreter = InterpreterFactory(languages={"vi": 3}, email="interp@example.invalid")
    case = CaseFactory(handling_desk=hub_desk, assignee=hub_staff, created_by=hub_staff)

    def book(starts, confirm):
        booking = booking_services.booking_request(
            desk=hub_desk, case=case, language=vi, modality="video", by=hub_staff,
            starts_at=starts, ends_at=starts + dt.timedelta(hours=1),
        )  # fmt: skip
        if confirm:
            booking = booking_services.booking_confirm(booking=booking, interpreter=interpreter, by=hub_staff)
        return booking

    tomorrow = book(tokyo(2027, 5, 11, 10), confirm=True)
    unconfirmed = book(tokyo(2027, 5, 11, 8, 30), confirm=False)  # 23.5 h away
    book(tokyo(2027, 5, 12, 10), confirm=True)  # near miss: two business days away
    book(tokyo(2027, 5, 11, 10, 30), confirm=False)  # near miss: 25.5 h away
    return tomorrow, unconfirmed


def test_each_kind_comes_from_its_trigger_and_from_nothing_else(
    hub_desk, hub_staff, coordinator, ibara_desk, ibara_clerk
):
    due, overdue = _follow_ups(hub_desk, hub_staff)
    stay_case = _stay(hub_desk, hub_staff)
    waiting, escalated = _handoffs(ibara_desk, ibara_clerk, hub_desk, hub_staff)
    tomorrow, unconfirmed = _bookings(hub_desk, hub_staff)

    run_producers(now=NOW)
    about = {}
    for row in Notification.objects.all():
        about.setdefault(row.kind, set()).add(row.subject_object)
    assert about == {
        FOLLOW_UP_DUE: {due, overdue},  # due today, and overdue
        FOLLOW_UP_ESCALATION: {overdue},
        STAY_EXPIRY: {stay_case},
        HANDOFF_UNANSWERED: {waiting, escalated},
        HANDOFF_ESCALATION: {escalated},
        BOOKING_DAY_BEFORE: {tomorrow},
        BOOKING_UNCONFIRMED: {unconfirmed},
    }
    count = Notification.objects.count()
    assert run_producers(now=NOW + dt.timedelta(minutes=1)) == 0  # the next tick: nothing new
    assert Notification.objects.count() == count
