"""Each consult kind is produced by its trigger and by nothing else, in
business days (Golden Week, the year-end closure)."""

import datetime as dt

import pytest

from consult.models import Client, FollowUp
from consult.reminders import FOLLOW_UP_DUE, FOLLOW_UP_ESCALATION, STAY_EXPIRY, clients_who_consented_to_contact
from notifications.models import Notification
from notifications.producers import run_producers
from tests.factories import CaseFactory, ClientFactory, UserFactory
from tests.notifications.conftest import tokyo

pytestmark = pytest.mark.django_db


def _rows(kind=None):
    rows = Notification.objects.all()
    return list(rows.filter(kind=kind) if kind else rows)


def test_a_follow_up_due_today_reminds_its_assignee_once(hub_staff, follow_up_for):
    follow_up = follow_up_for(hub_staff, due_date=dt.date(2027, 5, 6))
    assert run_producers(now=tokyo(2027, 5, 5, 23, 59)) == 0  # the day before: nothing
    assert run_producers(now=tokyo(2027, 5, 6, 0, 1)) == 1
    assert run_producers(now=tokyo(2027, 5, 6, 9, 0)) == 0  # every tick after: nothing new
    (row,) = _rows()
    assert (row.kind, row.recipient_id, row.subject_object) == (FOLLOW_UP_DUE, hub_staff.pk, follow_up)
    assert row.desk_id == follow_up.case.handling_desk_id


def test_an_overdue_follow_up_is_reminded_once_and_a_new_due_date_is_a_new_occurrence(hub_staff, follow_up_for):
    follow_up = follow_up_for(hub_staff, due_date=dt.date(2027, 5, 6))
    run_producers(now=tokyo(2027, 5, 7, 10), only=[FOLLOW_UP_DUE])
    run_producers(now=tokyo(2027, 5, 10, 10), only=[FOLLOW_UP_DUE])
    assert len(_rows(FOLLOW_UP_DUE)) == 1
    FollowUp.objects.filter(pk=follow_up.pk).update(due_date=dt.date(2027, 5, 12))
    run_producers(now=tokyo(2027, 5, 12, 10), only=[FOLLOW_UP_DUE])
    assert len(_rows(FOLLOW_UP_DUE)) == 2


def test_done_cancelled_or_unassigned_follow_ups_remind_nobody(hub_staff, follow_up_for):
    follow_up_for(hub_staff, due_date=dt.date(2027, 5, 6), status=FollowUp.Status.DONE)
    follow_up_for(hub_staff, due_date=dt.date(2027, 5, 6), status=FollowUp.Status.CANCELLED)
    unassigned = follow_up_for(hub_staff, due_date=dt.date(2027, 5, 6))
    FollowUp.objects.filter(pk=unassigned.pk).update(assignee=None)
    assert run_producers(now=tokyo(2027, 5, 20, 10)) == 0


@pytest.mark.parametrize(
    ("due", "not_yet", "escalated"),
    [
        # Due Wed 4/28; business days after it: Fri 4/30 (1), Thu 5/6 (2) — Golden Week between.
        (dt.date(2027, 4, 28), tokyo(2027, 5, 5, 23), tokyo(2027, 5, 6, 0, 5)),
        # Due Fri 12/25; Mon 12/28 (1), Mon 1/4 (2) — the year-end closure between.
        (dt.date(2026, 12, 25), tokyo(2027, 1, 3, 12), tokyo(2027, 1, 4, 8)),
    ],
)
def test_overdue_by_two_business_days_escalates_to_the_desks_coordinator(
    hub_staff, coordinator, follow_up_for, due, not_yet, escalated
):
    follow_up = follow_up_for(hub_staff, due_date=due)
    run_producers(now=not_yet, only=[FOLLOW_UP_ESCALATION])
    assert _rows(FOLLOW_UP_ESCALATION) == []
    run_producers(now=escalated, only=[FOLLOW_UP_ESCALATION])
    run_producers(now=escalated + dt.timedelta(days=3), only=[FOLLOW_UP_ESCALATION])
    (row,) = _rows(FOLLOW_UP_ESCALATION)
    assert (row.recipient_id, row.subject_object) == (coordinator.pk, follow_up)


def test_escalation_goes_to_the_hub_coordinator_for_a_partner_desk(coordinator, ibara_clerk, ibara):
    from tests.notifications.conftest import FollowUpFactory

    case = CaseFactory(handling_desk=ibara.desks.first(), assignee=ibara_clerk, created_by=ibara_clerk)
    FollowUpFactory(case=case, assignee=ibara_clerk, due_date=dt.date(2027, 5, 6))
    run_producers(now=tokyo(2027, 5, 10, 10), only=[FOLLOW_UP_ESCALATION])
    assert [r.recipient_id for r in _rows(FOLLOW_UP_ESCALATION)] == [coordinator.pk]


def test_the_escalation_threshold_is_a_setting(hub_staff, coordinator, follow_up_for, settings):
    settings.FOLLOW_UP_ESCALATION_BUSINESS_DAYS = 5
    follow_up_for(hub_staff, due_date=dt.date(2027, 5, 6))
    run_producers(now=tokyo(2027, 5, 12, 10), only=[FOLLOW_UP_ESCALATION])  # 4 business days
    assert _rows(FOLLOW_UP_ESCALATION) == []
    run_producers(now=tokyo(2027, 5, 13, 10), only=[FOLLOW_UP_ESCALATION])  # 5
    assert len(_rows(FOLLOW_UP_ESCALATION)) == 1


@pytest.fixture
def expiring(hub_staff, hub_desk_obj):
    """A client whose period of stay ends on 2027-08-06, with an open case assigned to hub_staff."""
    client = ClientFactory(registered_desk=hub_desk_obj, period_of_stay_expiry=dt.date(2027, 8, 6))
    case = CaseFactory(handling_desk=hub_desk_obj, client=client, assignee=hub_staff, created_by=hub_staff)
    return client, case


def _consent(client, by, **kwargs):
    from consult.models import Language
    from consult.services.handoffs import consent_record

    return consent_record(client=client, by=by, explanation_language=Language.objects.get(code="ja"), **kwargs)


def test_period_of_stay_expiry_waits_for_consent_to_be_contacted(hub_staff, kurashiki, expiring):
    """Consent to share data with municipalities does not cover being
    contacted: no reminder until the consent covers contact by the desk."""
    client, case = expiring
    _consent(client, hub_staff, municipalities=[kurashiki])
    assert not clients_who_consented_to_contact(Client.objects.filter(pk=client.pk)).exists()
    assert run_producers(now=tokyo(2027, 5, 6, 10), only=[STAY_EXPIRY]) == 0
    _consent(client, hub_staff, municipalities=[kurashiki], contact_by_desk=True)
    assert run_producers(now=tokyo(2027, 5, 6, 10), only=[STAY_EXPIRY]) == 1
    (row,) = _rows(STAY_EXPIRY)
    assert (row.recipient_id, row.subject_object, row.desk_id) == (hub_staff.pk, case, case.handling_desk_id)


def test_period_of_stay_expiry_within_3_months_once_per_expiry_date(hub_staff, expiring):
    client, _case = expiring
    _consent(client, hub_staff, contact_by_desk=True)  # contact only: a valid consent on its own
    assert run_producers(now=tokyo(2027, 5, 5, 23, 59), only=[STAY_EXPIRY]) == 0  # 3 months + 1 day before
    assert run_producers(now=tokyo(2027, 5, 6, 0, 1), only=[STAY_EXPIRY]) == 1
    assert run_producers(now=tokyo(2027, 6, 1, 10), only=[STAY_EXPIRY]) == 0  # every later tick: nothing
    # Renewed: a new expiry date is a new occurrence, three months before it.
    Client.objects.filter(pk=client.pk).update(period_of_stay_expiry=dt.date(2030, 8, 6))
    assert run_producers(now=tokyo(2027, 8, 1, 10), only=[STAY_EXPIRY]) == 0
    assert run_producers(now=tokyo(2030, 5, 7, 10), only=[STAY_EXPIRY]) == 1
    assert len(_rows(STAY_EXPIRY)) == 2


def test_a_withdrawn_consent_stops_the_reminder_even_when_queued(hub_staff, expiring):
    from consult.services.handoffs import consent_withdraw
    from notifications.services import notification_deliver

    client, _case = expiring
    _consent(client, hub_staff, contact_by_desk=True, given_on=dt.date(2026, 11, 1))
    run_producers(now=tokyo(2027, 5, 6, 10), only=[STAY_EXPIRY])
    (row,) = _rows(STAY_EXPIRY)
    consent_withdraw(client=client, by=hub_staff)
    assert notification_deliver(notification_id=row.pk, now=tokyo(2027, 5, 6, 10, 1)) == "cancelled"
    Notification.objects.all().delete()
    assert run_producers(now=tokyo(2027, 5, 7, 10), only=[STAY_EXPIRY]) == 0


def test_producers_create_nothing_without_their_triggers(hub_staff, follow_up_for, coordinator):
    follow_up_for(hub_staff, due_date=dt.date(2027, 5, 20))  # not due yet
    UserFactory(username="bystander")
    assert run_producers(now=tokyo(2027, 5, 6, 10)) == 0
    assert _rows() == []


def test_a_delivery_batch_asks_the_consent_gate_once_for_all_its_stay_expiry_rows(
    hub_staff, hub_desk_obj, django_assert_max_num_queries
):
    """The consent check of `still_due` is loaded per batch (Kind.preload),
    not queried row by row; a consent withdrawn before the batch starts still
    cancels its own row and only that one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from consult.services.handoffs import consent_withdraw
    from notifications.services import DeliveryBatch, notification_deliver

    clients = []
    for i in range(4):
        client = ClientFactory(registered_desk=hub_desk_obj, period_of_stay_expiry=dt.date(2027, 8, 6 + i))
        CaseFactory(handling_desk=hub_desk_obj, client=client, assignee=hub_staff, created_by=hub_staff)
        _consent(client, hub_staff, contact_by_desk=True, given_on=dt.date(2026, 11, 1))
        clients.append(client)
    assert run_producers(now=tokyo(2027, 5, 10, 10), only=[STAY_EXPIRY]) == 4
    consent_withdraw(client=clients[0], by=hub_staff)
    rows = sorted(_rows(STAY_EXPIRY), key=lambda row: row.pk)
    with django_assert_max_num_queries(5):  # rows, recipients, cases with clients, the consent gate
        batch = DeliveryBatch([row.pk for row in rows])
    with CaptureQueriesContext(connection) as queries:
        outcomes = {
            row.occurrence_key: notification_deliver(notification_id=row.pk, now=tokyo(2027, 5, 10, 10, 1), batch=batch)
            for row in rows
        }
    assert not [q["sql"] for q in queries if "consult_consent" in q["sql"]]
    withdrawn = f"stay_expiry:{clients[0].pk}:2027-08-06"
    assert outcomes == {row.occurrence_key: "cancelled" if row.occurrence_key == withdrawn else "sent" for row in rows}
