"""bench_http's CPU per request (demo/bench/http.py `cpu_seconds`): read
from /proc for the server's process tree and PostgreSQL's processes."""

from __future__ import annotations

import os
import sys
import time

import pytest

from demo.bench import http
from demo.management.commands.bench_http import Command

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def test_cpu_seconds_follow_the_server_process_tree_and_postgres(db):
    from django.db import connection

    with connection.cursor() as cursor:  # a PostgreSQL backend serves this test
        cursor.execute("SELECT count(*) FROM pg_class")
    before = http.cpu_seconds(os.getpid())
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:  # burn 0.3 s of CPU in "the server"
        pass
    after = http.cpu_seconds(os.getpid())
    assert after["gunicorn"] - before["gunicorn"] >= 0.25
    assert after["postgres"] >= before["postgres"] > 0


def test_cpu_per_request_is_printed_as_web_plus_db():
    result = {"requests": 200}
    line = Command._cpu_per_request({"gunicorn": 10.0, "postgres": 5.0}, {"gunicorn": 14.0, "postgres": 6.6}, result)
    assert line == "20.0+8.0=28.0"
    assert Command._cpu_per_request(None, None, result) == "n/a"
    assert (
        Command._cpu_per_request({"gunicorn": 0, "postgres": 0}, {"gunicorn": 1, "postgres": 1}, {"requests": 0})
        == "n/a"
    )
