"""Reminders on a real Redis and real Celery worker and beat processes: each
is sent exactly once when the worker is SIGKILLed mid-batch, when Redis is
down for 30 s, when two beats run at once, and when the same task is
delivered twice.

The worker sends mail through tests.notifications.mailbox.FileBackend: one
file per delivery, counted by Message-ID (one per occurrence).  Reminders go
out as digests (one per recipient) so that the test does not depend on the
hour it runs at: e-mail waits for office hours, a digest row is sent when due.
Each test has its own queue name; the Redis-outage test runs a private
redis-server on a port of its own and never touches the shared one.
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
from pathlib import Path

import pytest
import redis
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.models import Heartbeat
from notifications.models import Channel, Notification, State
from tests.conftest import skip_or_fail
from tests.factories import CaseFactory, UserFactory
from tests.notifications.conftest import FollowUpFactory
from tests.notifications.mailbox import deliveries
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


def due_reminders(kurashiki, count: int, *, prefix: str) -> list[Notification]:
    """`count` follow-ups due today, each with its own assignee, and their
    reminder rows due now (digest channel)."""
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
                channel=Channel.DIGEST,
                due_at=timezone.now() - dt.timedelta(minutes=1),
            )
        )
    return Notification.objects.bulk_create(rows)


def sent_count() -> int:
    return Notification.objects.filter(state=State.SENT).count()


def assert_each_sent_once(mailbox: Path, rows: list[Notification]) -> None:
    counts = deliveries(mailbox)
    assert len(counts) == len(rows), counts
    assert set(counts.values()) == {1}, {k: v for k, v in counts.items() if v != 1}
    assert Notification.objects.filter(pk__in=[r.pk for r in rows], state=State.SENT).count() == len(rows)


def test_a_worker_killed_mid_batch_and_restarted_sends_each_once(transactional_db, kurashiki, celery, mailbox):
    rows = due_reminders(kurashiki, 24, prefix="kill")
    celery.env["MAILBOX_DELAY"] = "0.3"
    celery.start_worker()
    celery.start_beat()
    celery.wait_for(lambda: len(list(mailbox.glob("*.eml"))) >= 5, "some of the batch to go out", timeout=90)
    worker = celery.processes["worker"]
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    sent_before_restart = len(list(mailbox.glob("*.eml")))
    assert sent_before_restart < len(rows), "the worker finished before it was killed"
    celery.env["MAILBOX_DELAY"] = "0"
    celery.start_worker()
    celery.wait_for(lambda: sent_count() == len(rows), "every reminder to be sent", timeout=120)
    time.sleep(3)  # any duplicate would arrive now
    assert_each_sent_once(mailbox, rows)


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
