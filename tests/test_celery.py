"""Celery against a real Redis: beat → broker → worker → PostgreSQL, and
tasks enqueued with transaction.on_commit.

Each run uses its own queue name (and REDIS_URL's database number), so runs
in parallel, or a `make run` on the same Redis, do not take each other's
messages.  The worker and beat are real subprocesses; they reach the test
database through DATABASE_URL, hence `transactional_db` (rows must be
committed for another process to see them)."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import transaction

from core.models import Heartbeat
from core.tasks import beat_heartbeat, enqueue
from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.redis


def _reachable(url: str) -> bool:
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    if not _reachable(url):
        skip_or_fail(f"Redis is not reachable at {url.split('@')[-1]}")
    return url


def live_database_url() -> str:
    """The URL of the test database pytest-django created (test_…)."""
    db = settings.DATABASES["default"]
    user = quote(db.get("USER") or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = quote(db.get("HOST") or "", safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


class Celery:
    """A real `celery worker` / `celery beat` subprocess on its own queue."""

    def __init__(self, tmp_path: Path, redis_url: str, queue: str, **env: str) -> None:
        self.tmp_path = tmp_path
        self.redis_url = redis_url
        self.queue = queue
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("CELERY_")},
            "DATABASE_URL": live_database_url(),
            "REDIS_URL": redis_url,
            "CELERY_QUEUE": queue,
            "MADOGUCHI_TESTING": "1",
            "MADOGUCHI_DATA_DIR": str(tmp_path / "data"),
            **env,
        }
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str, *args: str) -> None:
        log = (self.tmp_path / f"{name}.log").open("w")
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            process_group=0,
        )

    def log(self, name: str) -> str:
        return (self.tmp_path / f"{name}.log").read_text()

    def start_worker(self) -> None:
        self.start(
            "worker", "worker", "-Q", self.queue, "-n", f"{self.queue}@%h", "--pool=solo", "--without-gossip",
            "--without-mingle", "--loglevel=INFO",
        )  # fmt: skip
        self.wait_for(lambda: "ready." in self.log("worker"), "worker", timeout=60)

    def start_beat(self) -> None:
        schedule = self.tmp_path / "celerybeat-schedule"
        self.start("beat", "beat", "-s", str(schedule), "--pidfile=", "--loglevel=INFO")

    def wait_for(self, condition, what: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            for name, process in self.processes.items():
                assert process.poll() is None, f"celery {name} exited:\n{self.log(name)}"
            assert time.monotonic() < deadline, f"timed out waiting for {what}:\n" + "\n".join(
                f"--- {name}\n{self.log(name)}" for name in self.processes
            )
            time.sleep(0.2)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        client = redis.Redis.from_url(self.redis_url)
        client.delete(self.queue, f"_kombu.binding.{self.queue}")


@pytest.fixture
def celery_processes(tmp_path, redis_url):
    processes = Celery(tmp_path, redis_url, queue=f"madoguchi-test-{uuid.uuid4().hex[:12]}")
    yield processes
    processes.stop()


def _last_beat():
    return Heartbeat.objects.filter(name="beat").values_list("last_seen", flat=True).first()


@pytest.mark.slow
def test_beat_and_worker_keep_healthz_green(transactional_db, client, celery_processes):
    """Real beat sends the heartbeat on its schedule through Redis; a real
    worker writes it to the test database; /healthz turns from 503 to 200."""
    assert client.get("/healthz").status_code == 503

    celery_processes.env["HEARTBEAT_INTERVAL_SECONDS"] = "1"
    celery_processes.start_worker()
    celery_processes.start_beat()
    celery_processes.wait_for(lambda: _last_beat() is not None, "the first heartbeat", timeout=60)
    first = _last_beat()
    # Not only the one sent when beat starts: the schedule keeps ticking.
    celery_processes.wait_for(lambda: _last_beat() > first, "a scheduled heartbeat", timeout=30)

    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    assert "core.tasks.beat_heartbeat" in celery_processes.log("worker")
    assert "succeeded" in celery_processes.log("worker")


@pytest.mark.slow
def test_a_task_sent_to_redis_runs_in_the_worker(transactional_db, celery_processes):
    celery_processes.start_worker()
    with redis_connection(celery_processes.redis_url) as connection:
        beat_heartbeat.apply_async(
            args=["sent-by-test"], queue=celery_processes.queue, routing_key=celery_processes.queue,
            connection=connection,
        )  # fmt: skip
    celery_processes.wait_for(
        lambda: Heartbeat.objects.filter(name="sent-by-test").exists(), "the task to run", timeout=30
    )


def redis_connection(url: str):
    from config.celery import app

    return app.connection_for_write(url)


# --- transaction.on_commit ------------------------------------------------------
@pytest.fixture
def app_broker() -> redis.Redis:
    """The Redis that the app itself sends tasks to (settings, from REDIS_URL)."""
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        skip_or_fail("REDIS_URL is not set: the app's broker is not Redis")
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        skip_or_fail(f"the app's Redis broker is not reachable: {type(exc).__name__}")
    return client


def queued(client: redis.Redis, marker: str, *, remove: bool = False) -> int:
    """How many messages in the app's queue carry `marker` as an argument."""
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    found = 0
    for raw in client.lrange(queue, 0, -1):
        message = json.loads(raw)
        if marker in message.get("headers", {}).get("argsrepr", ""):
            found += 1
            if remove:
                client.lrem(queue, 1, raw)
    return found


@pytest.fixture
def marker(app_broker):
    value = f"on-commit-{uuid.uuid4().hex}"
    yield value
    queued(app_broker, value, remove=True)


def test_enqueue_sends_nothing_when_the_transaction_rolls_back(transactional_db, app_broker, marker):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(beat_heartbeat, marker)
        raise RuntimeError("the service failed after enqueueing")
    assert queued(app_broker, marker) == 0


def test_enqueue_sends_once_the_transaction_commits(transactional_db, app_broker, marker):
    with transaction.atomic():
        enqueue(beat_heartbeat, marker)
        assert queued(app_broker, marker) == 0  # not before the commit
    assert queued(app_broker, marker) == 1


def test_enqueue_in_a_nested_block_waits_for_the_outer_commit(transactional_db, app_broker, marker):
    with pytest.raises(RuntimeError), transaction.atomic():
        with transaction.atomic():
            enqueue(beat_heartbeat, marker)
        assert queued(app_broker, marker) == 0
        raise RuntimeError("the outer transaction fails")
    assert queued(app_broker, marker) == 0
