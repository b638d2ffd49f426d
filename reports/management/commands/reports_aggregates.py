"""Check the statistics aggregates against a recount of the raw rows, and
repair them:  manage.py reports_aggregates [--repair]"""

from django.core.management.base import BaseCommand

from reports.aggregates import rebuild_all, reconcile


class Command(BaseCommand):
    help = "Reconcile the statistics aggregates with the raw consultations; --repair rebuilds them."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="rebuild every aggregate from the raw rows")

    def handle(self, *args, **options):
        problems = reconcile()
        for row in problems[:20]:
            self.stdout.write(f"  differs: {row}")
        if not problems:
            self.stdout.write(self.style.SUCCESS("Aggregates match the raw consultations."))
            return
        self.stdout.write(self.style.WARNING(f"{len(problems)} aggregate rows differ from the raw consultations."))
        if options["repair"]:
            rebuild_all()
            left = reconcile()
            self.stdout.write(
                self.style.SUCCESS("Repaired.") if not left else self.style.ERROR(f"{len(left)} still differ.")
            )
            if left:
                raise SystemExit(1)
        else:
            raise SystemExit(1)
