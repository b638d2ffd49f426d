"""`make run` end to end: scripts/madoguchi.py run on a machine with neither
DATABASE_URL nor REDIS_URL — an embedded PostgreSQL, the filesystem broker,
demo data, the web server, a worker and beat — then Ctrl-C, after which
nothing it started may still run."""

import http.cookiejar
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "run-check-password-2026"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthz(base: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"{base}healthz", timeout=5) as response:  # noqa: S310 - http to 127.0.0.1
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
    except (urllib.error.URLError, OSError):
        return 0, {}


def _sign_in(base: str, username: str, password: str) -> str:
    """Sign in through the real form (CSRF cookie + token); return the home page."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}accounts/login/", timeout=10).read()
    token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login": username, "password": password})
    with opener.open(f"{base}accounts/login/", data=form.encode(), timeout=10) as response:
        assert response.geturl() == base, "sign-in did not lead to the home page"
        return response.read().decode()


def _started_processes(launcher: psutil.Process, data_dir: Path) -> list[psutil.Process]:
    processes = launcher.children(recursive=True)
    pid_file = data_dir / "postgres" / "postmaster.pid"
    if pid_file.exists():
        postmaster = psutil.Process(int(pid_file.read_text().split()[0]))
        processes += [postmaster, *postmaster.children(recursive=True)]
    return processes


@pytest.mark.slow
def test_make_run_serves_the_portal_and_ctrl_c_stops_everything(tmp_path):
    if not (ROOT / "static" / "vendor" / "htmx" / "htmx.min.js").exists():
        skip_or_fail("static/vendor is not built (make runs npm ci && npm run vendor)")
    data_dir = tmp_path / "data"
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "MADOGUCHI_TESTING", "DJANGO_DEBUG"}
    }
    env.update(MADOGUCHI_DATA_DIR=str(data_dir), PORT=str(port), DEMO_PASSWORD=DEMO_PASSWORD)
    log_path = tmp_path / "run.log"
    with log_path.open("w") as log:
        # Its own process group, like a terminal's foreground job.
        launcher = subprocess.Popen(
            [sys.executable, "scripts/madoguchi.py", "run"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            process_group=0,
        )
    try:
        deadline = time.monotonic() + 300
        status, body = _healthz(base)
        # Healthy, and the banner printed (it follows the web server's start).
        while status != 200 or "Ctrl-C stops" not in log_path.read_text():
            assert launcher.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, f"/healthz stayed {status} {body}\n{log_path.read_text()}"
            time.sleep(1)
            status, body = _healthz(base)
        # The heartbeat went beat → filesystem broker → worker → embedded PostgreSQL.
        assert body["checks"]["beat"]["ok"] is True

        output = log_path.read_text()
        assert f"Madoguchi is running at {base}" in output
        for login in ("admin", "coordinator-332020", "staff-332020", "clerk-332071", "stats-332020"):
            assert login in output
        assert DEMO_PASSWORD in output
        # The one published demo TOTP secret (issue 12 point 8), as settings has it.
        from django.conf import settings

        assert settings.DEMO_TOTP_SECRET in output
        home = _sign_in(base, "staff-332020", DEMO_PASSWORD)
        assert "staff-332020" in home or "相談員（デモ）" in home

        started = _started_processes(psutil.Process(launcher.pid), data_dir)
        names = " ".join(" ".join(p.cmdline()) for p in started)
        for expected in ("runserver", "worker", "beat", "postgres"):
            assert expected in names, names
        # The broker's folders are in the data folder, not in the checkout.
        assert (data_dir / "broker" / "control").is_dir()
    except BaseException:
        os.killpg(launcher.pid, signal.SIGINT)
        launcher.wait(timeout=60)
        raise

    # Ctrl-C: the terminal sends SIGINT to the foreground process group.
    os.killpg(launcher.pid, signal.SIGINT)
    assert launcher.wait(timeout=90) == 0, log_path.read_text()
    _gone, alive = psutil.wait_procs(started, timeout=10)
    assert not alive, f"still running after Ctrl-C: {[p.cmdline() for p in alive]}"
    assert not (data_dir / "postgres" / "postmaster.pid").exists()
    assert "stopped" in log_path.read_text()
