"""Scheduling, office hours, channels, delivery at most once, failures —
against the real PostgreSQL, by calling the services and tasks."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from consult.models import FollowUp
from municipalities.models import MunicipalClosure
from notifications import services
from notifications.models import Channel, DeskOfficeHours, Notification, NotificationPreference, State
from notifications.registry import Draft, Kind, kinds
from notifications.tasks import run_tick
from tests.factories import UserFactory
from tests.notifications.conftest import tokyo

pytestmark = pytest.mark.django_db

DUE = "consult.follow_up_due"


def _schedule(user, follow_up, at, key="k1"):
    # The follow-up kinds read the due date from the end of the key.
    key = f"test-{key}:{follow_up.due_date.isoformat()}"
    services.notification_schedule(
        kind=DUE,
        drafts=[
            Draft(
                recipient_id=user.pk, occurrence_key=key, obj=follow_up, desk_id=follow_up.case.handling_desk_id, at=at
            )
        ],
        now=at,
    )
    return Notification.objects.get(occurrence_key=key)


# --- the registry ---------------------------------------------------------------
def test_consult_registers_its_kinds_and_a_clashing_key_is_refused():
    assert {"consult.follow_up_due", "consult.follow_up_escalation", "consult.stay_expiry"} <= {
        k.key for k in kinds.all()
    }
    with pytest.raises(ValueError):
        kinds.register(Kind(key=DUE, label="other", template="other"))


def test_a_second_schedule_of_the_same_occurrence_inserts_nothing(hub_staff, follow_up_for):
    follow_up = follow_up_for(hub_staff)
    at = tokyo(2027, 5, 6, 9)
    draft = Draft(recipient_id=hub_staff.pk, occurrence_key="once", obj=follow_up, at=at)
    assert services.notification_schedule(kind=DUE, drafts=[draft], now=at) == 1
    assert services.notification_schedule(kind=DUE, drafts=[draft, draft], now=at) == 0
    assert Notification.objects.filter(occurrence_key="once").count() == 1
    assert Notification.objects.count() == 1


# --- office hours and business days --------------------------------------------
@pytest.mark.parametrize(
    ("produced", "expected"),
    [
        (tokyo(2027, 5, 6, 10, 0), tokyo(2027, 5, 6, 10, 0)),  # Thursday in office hours: at once
        (tokyo(2027, 5, 6, 7, 0), tokyo(2027, 5, 6, 8, 30)),  # before opening
        (tokyo(2027, 4, 30, 17, 15), tokyo(2027, 5, 6, 8, 30)),  # Friday at closing: after Golden Week
        (tokyo(2027, 5, 3, 10, 0), tokyo(2027, 5, 6, 8, 30)),  # 憲法記念日
        (tokyo(2027, 4, 29, 12, 0), tokyo(2027, 4, 30, 8, 30)),  # 昭和の日 (Thursday) -> Friday
        (tokyo(2026, 12, 28, 18, 0), tokyo(2027, 1, 4, 8, 30)),  # year-end closure 12/29–1/3
        (tokyo(2027, 1, 2, 9, 0), tokyo(2027, 1, 4, 8, 30)),
    ],
)
def test_email_waits_for_the_next_opening(hub_staff, follow_up_for, produced, expected):
    row = _schedule(hub_staff, follow_up_for(hub_staff), produced)
    assert row.channel == Channel.EMAIL
    assert row.due_at == expected
    assert row.visible_at == produced  # in the portal at once


@pytest.mark.parametrize(
    ("produced", "expected"),
    [
        (tokyo(2027, 5, 6, 7, 0), tokyo(2027, 5, 6, 8, 30)),  # before opening: this morning's digest
        (tokyo(2027, 5, 6, 10, 0), tokyo(2027, 5, 7, 8, 30)),  # during the day: tomorrow's
        (tokyo(2027, 4, 30, 10, 0), tokyo(2027, 5, 6, 8, 30)),  # across Golden Week
        (tokyo(2026, 12, 28, 10, 0), tokyo(2027, 1, 4, 8, 30)),  # across the year-end closure
    ],
)
def test_digest_goes_out_at_the_start_of_the_next_business_day(hub_staff, follow_up_for, produced, expected):
    NotificationPreference.objects.create(user=hub_staff, kind=DUE, channel=Channel.DIGEST)
    row = _schedule(hub_staff, follow_up_for(hub_staff), produced)
    assert (row.channel, row.due_at) == (Channel.DIGEST, expected)


def test_in_app_only_is_due_at_once(hub_staff, follow_up_for):
    NotificationPreference.objects.create(user=hub_staff, kind=DUE, channel=Channel.IN_APP)
    at = tokyo(2027, 5, 3, 22, 0)
    assert _schedule(hub_staff, follow_up_for(hub_staff), at).due_at == at


def test_desk_hours_and_municipal_closures_apply(hub_staff, follow_up_for, hub_desk_obj):
    DeskOfficeHours.objects.create(desk=hub_desk_obj, opens=dt.time(9, 0), closes=dt.time(16, 0))
    MunicipalClosure.objects.create(municipality=hub_desk_obj.municipality, date=dt.date(2027, 5, 6), reason="庁舎移転")
    row = _schedule(hub_staff, follow_up_for(hub_staff), tokyo(2027, 5, 5, 16, 30))
    assert row.due_at == tokyo(2027, 5, 7, 9, 0)


def test_delivery_outside_office_hours_is_postponed_not_sent(hub_staff, follow_up_for):
    row = _schedule(hub_staff, follow_up_for(hub_staff), tokyo(2027, 5, 6, 10, 0))
    outcome = services.notification_deliver(notification_id=row.pk, now=tokyo(2027, 5, 6, 18, 0))
    row.refresh_from_db()
    assert outcome == "postponed"
    assert (row.state, row.due_at) == (State.PENDING, tokyo(2027, 5, 7, 8, 30))
    assert mail.outbox == []


# --- delivery -------------------------------------------------------------------
def test_delivered_twice_sends_once(hub_staff, follow_up_for):
    row = _schedule(hub_staff, follow_up_for(hub_staff), tokyo(2027, 5, 6, 10, 0))
    now = tokyo(2027, 5, 6, 10, 1)
    assert services.notification_deliver(notification_id=row.pk, now=now) == "sent"
    assert services.notification_deliver(notification_id=row.pk, now=now) == "skipped"
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.state, row.sent_at) == (State.SENT, now)


def test_a_message_sent_again_after_a_lost_commit_carries_the_same_message_id(hub_staff, follow_up_for):
    """At-least-once hand-over (docs/decisions/0021): if the COMMIT that marks
    a row sent is lost (worker killed, database crash), the row is claimed
    again and its e-mail sent again — with the Message-ID of the first copy,
    derived from the occurrence key alone, so the mailbox folds the two."""
    from notifications import mail as notification_mail

    row = _schedule(hub_staff, follow_up_for(hub_staff), tokyo(2027, 5, 6, 10, 0))
    assert services.notification_deliver(notification_id=row.pk, now=tokyo(2027, 5, 6, 10, 1)) == "sent"
    # What the database holds when that COMMIT never happened: claimed again later.
    Notification.objects.filter(pk=row.pk).update(state=State.PENDING, sent_at=None)
    assert services.notification_claim_due(now=tokyo(2027, 5, 6, 10, 20)) == [row.pk]
    assert services.notification_deliver(notification_id=row.pk, now=tokyo(2027, 5, 6, 10, 20)) == "sent"
    first, again = mail.outbox
    assert first.extra_headers["Message-ID"] == again.extra_headers["Message-ID"]
    assert again.extra_headers["Message-ID"] == notification_mail.message_id(row.occurrence_key)
    assert first.message()["Message-ID"] == again.message()["Message-ID"]  # as it goes on the wire
    assert (first.subject, first.body) == (again.subject, again.body)


def test_a_digest_sent_again_carries_the_same_message_id(hub_staff, follow_up_for):
    from notifications import mail as notification_mail

    NotificationPreference.objects.create(user=hub_staff, kind=DUE, channel=Channel.DIGEST)
    rows = [_schedule(hub_staff, follow_up_for(hub_staff), tokyo(2027, 5, 6, 10 + i), key=f"r{i}") for i in range(2)]
    now = tokyo(2027, 5, 7, 8, 31)
    for _round in range(2):
        ids = services.notification_claim_due(now=now)
        assert ids == sorted(r.pk for r in rows)
        assert services.notification_deliver(notification_id=ids[0], now=now) == "sent"
        Notification.objects.filter(pk__in=ids).update(state=State.PENDING, sent_at=None)  # the COMMIT lost
    first, again = mail.outbox
    expected = notification_mail.digest_message_id(sorted(r.occurrence_key for r in rows))
    assert first.extra_headers["Message-ID"] == again.extra_headers["Message-ID"] == expected


@pytest.mark.django_db(transaction=True)
def test_only_the_delivery_transaction_commits_without_waiting_for_the_disk(hub_staff, follow_up_for):
    """`synchronous_commit = off` is set by the take, for that transaction
    only: the claim, the sweep and every other write still commit durably."""

    def setting():
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    row = _schedule(hub_staff, follow_up_for(hub_staff), tokyo(2027, 5, 6, 10, 0))
    durable = setting()
    assert durable != "off"
    with transaction.atomic():
        assert services._take(row.pk, tokyo(2027, 5, 6, 10, 1)) is not None
        assert setting() == "off"
    assert setting() == durable
    with transaction.atomic():
        Notification.objects.filter(pk=row.pk).update(state=State.PENDING, sent_at=None)
        assert setting() == durable  # any other write of this connection


@pytest.mark.parametrize("policy_name", ["default", "SMTP"])
def test_a_notification_email_is_byte_for_byte_what_the_standard_library_builds(policy_name):
    """NotificationEmail only caches the header classes the standard library
    would build again for every header: the message on the wire is the same
    (the random MIME boundary aside), for locmem's policy and for SMTP's."""
    import email.policy
    import re

    from django.core.mail import EmailMultiAlternatives

    from notifications.mail import NotificationEmail, fast_policy

    policy = getattr(email.policy, policy_name)
    fields = {
        "subject": "本日期日のフォローアップ: CASE-2027-00001 — とても長い件名" * 3,
        "body": "案件: CASE-2027-00001\n期日: 2027-05-06\n" * 20,
        "from_email": "Madoguchi <madoguchi@example.jp>",
        "to": ["山田 花子 <hanako@example.jp>", "staff@example.jp"],
        "headers": {"Message-ID": "<notification-0123@example.jp>", "Date": "Thu, 06 May 2027 09:00:00 +0900"},
    }
    built = []
    for cls in (EmailMultiAlternatives, NotificationEmail):
        message = cls(**fields)
        message.attach_alternative(
            "<p>案件: <a href='https://example.jp/cases/1/'>CASE-2027-00001</a></p>", "text/html"
        )
        raw = message.message(policy=policy).as_bytes()
        for boundary in set(re.findall(rb'boundary="([^"]+)"', raw)):
            raw = raw.replace(boundary, b"BOUNDARY")
        built.append(raw)
    assert built[0] == built[1]
    assert fast_policy(policy) is fast_policy(policy) is not policy


def test_the_email_is_in_the_recipients_language_with_a_link_to_the_case(follow_up_for, settings):
    settings.PORTAL_BASE_URL = "https://madoguchi.example.jp"
    ja = UserFactory(username="ja-user", ui_language="ja")
    en = UserFactory(username="en-user", ui_language="en")
    rows = [_schedule(user, follow_up_for(user), tokyo(2027, 5, 6, 10), key=user.username) for user in (ja, en)]
    for row in rows:
        services.notification_deliver(notification_id=row.pk, now=tokyo(2027, 5, 6, 10, 5))
    by_recipient = {m.to[0]: m for m in mail.outbox}
    japanese, english = by_recipient[ja.email], by_recipient[en.email]
    case = FollowUp.objects.get(assignee=ja).case
    assert japanese.subject == f"本日期日のフォローアップ: {case.reference}"
    assert "期日: 2027-05-06" in japanese.body
    assert f"https://madoguchi.example.jp/cases/{case.pk}/#follow-ups" in japanese.body
    html, mimetype = japanese.alternatives[0]
    assert mimetype == "text/html" and f'href="https://madoguchi.example.jp/cases/{case.pk}/#follow-ups"' in html
    assert '<html lang="ja">' in html
    assert english.subject.startswith("Follow-up due today: ")
    assert japanese.extra_headers["Message-ID"] != english.extra_headers["Message-ID"]


def test_a_follow_up_done_before_sending_is_not_reminded(hub_staff, follow_up_for):
    follow_up = follow_up_for(hub_staff)
    row = _schedule(hub_staff, follow_up, tokyo(2027, 5, 6, 9))
    FollowUp.objects.filter(pk=follow_up.pk).update(status=FollowUp.Status.DONE)
    assert services.notification_deliver(notification_id=row.pk, now=tokyo(2027, 5, 6, 9, 1)) == "cancelled"
    assert mail.outbox == []
    assert not Notification.objects.for_inbox(hub_staff, now=tokyo(2027, 5, 6, 10)).exists()


def test_in_app_only_sends_no_email_and_shows_in_the_inbox(hub_staff, follow_up_for):
    NotificationPreference.objects.create(user=hub_staff, kind=DUE, channel=Channel.IN_APP)
    row = _schedule(hub_staff, follow_up_for(hub_staff), tokyo(2027, 5, 6, 9))
    assert services.notification_deliver(notification_id=row.pk, now=tokyo(2027, 5, 6, 9, 1)) == "sent"
    assert mail.outbox == []
    assert list(Notification.objects.for_inbox(hub_staff, now=tokyo(2027, 5, 6, 10)).unread()) == [row]


def test_a_digest_collects_the_days_notifications_into_one_email(hub_staff, follow_up_for):
    NotificationPreference.objects.create(user=hub_staff, kind=DUE, channel=Channel.DIGEST)
    rows = [_schedule(hub_staff, follow_up_for(hub_staff), tokyo(2027, 5, 6, 10 + i), key=f"d{i}") for i in range(3)]
    assert all(r.due_at == tokyo(2027, 5, 7, 8, 30) for r in rows)
    assert services.notification_claim_due(now=tokyo(2027, 5, 7, 8, 0)) == []  # not before the day starts
    ids = services.notification_claim_due(now=tokyo(2027, 5, 7, 8, 31))
    assert ids == sorted(r.pk for r in rows)
    for pk in ids:
        services.notification_deliver(notification_id=pk, now=tokyo(2027, 5, 7, 8, 31))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Madoguchi: 通知 3件"
    assert set(Notification.objects.values_list("state", flat=True)) == {State.SENT}


def test_a_failing_relay_is_retried_on_a_schedule_then_marked_failed(hub_staff, follow_up_for, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.mailbox.FailingBackend", "OPTIONS": {}}}
    row = _schedule(hub_staff, follow_up_for(hub_staff), tokyo(2027, 5, 6, 9))
    now = tokyo(2027, 5, 6, 9, 0)
    delays = []
    for _attempt in range(len(services.RETRY_DELAYS)):
        assert services.notification_claim_due(now=now) == [row.pk]
        assert services.notification_deliver(notification_id=row.pk, now=now) == "retry"
        row.refresh_from_db()
        assert row.state == State.PENDING and "ConnectionRefusedError" in row.failure
        delays.append(row.due_at - now)
        now = row.due_at
    assert delays == list(services.RETRY_DELAYS)
    assert services.notification_claim_due(now=now) == [row.pk]
    assert services.notification_deliver(notification_id=row.pk, now=now) == "failed"
    row.refresh_from_db()
    assert row.state == State.FAILED and row.failure.startswith("ConnectionRefusedError")


def test_a_recipient_without_an_email_address_fails_with_a_reason(follow_up_for):
    user = UserFactory(username="no-mail", email="")
    row = _schedule(user, follow_up_for(user), tokyo(2027, 5, 6, 9))
    assert services.notification_deliver(notification_id=row.pk, now=tokyo(2027, 5, 6, 9, 1)) == "failed"
    row.refresh_from_db()
    assert row.failure == "no e-mail address"


# --- claiming -------------------------------------------------------------------
def test_claim_takes_only_due_pending_rows_once(hub_staff, follow_up_for):
    follow_up = follow_up_for(hub_staff)
    due = _schedule(hub_staff, follow_up, tokyo(2027, 5, 6, 9), key="due")
    later = _schedule(hub_staff, follow_up, tokyo(2027, 5, 7, 9), key="later")
    now = tokyo(2027, 5, 6, 12)
    assert services.notification_claim_due(now=now) == [due.pk]
    assert services.notification_claim_due(now=now) == []
    later.refresh_from_db()
    assert later.state == State.PENDING


def test_the_sweep_returns_claims_of_a_dead_worker(hub_staff, follow_up_for, settings):
    settings.NOTIFICATIONS_CLAIM_LEASE_SECONDS = 600
    row = _schedule(hub_staff, follow_up_for(hub_staff), tokyo(2027, 5, 6, 9))
    claimed_at = tokyo(2027, 5, 6, 9, 0)
    assert services.notification_claim_due(now=claimed_at) == [row.pk]
    assert services.notification_sweep_stale_claims(now=claimed_at + dt.timedelta(minutes=5)) == 0
    assert services.notification_sweep_stale_claims(now=claimed_at + dt.timedelta(minutes=11)) == 1
    assert services.notification_claim_due(now=claimed_at + dt.timedelta(minutes=11)) == [row.pk]


@pytest.mark.django_db(transaction=True)
def test_a_row_locked_by_another_claimer_is_skipped_not_waited_for(hub_staff, follow_up_for):
    import threading

    follow_up = follow_up_for(hub_staff)
    rows = [_schedule(hub_staff, follow_up, tokyo(2027, 5, 6, 9), key=f"c{i}") for i in range(3)]
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        with transaction.atomic():
            list(Notification.objects.select_for_update().filter(pk=rows[0].pk))
            locked.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    locked.wait(10)
    try:
        assert services.notification_claim_due(now=tokyo(2027, 5, 6, 10)) == [rows[1].pk, rows[2].pk]
    finally:
        release.set()
        thread.join()
    assert services.notification_claim_due(now=tokyo(2027, 5, 6, 10)) == [rows[0].pk]


def test_the_claim_query_uses_the_partial_index_not_a_sequential_scan(hub_staff):
    """100,000 rows pending in the future, a few due: the plan of the claim
    reads the partial index on due_at."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO notifications_notification
                (recipient_id, kind, occurrence_key, channel, state, visible_at, due_at, attempts, failure, created_at,
                 sent_at)
            SELECT %(user)s, 'consult.follow_up_due', 'bench:' || g, 'email',
                   CASE WHEN g %% 10 = 0 THEN 'sent' ELSE 'pending' END, now(),
                   now() + (CASE WHEN g <= 50 THEN -1 ELSE 1 END) * interval '1 day' * (1 + g %% 90),
                   0, '', now(), CASE WHEN g %% 10 = 0 THEN now() END
              FROM generate_series(1, 100000) AS g
            """,
            {"user": hub_staff.pk},
        )
        cursor.execute("ANALYZE notifications_notification")
        cursor.execute("EXPLAIN " + services.CLAIM_SQL, {"now": timezone.now(), "limit": 500})
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "notification_pending_due_idx" in plan, plan
    assert "Seq Scan" not in plan, plan


# --- the tick -------------------------------------------------------------------
def test_the_tick_produces_claims_and_wakes_workers(hub_staff, follow_up_for, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from config.celery import app

    app.conf.task_always_eager = True
    try:
        follow_up_for(hub_staff, due_date=dt.date(2027, 5, 6))
        summary = run_tick(now=tokyo(2027, 5, 6, 9))
    finally:
        app.conf.task_always_eager = False
    assert summary.startswith("produced=1 ")
    assert Notification.objects.get().kind == DUE


def test_someone_outside_the_portal_is_told_by_email_in_their_language(follow_up_for, hub_staff, request):
    """An interpreter has no account: the row carries the address and the
    language, and no inbox shows it."""
    follow_up = follow_up_for(hub_staff)
    key = f"test-external:{follow_up.due_date.isoformat()}"
    due = kinds.get(DUE)
    kinds.register(Kind(key="test.external", label="test", template=due.template, context=due.context, url=due.url))
    request.addfinalizer(lambda: kinds.unregister("test.external"))
    services.notification_schedule(
        kind="test.external",
        drafts=[
            Draft(
                recipient_id=None,
                email="interpreter@example.invalid",
                language="en",
                occurrence_key=key,
                obj=follow_up,
                desk_id=follow_up.case.handling_desk_id,
                at=tokyo(2027, 5, 6, 10),
            )
        ],
        now=tokyo(2027, 5, 6, 10),
    )
    row = Notification.objects.get(occurrence_key=key)
    assert (row.channel, row.recipient_id, row.to_address) == (Channel.EMAIL, None, "interpreter@example.invalid")
    assert services.notification_deliver(notification_id=row.pk, now=tokyo(2027, 5, 6, 10, 1)) == "sent"
    (message,) = mail.outbox
    assert message.to == ["interpreter@example.invalid"]
    assert message.subject.startswith("Follow-up due today: ")
    assert not Notification.objects.for_inbox(hub_staff, now=tokyo(2027, 5, 7)).exists()
    with pytest.raises(ValueError):
        services.notification_schedule(kind=DUE, drafts=[Draft(recipient_id=None, occurrence_key="nobody")])
