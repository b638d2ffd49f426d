"""Reminders on a real Redis and real Celery worker and beat processes: each
reaches the recipient's mailbox once when the worker is SIGKILLed mid-batch
and restarted, when Redis is down for 30 s, when two beats run at once, and
when the same task is delivered twice.

The worker sends mail through tests.notifications.mailbox.FileBackend: one
file per hand-over, counted by Message-ID (one per occurrence) — what a
mailbox that folds messages by Message-ID shows.  The guarantee under SIGKILL
is at-least-once hand-over with a stable Message-ID (docs/decisions/0021): a
kill between the hand-over of a message and the COMMIT that marks its row
sent hands that one message over again after the restart, with the same
Message-ID; the tests assert exactly that, and that it is never more than
the one message in flight.

Reminders go out as digests (one per recipient) so that the test does not
depend on the hour it runs at: e-mail waits for office hours, a digest row
is sent when due (the deterministic kill test sends plain e-mail with
NOTIFICATIONS_OFFICE_HOURS_ONLY=0 in the worker).  Each test has its own
queue name; the Redis-outage test runs a private redis-server on a port of
its own and never touches the shared one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from email import message_from_bytes
from pathlib import Path

import pytest
import redis
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.models import Heartbeat
from notifications import mail
from notifications.models import Channel, Notification, State
from tests.conftest import skip_or_fail
from tests.factories import CaseFactory, UserFactory
from tests.notifications.conftest import FollowUpFactory
from tests.notifications.mailbox import IN_FLIGHT, deliveries
from tests.test_celery import Celery, redis_connection, redis_url  # noqa: F401 - fixture

pytestmark = [pytest.mark.redis, pytest.mark.slow]


@pytest.fixture
def mailbox(tmp_path) -> Path:
    folder = tmp_path / "mailbox"
    folder.mkdir()
    return folder


def _processes(tmp_path, url, mailbox, **env) -> Celery:
    return Celery(
        tmp_path,
        url,
        queue=f"madoguchi-notify-test-{uuid.uuid4().hex[:12]}",
        EMAIL_BACKEND="tests.notifications.mailbox.FileBackend",
        MAILBOX_DIR=str(mailbox),
        NOTIFICATIONS_TICK_SECONDS="1",
        **env,
    )


@pytest.fixture
def celery(tmp_path, redis_url, mailbox):  # noqa: F811
    processes = _processes(tmp_path, redis_url, mailbox, NOTIFICATIONS_CLAIM_LEASE_SECONDS="5")
    yield processes
    processes.stop()


def due_reminders(kurashiki, count: int, *, prefix: str, channel: str = Channel.DIGEST) -> list[Notification]:
    """`count` follow-ups due today, each with its own assignee, and their
    reminder rows due now (digest channel unless told)."""
    desk = kurashiki.desks.first()
    today = timezone.localdate()
    content_type = ContentType.objects.get(app_label="consult", model="followup")
    rows = []
    for i in range(count):
        user = UserFactory(username=f"{prefix}-{i}")
        case = CaseFactory(handling_desk=desk, assignee=user, created_by=user)
        follow_up = FollowUpFactory(case=case, assignee=user, due_date=today)
        rows.append(
            Notification(
                recipient=user,
                kind="consult.follow_up_due",
                content_type=content_type,
                object_id=follow_up.pk,
                desk=desk,
                occurrence_key=f"follow_up_due:{follow_up.pk}:{today.isoformat()}",
                channel=channel,
                due_at=timezone.now() - dt.timedelta(minutes=1),
            )
        )
    return Notification.objects.bulk_create(rows)


def sent_count() -> int:
    return Notification.objects.filter(state=State.SENT).count()


def assert_each_sent_once(mailbox: Path, rows: list[Notification]) -> None:
    """No worker died: exactly one hand-over per row."""
    counts = deliveries(mailbox)
    assert len(counts) == len(rows), counts
    assert set(counts.values()) == {1}, {k: v for k, v in counts.items() if v != 1}
    assert Notification.objects.filter(pk__in=[r.pk for r in rows], state=State.SENT).count() == len(rows)


def expected_message_id(row: Notification) -> str:
    """The Message-ID of a row's e-mail (a digest of one occurrence here: one
    row per recipient) — from the occurrence key alone."""
    if row.channel == Channel.DIGEST:
        return mail.digest_message_id([row.occurrence_key])
    return mail.message_id(row.occurrence_key)


def handed_over_not_marked(mailbox: Path, rows: list[Notification]) -> set[str]:
    """Message-IDs in the mailbox whose row is not committed as sent: what
    was in flight when the worker died."""
    sent = set(Notification.objects.filter(pk__in=[r.pk for r in rows], state=State.SENT).values_list("pk", flat=True))
    return {expected_message_id(r) for r in rows if r.pk not in sent} & set(deliveries(mailbox))


def assert_each_once_in_the_mailbox(mailbox: Path, rows: list[Notification], *, in_flight: set[str]) -> None:
    """Per notification exactly one distinct Message-ID (its own) in the
    mailbox; every row committed `sent`; handed over twice: only what was in
    flight at the kill, at most one message, twice at most."""
    counts = deliveries(mailbox)
    assert set(counts) == {expected_message_id(r) for r in rows}, counts
    repeated = {message_id: n for message_id, n in counts.items() if n > 1}
    assert set(repeated) <= in_flight, (repeated, in_flight)
    assert len(in_flight) <= 1 and set(repeated.values()) <= {2}, repeated
    assert sum(counts.values()) == len(rows) + len(repeated)
    states = dict(Notification.objects.filter(pk__in=[r.pk for r in rows]).values_list("occurrence_key", "state"))
    assert states == {r.occurrence_key: State.SENT for r in rows}


def kill(celery: Celery) -> None:
    worker = celery.processes["worker"]
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()


def test_a_worker_killed_mid_batch_and_restarted_sends_each_once(transactional_db, kurashiki, celery, mailbox):
    """SIGKILL at a random moment of a batch: half of each send's time is
    before the hand-over, half after it (inside the window), so the kill lands
    on either side; the assertions hold for both."""
    rows = due_reminders(kurashiki, 24, prefix="kill")
    celery.env["MAILBOX_DELAY"] = "0.15"
    celery.env["MAILBOX_DELAY_AFTER"] = "0.15"
    celery.start_worker()
    celery.start_beat()
    celery.wait_for(lambda: len(list(mailbox.glob("*.eml"))) >= 5, "some of the batch to go out", timeout=90)
    kill(celery)
    in_flight = handed_over_not_marked(mailbox, rows)
    assert len(in_flight) <= 1, in_flight  # one message in flight, never a batch
    assert len(deliveries(mailbox)) < len(rows), "the worker finished before it was killed"
    celery.env["MAILBOX_DELAY"] = celery.env["MAILBOX_DELAY_AFTER"] = "0"
    celery.start_worker()
    celery.wait_for(lambda: sent_count() == len(rows), "every reminder to be sent", timeout=120)
    time.sleep(3)  # any further copy would arrive now
    assert_each_once_in_the_mailbox(mailbox, rows, in_flight=in_flight)


def test_a_kill_between_hand_over_and_commit_resends_that_one_with_the_same_message_id(
    transactional_db,
    kurashiki,
    tmp_path,
    redis_url,  # noqa: F811 - fixture
    mailbox,
):
    """The window itself, deterministically: the relay has accepted the
    second message when the worker is killed, before the COMMIT that marks
    its row sent.  The restarted worker sends it again — same Message-ID, so
    the mailbox holds it once — and the row ends sent once."""
    celery = _processes(
        tmp_path, redis_url, mailbox, NOTIFICATIONS_CLAIM_LEASE_SECONDS="3", NOTIFICATIONS_OFFICE_HOURS_ONLY="0"
    )
    try:
        rows = due_reminders(kurashiki, 4, prefix="window", channel=Channel.EMAIL)
        celery.env["MAILBOX_HANG_AFTER"] = "2"
        celery.start_worker()
        celery.start_beat()
        marker = mailbox / IN_FLIGHT
        celery.wait_for(marker.exists, "the second message to be handed over", timeout=90)
        in_flight_id = marker.read_text()
        row = next(r for r in rows if expected_message_id(r) == in_flight_id)
        assert deliveries(mailbox)[in_flight_id] == 1
        row.refresh_from_db()
        assert row.state == State.CLAIMED  # handed over, not marked: the window
        assert sent_count() == 1  # the first message, committed before

        kill(celery)
        killed_at = timezone.now()
        row.refresh_from_db()
        assert (row.state, row.sent_at) == (State.CLAIMED, None)  # its transaction died with the worker
        assert handed_over_not_marked(mailbox, rows) == {in_flight_id}

        del celery.env["MAILBOX_HANG_AFTER"]
        celery.start_worker()
        celery.wait_for(lambda: sent_count() == len(rows), "every reminder to be sent", timeout=120)
        time.sleep(3)
        counts = deliveries(mailbox)
        assert counts[in_flight_id] == 2  # handed over again, with the same Message-ID
        assert_each_once_in_the_mailbox(mailbox, rows, in_flight={in_flight_id})
        row.refresh_from_db()
        assert row.state == State.SENT and row.sent_at > killed_at
        copies = [
            message_from_bytes(path.read_bytes())
            for path in mailbox.glob("*.eml")
            if message_from_bytes(path.read_bytes())["Message-ID"] == in_flight_id
        ]
        assert len({(c["Subject"], c["To"]) for c in copies}) == 1  # the same message, twice
    finally:
        celery.stop()


def test_the_same_task_delivered_twice_sends_once(transactional_db, kurashiki, celery, mailbox):
    from notifications.tasks import send_notifications

    rows = due_reminders(kurashiki, 6, prefix="twice")
    ids = [row.pk for row in rows]
    celery.start_worker()
    with redis_connection(celery.redis_url) as connection:
        for _ in range(2):
            send_notifications.apply_async(
                args=[ids], queue=celery.queue, routing_key=celery.queue, connection=connection
            )
    celery.wait_for(lambda: celery.log("worker").count("notifications sent batch of 6") == 2, "both tasks", timeout=60)
    assert "'skipped': 6" in celery.log("worker")
    assert_each_sent_once(mailbox, rows)


def test_two_beats_at_once_one_acts_and_each_reminder_is_sent_once(transactional_db, kurashiki, celery, mailbox):
    rows = due_reminders(kurashiki, 12, prefix="beats")
    celery.start_worker()
    celery.start_beat()
    schedule = celery.tmp_path / "celerybeat-schedule-2"
    celery.start("beat2", "beat", "-s", str(schedule), "--pidfile=", "--loglevel=INFO")
    celery.wait_for(lambda: sent_count() == len(rows), "every reminder to be sent", timeout=90)
    celery.wait_for(
        lambda: "skipped: another beat holds the lease" in celery.log("worker"), "a tick of the second beat", timeout=30
    )
    time.sleep(3)
    acting = list(Heartbeat.objects.filter(name__startswith="notify-tick-").values_list("name", flat=True))
    assert len(acting) == 1, acting  # one beat acted, every time
    assert_each_sent_once(mailbox, rows)


# --- Redis down for 30 s -----------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test's own, without persistence: stopping it
    loses every queued message, as a crashed broker would."""

    def __init__(self, tmp_path: Path) -> None:
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            skip_or_fail("redis-server is not installed")
        self.port = _free_port()
        self.tmp_path = tmp_path
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.tmp_path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while True:
            try:
                if redis.Redis.from_url(self.url, socket_connect_timeout=0.5).ping():
                    return
            except redis.RedisError:
                pass
            assert time.monotonic() < deadline, "the private redis-server did not start"
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


def test_redis_down_for_30_seconds_loses_nothing_and_repeats_nothing(transactional_db, kurashiki, tmp_path, mailbox):
    broker = PrivateRedis(tmp_path)
    broker.start()
    celery = _processes(tmp_path, broker.url, mailbox, NOTIFICATIONS_CLAIM_LEASE_SECONDS="5")
    try:
        before = due_reminders(kurashiki, 5, prefix="before")
        celery.start_worker()
        celery.start_beat()
        celery.wait_for(lambda: sent_count() == 5, "the first reminders", timeout=60)

        broker.stop()
        # Reminders fall due while the broker is down: they are rows, not messages.
        during = due_reminders(kurashiki, 5, prefix="during")
        time.sleep(30)
        assert sent_count() == 5
        broker.start()  # empty: whatever was queued is gone

        celery.wait_for(lambda: sent_count() == 10, "the reminders due during the outage", timeout=120)
        time.sleep(3)
        assert_each_sent_once(mailbox, before + during)
    finally:
        with contextlib.suppress(redis.RedisError):
            celery.stop()
        broker.stop()
