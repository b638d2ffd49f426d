"""manage.py bench_handoffs: the hand-off inbox at 1,000,000 consultations
with 100,000 hand-offs (issue 7).  Builds (or reuses) the bench_cases
dataset, adds the hand-offs once, then measures /handoffs/.  Only on a
database whose name contains "bench" (see bench_cases)."""

import io

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo.bench import handoffs as bench_handoffs
from demo.bench import is_benchmark_database


class Command(BaseCommand):
    help = "Benchmark the hand-off inbox on the bench dataset plus N hand-offs."

    def add_arguments(self, parser):
        parser.add_argument("--consultations", type=int, default=1_000_000)
        parser.add_argument("--handoffs", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument("--warmup", type=int, default=3)
        parser.add_argument("--allow-any-database", action="store_true")

    def handle(self, *args, **options):
        db_name = connection.settings_dict["NAME"]
        if not (options["allow_any_database"] or is_benchmark_database(db_name)):
            raise CommandError(f"database {db_name!r} does not look like a benchmark database")
        call_command(
            "bench_cases",
            consultations=options["consultations"],
            build_only=True,
            allow_any_database=options["allow_any_database"],
            stdout=self.stdout,
        )
        from municipalities.models import Consortium

        call_command("load_reference", verbosity=0, stdout=io.StringIO())
        consortium = Consortium.objects.get(code="takahashi-river-basin")
        existing = bench_handoffs.handoff_count()
        if existing == 0:
            seconds = bench_handoffs.build_handoffs(
                consortium=consortium, count=options["handoffs"], log=self.stdout.write
            )
            self.stdout.write(f"hand-offs: built in {seconds:.1f} s")
        else:
            self.stdout.write(f"hand-offs: reusing {existing:,}")
        self.stdout.write(f"Django DEBUG={settings.DEBUG}")
        if not bench_handoffs.run_inbox_benchmark(
            consortium=consortium, repeat=options["repeat"], warmup=options["warmup"], log=self.stdout.write
        ):
            self.stderr.write("some targets were missed (see FAIL above)")
