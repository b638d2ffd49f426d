"""Synthetic demo staff for every role, and demo consultations (never real people).

    manage.py seed_demo                       # demo staff only (idempotent)
    manage.py seed_demo --cases 500           # … and top up to 500 demo consultations
    manage.py seed_demo --cases 500 --seed 7  # other synthetic people and dates

`--cases N` is a target, not an increment: the n-th demo consultation has a
fixed intake token, so running the command again with the same N adds
nothing, and a larger N adds only the difference (`make run` seeds on every
start).  With the same seed on the same day the rows are the same; the
dates are relative to today (the current and the previous fiscal year).
The staff come from demo/staff.py, the consultations from demo/cases.py.
"""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from demo.cases import seed_demo_cases
from demo.staff import seed_staff
from municipalities.models import Consortium


class Command(BaseCommand):
    help = (
        "Create synthetic demo staff for every role (idempotent) and, with --cases N, top the demo "
        "consultations up to N. Demo only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=None,
            help=f"password for every demo user, also reset on existing ones (new users get "
            f"{settings.DEMO_PASSWORD_DEFAULT!r} when it is not given)",
        )
        parser.add_argument("--consortium", default=None, help="consortium code (default: the first)")
        parser.add_argument(
            "--cases",
            type=int,
            default=0,
            metavar="N",
            help="make sure N synthetic demo consultations exist (a target: a second run with the same N adds none)",
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed of the demo consultations")

    def handle(self, *args, **options):
        call_command("load_reference", verbosity=0)
        # Checking 22 password hashes costs ~10 s, so existing demo users keep
        # their password unless --password asks for a reset.
        password = options["password"] or settings.DEMO_PASSWORD_DEFAULT
        reset = options["password"] is not None
        consortium = (
            Consortium.objects.get(code=options["consortium"]) if options["consortium"] else Consortium.objects.first()
        )
        with transaction.atomic():
            created = seed_staff(consortium=consortium, password=password, reset_passwords=reset)
        self.stdout.write(
            self.style.SUCCESS(f"Demo staff ready ({created} new). Password for every demo user: {password}")
        )
        hub = consortium.hub_municipality
        self.stdout.write(f"  admin, coordinator-{hub.code}, staff-{hub.code}, clerk-<code>, stats-<code>")
        if options["cases"] > 0:
            started = time.monotonic()
            result = seed_demo_cases(consortium=consortium, target=options["cases"], seed=options["seed"])
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo consultations: {result.existing} already there, {result.added} added "
                    f"({result.cases} cases, {result.clients} clients, {result.follow_ups} follow-ups) "
                    f"in {time.monotonic() - started:.1f} s."
                )
            )
