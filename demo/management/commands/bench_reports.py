"""Benchmark the statistics at 1,000,000 consultations (issue 11, targets).

    createdb -h 127.0.0.1 -U postgres madoguchi_reports_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/madoguchi_reports_bench \\
    SECRET_KEY=bench-only DJANGO_DEBUG=0 python manage.py bench_reports

Builds (or reuses) the case-list benchmark's dataset in the CURRENT database
(demo/bench/; refuses a database whose name lacks "bench"), fills the
snapshots, rebuilds the aggregates, and prints dashboard and grant-report
time (median, p95) and CSV/XLSX export time and peak memory (demo/bench/reports.py).

Lives in reports/ until the demo/ app lands on main (issue 6); it belongs in
demo/management/commands/ with the other bench_* commands.
"""

from __future__ import annotations

import io
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.fiscal import fiscal_year
from demo import bench as consult_bench


class Command(BaseCommand):
    help = "Time the statistics dashboard, the grant report and exports at 1,000,000 consultations."

    def add_arguments(self, parser):
        parser.add_argument("--consultations", type=int, default=1_000_000)
        parser.add_argument("--repeat", type=int, default=20)
        parser.add_argument("--warmup", type=int, default=2)
        parser.add_argument("--export-sizes", default="100000,1000000", help="comma-separated row counts")
        parser.add_argument("--allow-any-database", action="store_true")

    def handle(self, *args, **options):
        db_name = connection.settings_dict["NAME"]
        if not (options["allow_any_database"] or consult_bench.is_benchmark_database(db_name)):
            raise CommandError(
                f"database {db_name!r} does not look like a benchmark database (name must contain 'bench')"
            )
        out = self.stdout.write
        if settings.DEBUG:
            out(self.style.WARNING("DEBUG is on: timings run slower. Use DJANGO_DEBUG=0."))
        quiet = io.StringIO()
        if not db_name.startswith("test_"):
            call_command("migrate", verbosity=0, interactive=False, stdout=quiet)
        call_command("load_reference", verbosity=0, stdout=quiet)
        from accounts.models import User
        from demo.staff import seed_staff
        from municipalities.models import Consortium

        consortium = Consortium.objects.get(code="takahashi-river-basin")
        seed_staff(consortium=consortium, password=settings.DEMO_PASSWORD_DEFAULT, reset_passwords=False)
        plan = consult_bench.DatasetPlan(consultations=options["consultations"])
        marker = consult_bench.dataset_marker()
        if marker and marker.get("consultations") == plan.consultations:
            out(f"dataset: reusing the one built {marker['built_at']}")
        elif marker:
            raise CommandError(f"this database holds a bench dataset of {marker.get('consultations'):,} consultations")
        else:
            started = time.monotonic()
            consult_bench.build_dataset(consortium=consortium, plan=plan, log=out)
            out(f"dataset: built in {time.monotonic() - started:.1f} s")
        from demo.bench import reports as bench

        bench.prepare(out)
        user = User.objects.get(username=f"coordinator-{consortium.hub_municipality.code}")
        sizes = [int(s) for s in options["export_sizes"].split(",") if s]
        ok = bench.run(
            user=user,
            fiscal_year=fiscal_year() - 1,
            repeat=options["repeat"],
            warmup=options["warmup"],
            export_sizes=sizes,
            log=out,
        )
        if not ok:
            self.stderr.write("some targets were missed (see FAIL above)")
