"""What the nightly retention run touches (issue 12 point 11).

    python manage.py retention            # dry run: what the next run would anonymise
    python manage.py retention --apply    # run it now (as the nightly task does)

Prints counts and cutoffs only, never personal data."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from core.retention import audit_expired_partitions, retention_plan, retention_run


class Command(BaseCommand):
    help = "Show (or, with --apply, do) what retention anonymises: per record class, the records past their years."

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="anonymise now instead of only reporting")

    def handle(self, *args, apply: bool = False, **options):
        lines = retention_run() if apply else retention_plan()
        verb = "anonymised" if apply else "would anonymise"
        for line in lines:
            cutoff = timezone.localtime(line.cutoff).date().isoformat()
            self.stdout.write(f"{line.key}: {line.years} years, before {cutoff}: {verb} {line.records} record(s)")
        if not apply:
            for part in audit_expired_partitions():
                self.stdout.write(f"  audit partition {part.name} ({part.rows} rows) would be dropped")
