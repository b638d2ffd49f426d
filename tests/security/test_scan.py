"""Issue 12 point 12: an external scanner (wapiti3, scripts/scan.py) run
against a local production-mode server — gunicorn, DEBUG off, production
settings, connected as the application's role that owns nothing — signed in
as counter staff, finds nothing of high or critical level.

Bounded: SCAN_MAX_SECONDS (default 120) for the whole scan, 20 s per attack
module.  The summary is kept in test-artifacts/scan/summary.txt."""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command

from tests.conftest import skip_or_fail
from tests.test_ops_deploy import _free_port, live_database_url, manage, production_env

ROOT = Path(__file__).resolve().parent.parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "scan"
SCAN_SECONDS = os.environ.get("SCAN_MAX_SECONDS", "120")
PASSWORD = "scan-only-password-2026"  # a throwaway test database

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]  # gunicorn sees committed rows


def _wapiti_installed() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import scan
    finally:
        sys.path.pop(0)
    try:
        scan.ensure_wapiti()
    except subprocess.CalledProcessError as exc:
        skip_or_fail(f"wapiti3 could not be installed into its own virtualenv: {exc}")


def _serve(tmp_path: Path, env: dict, port: int) -> subprocess.Popen:
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"},
        stdout=log,
        stderr=subprocess.STDOUT,
        process_group=0,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.3)


def test_wapiti_finds_nothing_high_signed_in_as_staff(tmp_path):
    if not (ROOT / "static" / "vendor" / "htmx" / "htmx.min.js").exists():
        skip_or_fail("static/vendor is not built (make runs npm ci && npm run vendor)")
    _wapiti_installed()
    call_command("seed_demo", cases=30, interpreters=True, stdout=io.StringIO())
    from accounts.models import User

    # The production server checks passwords with the production hashers.
    hasher = PBKDF2PasswordHasher()
    User.objects.filter(username="staff-332020").update(password=hasher.encode(PASSWORD, hasher.salt()))

    env = production_env(
        DATABASE_URL=live_database_url(),  # the application's role (tests/app_role.py)
        STATIC_ROOT=str(tmp_path / "static"),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",  # plain HTTP on the loopback; the TLS proxy is not part of the scan
        MADOGUCHI_DATA_DIR=str(tmp_path / "data"),
    )
    collected = manage("collectstatic", "--noinput", env=env, timeout=300)
    assert collected.returncode == 0, collected.stderr
    port = _free_port()
    server = _serve(tmp_path, env, port)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        result = subprocess.run(
            [sys.executable, "scripts/scan.py", "--url", f"http://127.0.0.1:{port}/", "--user", "staff-332020",
             "--password", PASSWORD, "--max-scan-time", SCAN_SECONDS, "--max-attack-time", "20",
             "--report", str(ARTIFACTS / "report.json")],
            cwd=ROOT, capture_output=True, text=True, timeout=float(SCAN_SECONDS) + 300,
        )  # fmt: skip
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
            server.wait()
    (ARTIFACTS / "summary.txt").write_text(result.stdout + result.stderr)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "signed in as staff-332020" in result.stdout
    crawled = int(result.stdout.split("crawled ", 1)[1].split(" ", 1)[0])
    assert crawled >= 20, result.stdout  # the scan really went through the signed-in portal
    # No request of the scan was a server error (a 403's logged PermissionDenied is not one).
    server_log = (tmp_path / "gunicorn.log").read_text()
    (ARTIFACTS / "gunicorn.log").write_text(server_log)  # tmp_path does not outlive the run
    errors = server_errors(server_log)
    assert not errors, "\n\n".join(errors[:5]) + f"\n\n(all of it: {ARTIFACTS / 'gunicorn.log'})"


# Lines of gunicorn.log that report a server error: the access log's 500s,
# Django's "ERROR django.request", and gunicorn's own "Error handling request
# <method> <path>" — an exception that left the application, or a worker
# killed at its timeout while it served a request (its access line reads
# "POST None" 500).  Not "(no URI read)": a worker timed out waiting for a
# request on a connection the scanner opened and left idle — nobody was answered.
_ERROR_MARKS = ('" 500 ', "ERROR django.request", "[ERROR] Error handling request")
_NOT_AN_ANSWER = "Error handling request (no URI read)"
# A log record starts with its time: gunicorn's "[2026-…" or "[01/Dec/2026…", Django's "2026-12-01 …".
_RECORD_START = re.compile(r"\[|\d{4}-\d\d-\d\d ")


def server_errors(server_log: str) -> list[str]:
    """Each error record with the traceback that follows it (the lines up to
    the next record), so that a failure shows why, not only that."""
    lines = server_log.splitlines()
    errors = []
    for index, line in enumerate(lines):
        if not any(mark in line for mark in _ERROR_MARKS) or _NOT_AN_ANSWER in line:
            continue
        end = index + 1
        while end < len(lines) and not _RECORD_START.match(lines[end]):
            end += 1
        block = lines[index:end]
        if len(block) > 62:  # the record's first line and the innermost frames
            block = [block[0], "  …", *block[-60:]]
        errors.append("\n".join(block))
    return errors
