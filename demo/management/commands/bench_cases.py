"""Benchmark the case list and name search at 1,000,000 consultations (issue 3).

    createdb -h 127.0.0.1 -U postgres madoguchi_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/madoguchi_bench \\
    SECRET_KEY=bench-only DJANGO_DEBUG=0 python manage.py bench_cases

Builds the dataset in the CURRENT database the first time (minutes) and
reuses it afterwards; then measures.  It refuses a database whose name does
not contain "bench" (or a test database), so it never fills the development
database with a million synthetic rows.  See demo/bench/ and
docs/benchmarks/.
"""

from __future__ import annotations

import io
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo import bench
from demo.bench.dataset import BENCH_TABLES
from demo.staff import seed_staff
from municipalities.models import Consortium


class Command(BaseCommand):
    help = "Build (or reuse) a synthetic 1,000,000-consultation dataset and time the case list and name search."

    def add_arguments(self, parser):
        parser.add_argument("--consultations", type=int, default=1_000_000, help="dataset size (default 1,000,000)")
        parser.add_argument("--repeat", type=int, default=30, help="timed requests per scenario (default 30)")
        parser.add_argument("--warmup", type=int, default=3, help="untimed requests per scenario first (default 3)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed of the dataset")
        parser.add_argument("--depth", type=int, default=10_000, help="the deep page's number (default 10,000)")
        parser.add_argument(
            "--rebuild", action="store_true", help="empty the consult tables of this database and build again"
        )
        parser.add_argument("--build-only", action="store_true", help="build or check the dataset, do not measure")
        parser.add_argument(
            "--allow-any-database",
            action="store_true",
            help="run even if the database name does not contain 'bench'",
        )

    def handle(self, *args, **options):
        db_name = connection.settings_dict["NAME"]
        if not (options["allow_any_database"] or bench.is_benchmark_database(db_name)):
            raise CommandError(
                f"database {db_name!r} does not look like a benchmark database; use a separate one, e.g.\n"
                "  createdb -h 127.0.0.1 -U postgres madoguchi_bench\n"
                "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/madoguchi_bench python manage.py bench_cases"
            )
        _create_database_if_missing(db_name)
        if options["consultations"] < 100:
            raise CommandError("--consultations must be at least 100")
        out = self.stdout.write
        if settings.DEBUG:
            out(
                self.style.WARNING(
                    "DEBUG is on: Django keeps every query in memory; timings run slower. Use DJANGO_DEBUG=0."
                )
            )

        quiet = io.StringIO()  # load_reference reports its counts even at verbosity 0
        if not db_name.startswith("test_"):
            call_command("migrate", verbosity=0, interactive=False, stdout=quiet)
            # Without REDIS_URL the cache is a table, as in `make run`: without it every
            # page would log that the unread count cannot be cached (and time that).
            call_command("createcachetable", verbosity=0, stdout=quiet)
        call_command("load_reference", verbosity=0, stdout=quiet)
        consortium = Consortium.objects.get(code="takahashi-river-basin")
        seed_staff(consortium=consortium, password=settings.DEMO_PASSWORD_DEFAULT)

        plan = bench.DatasetPlan(consultations=options["consultations"], seed=options["seed"])
        out(f"database: {db_name} — {connection.pg_version // 10000}.{connection.pg_version % 10000} "
            f"(server settings as configured), Django DEBUG={settings.DEBUG}")  # fmt: skip
        out("sessions and cache: " + ("Redis, as in production" if settings.REDIS_URL else
            "PostgreSQL (no REDIS_URL: every request also reads its session and cache from the database)"))  # fmt: skip
        if options["rebuild"]:
            bench.empty_consult_tables()
            out("emptied the consult tables")
        marker = bench.dataset_marker()
        if marker and marker.get("consultations") == plan.consultations and marker.get("seed") == plan.seed:
            out(f"dataset: reusing the one built {marker['built_at']} ({marker['build_seconds']} s to build)")
        elif marker:
            raise CommandError(
                f"this database holds a bench dataset of {marker.get('consultations'):,} consultations "
                f"(seed {marker.get('seed')}); pass --rebuild to replace it"
            )
        else:
            out(f"dataset: building {plan.consultations:,} consultations, {plan.cases:,} cases, "
                f"{plan.clients:,} clients …")  # fmt: skip
            started = time.monotonic()
            marker = bench.build_dataset(consortium=consortium, plan=plan, log=out)
            out(f"dataset: built in {time.monotonic() - started:.1f} s")
        counts = bench.table_counts()
        out("rows: " + ", ".join(f"{table.removeprefix('consult_')} {n:,}" for table, n in counts.items()))
        self._report_database()
        if options["build_only"]:
            return
        report = bench.run_benchmark(
            consortium=consortium,
            repeat=options["repeat"],
            warmup=options["warmup"],
            depth=options["depth"],
            full_size=counts["consult_consultation"] >= 1_000_000,
            log=out,
        )
        if not report.passed:
            self.stderr.write("some targets were missed (see FAIL above)")

    def _report_database(self) -> None:
        """Its size, and any index the planner may not use yet."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            self.stdout.write(f"database size: {cursor.fetchone()[0] / 1e9:.1f} GB")
        for index, pids in _indexes_not_usable_yet():
            self.stdout.write(
                self.style.WARNING(
                    f"index {index} is marked check-xmin and older transactions are open (pids {pids}):"
                    " the planner cannot use it until they end — searches would measure sequential scans"
                )
            )


def _create_database_if_missing(name: str) -> None:
    """`make bench` works on a fresh machine: create the benchmark database."""
    from django.db.utils import OperationalError

    try:
        connection.ensure_connection()
    except OperationalError:
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")


def _indexes_not_usable_yet() -> list[tuple[str, list[int]]]:
    """Indexes of the bench tables that PostgreSQL keeps from the planner
    while a transaction older than them is open anywhere on the cluster
    (pg_index.indcheckxmin: built over broken HOT chains) — a long build
    in another database is enough (docs/benchmarks/cases-10m-2026-11-30.md)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, array_agg(DISTINCT a.pid ORDER BY a.pid)
            FROM pg_index i
            JOIN pg_class t ON t.oid = i.indrelid
            JOIN pg_stat_activity a
              ON a.pid <> pg_backend_pid()
             AND age(coalesce(a.backend_xid, a.backend_xmin)) > age(i.xmin)
            WHERE i.indcheckxmin AND t.relname = ANY(%s)
            GROUP BY 1 ORDER BY 1
            """,
            [list(BENCH_TABLES)],
        )
        return cursor.fetchall()
