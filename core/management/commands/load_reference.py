from django.core.management.base import BaseCommand

from core.reference import load_reference_data


class Command(BaseCommand):
    help = "Load the shipped reference data (municipalities, desks, languages, topics, statuses, organisations). Idempotent."

    def handle(self, *args, **options):
        report = load_reference_data()
        for label in sorted(report.created):
            self.stdout.write(f"{label}: {report.created[label]} created, {report.updated[label]} updated")
        if not report.changed:
            self.stdout.write("reference data already up to date")
