"""Production configuration: `check --deploy`, the docker-compose file, and
the production web command (gunicorn + WhiteNoise + collected static files)
run for real against the test database."""

import http.client
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent
HOST = "madoguchi.example"


def production_env(**extra: str) -> dict:
    """The environment of a production container: no DJANGO_DEBUG, no test
    switch, a long random SECRET_KEY, ALLOWED_HOSTS set."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "SESSION_", "CSRF_", "MADOGUCHI_TESTING", "STATIC_ROOT"))
        and key not in {"SECRET_KEY", "ALLOWED_HOSTS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS=HOST,
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


def manage(*args: str, env: dict, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_check_deploy_reports_nothing_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output
    assert not re.search(r"^\?:", output, re.MULTILINE), output
    assert "System check identified no issues" in output


def test_check_deploy_catches_debug_mode():
    """The test above can fail: the same command does warn about DEBUG."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(DJANGO_DEBUG="1"))
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


# --- docker-compose.yml ------------------------------------------------------
def compose(*args: str) -> subprocess.CompletedProcess:
    binary = shutil.which("docker-compose")
    if binary is None:
        skip_or_fail("docker-compose is not installed (Debian package docker-compose)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPOSE_")}
    return subprocess.run(
        [binary, "-f", "docker-compose.yml", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_docker_compose_config_is_valid():
    result = compose("config", "-q")
    assert result.returncode == 0, result.stderr


def test_docker_compose_runs_the_whole_stack_with_health_checks():
    result = compose("config")
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("db", "redis", "web", "worker", "beat"):
        assert services[name].get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    assert services["db"]["image"].startswith("postgres:")
    assert int(services["db"]["image"].split(":")[1].split("-")[0]) >= 15
    assert "gunicorn" in services["web"]["command"] and "config.wsgi" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "config", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]
    assert services["beat"]["deploy"]["replicas"] == 1
    migrate = " ".join(services["migrate"]["command"])
    assert "migrate --noinput" in migrate
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        environment = services[name]["environment"]
        assert environment["REDIS_URL"].startswith("redis://redis:")
        assert environment["DATABASE_URL"].startswith("postgres://")
        # The committed placeholders must not make a runnable secret.
        assert not environment.get("SECRET_KEY")


def test_env_example_documents_every_setting_read_from_the_environment():
    settings_source = (ROOT / "config" / "settings.py").read_text()
    read = set(re.findall(r'(?:environ\.get|env_bool|env_list)\(\s*"([A-Z_]+)"', settings_source))
    internal = {
        "MADOGUCHI_TESTING",
        "MADOGUCHI_LOCALE_DIR",
        "MADOGUCHI_DATA_DIR",
        "MADOGUCHI_OFFLINE_COMMAND",  # set by manage.py itself
        "STATIC_ROOT",
    }
    # Set by docker-compose.yml itself, or defaults that rarely change.
    in_compose = {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "DB_CONN_MAX_AGE", "CACHE_KEY_PREFIX"}
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", example, re.MULTILINE))
    missing = read - internal - in_compose - documented
    assert not missing, f".env.example lacks {sorted(missing)}"


# --- the production web command, for real -------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def live_database_url() -> str:
    """The URL of the test database pytest-django created (test_…)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    user = quote(db.get("USER") or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = quote(db.get("HOST") or "", safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


def _get(port: int, path: str, **headers: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": HOST, **headers})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)  # gunicorn and the checks see committed rows
def test_gunicorn_serves_the_portal_with_production_settings(tmp_path):
    if not (ROOT / "static" / "vendor" / "htmx" / "htmx.min.js").exists():
        skip_or_fail("static/vendor is not built (make runs npm ci && npm run vendor)")
    env = production_env(DATABASE_URL=live_database_url(), STATIC_ROOT=str(tmp_path / "static"))
    env["MADOGUCHI_DATA_DIR"] = str(tmp_path / "data")
    collected = manage("collectstatic", "--noinput", env=env, timeout=300)
    assert collected.returncode == 0, collected.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    assert "vendor/htmx/htmx.min.js" in manifest

    port = _free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],  # the container's command
        cwd=ROOT,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"},
        stdout=log,
        stderr=subprocess.STDOUT,
        process_group=0,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)

        # The load balancer's probe: plain HTTP, not redirected, JSON only.
        health = _get(port, "/healthz?q=%E7%94%B0%E4%B8%AD%E5%A4%AA%E9%83%8E")  # ?q=田中太郎
        assert health.status in (200, 503)
        assert set(json.loads(health.body)) == {"status", "checks"}
        assert json.loads(health.body)["checks"]["database"]["ok"] is True, health.body

        # Everything else is HTTPS only ...
        plain = _get(port, "/accounts/login/")
        assert plain.status == 301
        assert plain.getheader("Location") == f"https://{HOST}/accounts/login/"
        # ... and behind the TLS proxy the sign-in page is served securely.
        login = _get(port, "/accounts/login/", **{"X-Forwarded-Proto": "https"})
        assert login.status == 200
        assert "max-age=31536000" in login.getheader("Strict-Transport-Security")
        assert "script-src 'self'" in login.getheader("Content-Security-Policy")
        assert "Secure" in (login.getheader("Set-Cookie") or "")
        # Deny by default: the home page sends an anonymous visitor to sign in.
        home = _get(port, "/", **{"X-Forwarded-Proto": "https"})
        assert home.status == 302
        assert "/accounts/login/" in home.getheader("Location")
        # Static files by WhiteNoise, under their hashed names, cached for long.
        asset = _get(port, f"/static/{manifest['vendor/htmx/htmx.min.js']}", **{"X-Forwarded-Proto": "https"})
        assert asset.status == 200
        assert b"htmx" in asset.body
        assert "max-age=315360000" in asset.getheader("Cache-Control")
        # A host that is not in ALLOWED_HOSTS is refused.
        assert _get(port, "/healthz", Host="evil.invalid").status == 400

        # The containers' own health checks (docker-compose.yml).
        check = [sys.executable, "scripts/healthcheck.py"]
        web = subprocess.run([*check, "web"], cwd=ROOT, env={**env, "PORT": str(port)}, timeout=30)
        assert web.returncode == 0
        closed = subprocess.run([*check, "web"], cwd=ROOT, env={**env, "PORT": str(_free_port())}, timeout=30)
        assert closed.returncode == 1
        beat = subprocess.run([*check, "beat"], cwd=ROOT, env=env, capture_output=True, timeout=60)
        assert beat.returncode == 1, beat.stderr  # no heartbeat yet
        from core.services import heartbeat_record

        heartbeat_record(name="beat")
        beat = subprocess.run([*check, "beat"], cwd=ROOT, env=env, capture_output=True, timeout=60)
        assert beat.returncode == 0, beat.stderr
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
            server.wait()
        log.close()
    # The access log names the path but never a query string (a client's name).
    access_log = (tmp_path / "gunicorn.log").read_text()
    assert '"GET /healthz" 200' in access_log or '"GET /healthz" 503' in access_log, access_log
    assert "q=" not in access_log
    assert "%E7%94%B0" not in access_log.upper()
    assert "田中" not in access_log
