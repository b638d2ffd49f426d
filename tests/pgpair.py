"""A PostgreSQL primary and its streaming replica, started for a test
(issue 13 point 4): two throwaway clusters in a temporary folder, made with
the server's own tools (initdb, pg_ctl, pg_basebackup -R), on free ports.

The shared development cluster (127.0.0.1:5432) is never touched: its
pg_hba.conf has no replication entry and copying it would copy every
engineer's databases.  As root, the clusters run as the `postgres` system
user (initdb refuses root).  Debian package: postgresql-15 (or newer),
already on a machine that runs the shared cluster; `.ci/run` installs it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg


def server_bindir() -> Path | None:
    """The newest PostgreSQL server binaries on this machine, if any."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    if candidates:
        return Path(candidates[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Cluster:
    name: str
    datadir: Path
    port: int

    def url(self, dbname: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, autocommit=True)


class PrimaryReplicaPair:
    """``with PrimaryReplicaPair() as pair:`` — pair.primary, pair.replica."""

    def __init__(self) -> None:
        self.bindir = server_bindir()
        if self.bindir is None:
            raise FileNotFoundError("PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) are not installed")
        self.base = Path(tempfile.mkdtemp(prefix="madoguchi-pgpair-"))
        self.primary = Cluster("primary", self.base / "primary", _free_port())
        self.replica = Cluster("replica", self.base / "replica", _free_port())
        self._as_postgres = os.geteuid() == 0
        self._started: list[Cluster] = []

    # --- running the server's tools -------------------------------------------
    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bindir / tool), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=180, cwd=self.base)
        if result.returncode != 0:
            raise RuntimeError(f"{tool} failed ({result.returncode}): {result.stderr or result.stdout}")

    def _configure(self, cluster: Cluster, extra: str = "") -> None:
        with (cluster.datadir / "postgresql.conf").open("a") as conf:
            conf.write(
                "\n# madoguchi test pair\n"
                f"port = {cluster.port}\n"
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.base}'\n"
                "shared_buffers = 32MB\n"
                "max_connections = 40\n"
                "fsync = off\n"  # throwaway clusters: durability is not under test
                "full_page_writes = off\n"
                "wal_level = replica\n"
                "max_wal_senders = 4\n"
                "wal_keep_size = 128MB\n"
                "hot_standby = on\n"
                "logging_collector = off\n" + extra
            )

    def _start(self, cluster: Cluster) -> None:
        self._run("pg_ctl", "-D", str(cluster.datadir), "-l", str(self.base / f"{cluster.name}.log"), "-w", "start")
        self._started.append(cluster)

    # --- life cycle -----------------------------------------------------------
    def start(self) -> PrimaryReplicaPair:
        if self._as_postgres:
            postgres = pwd.getpwnam("postgres")
            os.chown(self.base, postgres.pw_uid, postgres.pw_gid)
        try:
            self._run(
                "initdb", "-D", str(self.primary.datadir), "-U", "postgres", "--auth=trust",
                "--encoding=UTF8", "--locale=C.UTF-8",
            )  # fmt: skip
            # initdb's pg_hba.conf already lets local replication connections in (trust).
            self._configure(self.primary)
            self._start(self.primary)
            self._run(
                "pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary.port), "-U", "postgres",
                "-D", str(self.replica.datadir), "-R", "-X", "stream", "--checkpoint=fast",
            )  # fmt: skip
            with (self.replica.datadir / "postgresql.conf").open("a") as conf:
                conf.write(f"\nport = {self.replica.port}\n")
            self._start(self.replica)
            self.wait_for_standby()
        except Exception:
            self.stop()
            raise
        return self

    def wait_for_standby(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with self.replica.connect() as conn:
                    if conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]:
                        return
            except psycopg.OperationalError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("the replica did not come up as a hot standby")
            time.sleep(0.2)

    def create_database(self, name: str) -> None:
        """On the primary; the replica follows."""
        with self.primary.connect() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.wait_for_replay()
        deadline = time.monotonic() + 30
        while True:
            try:
                self.replica.connect(name).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def wait_for_replay(self, timeout: float = 30) -> None:
        """Until the replica has replayed everything committed on the primary."""
        with self.primary.connect() as conn:
            target = conn.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
        deadline = time.monotonic() + timeout
        with self.replica.connect() as conn:
            while not conn.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]).fetchone()[0]:
                if time.monotonic() > deadline:
                    raise TimeoutError("the replica did not catch up")
                time.sleep(0.05)

    def pause_replay(self) -> None:
        with self.replica.connect() as conn:
            conn.execute("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        with self.replica.connect() as conn:
            conn.execute("SELECT pg_wal_replay_resume()")

    def stop(self) -> None:
        for cluster in reversed(self._started):
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                self._run("pg_ctl", "-D", str(cluster.datadir), "-m", "immediate", "-w", "stop")
        self._started.clear()
        shutil.rmtree(self.base, ignore_errors=True)

    def __enter__(self) -> PrimaryReplicaPair:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
