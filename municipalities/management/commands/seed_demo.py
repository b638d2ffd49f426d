"""Synthetic demo staff for every role, and demo consultations (never real people).

    manage.py seed_demo                       # demo staff only (idempotent)
    manage.py seed_demo --cases 500           # … and top up to 500 demo consultations
    manage.py seed_demo --cases 500 --seed 7  # other synthetic people and dates

`--cases N` is a target, not an increment: the n-th demo consultation has a
fixed intake token, so running the command again with the same N adds
nothing, and a larger N adds only the difference (`make run` seeds on every
start).  With the same seed on the same day the rows are the same; the
dates are relative to today (the current and the previous fiscal year).
The generator lives in consult/demo.py.
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from municipalities.models import Consortium, Desk, Membership, Municipality
from municipalities.roles import Role


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
            from consult.demo import seed_demo_cases

            started = time.monotonic()
            result = seed_demo_cases(consortium=consortium, target=options["cases"], seed=options["seed"])
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo consultations: {result.existing} already there, {result.added} added "
                    f"({result.cases} cases, {result.clients} clients, {result.follow_ups} follow-ups) "
                    f"in {time.monotonic() - started:.1f} s."
                )
            )
            from consult.demo_handoffs import seed_demo_handoffs

            handoffs = seed_demo_handoffs(consortium=consortium)
            self.stdout.write(f"Demo consents: {handoffs.consents}, hand-offs: {handoffs.handoffs} added.")


def _demo_user(
    username: str, *, password: str, display_name: str, email: str, superuser: bool = False, reset: bool = False
):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"display_name": display_name, "email": email, "is_staff": superuser, "is_superuser": superuser},
    )
    if created or (reset and not user.check_password(password)):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user, created


def _member(user, municipality: Municipality, role: str, desk: Desk | None) -> None:
    Membership.objects.get_or_create(user=user, municipality=municipality, role=role, defaults={"desk": desk})


def seed_staff(*, consortium: Consortium, password: str, reset_passwords: bool = False) -> int:
    hub = consortium.hub_municipality
    hub_desk = Desk.objects.filter(municipality=hub, is_hub=True).first()
    created_count = 0
    domain = "example.invalid"

    def _user(username: str, **kwargs):
        return _demo_user(username, password=password, reset=reset_passwords, **kwargs)

    admin, created = _user("admin", display_name="管理者（デモ）", email=f"admin@{domain}", superuser=True)
    created_count += created
    _member(admin, hub, Role.ADMINISTRATOR, None)

    for username, role, label in (
        (f"coordinator-{hub.code}", Role.COORDINATOR, "統括（デモ）"),
        (f"staff-{hub.code}", Role.COUNTER_STAFF, "相談員（デモ）"),
    ):
        user, created = _user(username, display_name=label, email=f"{username}@{domain}")
        created_count += created
        _member(user, hub, role, hub_desk)

    for municipality in consortium.municipalities.order_by("code"):
        desk = municipality.desks.order_by("code").first()
        if municipality.pk != hub.pk:
            user, created = _user(
                f"clerk-{municipality.code}",
                display_name=f"{municipality.name_ja} 担当（デモ）",
                email=f"clerk-{municipality.code}@{domain}",
            )
            created_count += created
            _member(user, municipality, Role.PARTNER_CLERK, desk)
        user, created = _user(
            f"stats-{municipality.code}",
            display_name=f"{municipality.name_ja} 統計（デモ）",
            email=f"stats-{municipality.code}@{domain}",
        )
        created_count += created
        _member(user, municipality, Role.STATISTICS_VIEWER, None)
    return created_count
