"""Benchmark suggestions and "who can help now" (issue 8): ≤ 50 ms p95 with
200 interpreters and 100,000 bookings.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/madoguchi_bench \\
    SECRET_KEY=bench-only DJANGO_DEBUG=0 python manage.py bench_interpreters

Builds the dataset in the CURRENT database the first time (the interpreters
are named "BENCH …" and their bookings belong to them; nothing else is
touched) and reuses it afterwards; then times the two selectors as a view
calls them, for a hub counter-staff member.  It refuses a database whose
name does not contain "bench", so it never fills a development database.
"""

from __future__ import annotations

import io
import os
import random
import statistics
import time
from datetime import datetime, timedelta
from datetime import time as clock
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from consult.models import Language
from interpreters import selectors
from interpreters.models import Booking, Interpreter, InterpreterLanguage, WeeklySlot
from municipalities.models import Consortium, Desk, Membership

PREFIX = "BENCH "
BENCH_USER = "bench-interpreters-staff"  # requests every bench booking; the bookings are found by it
TARGET_MS = 50.0
MODALITIES = ["onsite", "video", "phone", "three_way"]


def _create_database_if_missing(name: str) -> None:
    from django.db.utils import OperationalError

    try:
        connection.ensure_connection()
    except OperationalError:
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Build (or reuse) 200 interpreters and 100,000 bookings, then time suggestions and who-can-help-now."

    def add_arguments(self, parser):
        parser.add_argument("--interpreters", type=int, default=200)
        parser.add_argument("--bookings", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=200, help="timed calls per scenario (default 200)")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--rebuild", action="store_true", help="delete the BENCH roster and build again")
        parser.add_argument("--allow-any-database", action="store_true")

    def handle(self, *args, **options):
        db_name = connection.settings_dict["NAME"]
        if not (options["allow_any_database"] or "bench" in db_name or db_name.startswith("test_")):
            raise CommandError(f"database {db_name!r} does not look like a benchmark database (name without 'bench')")
        _create_database_if_missing(db_name)
        out = self.stdout.write
        if settings.DEBUG:
            out(self.style.WARNING("DEBUG is on: Django keeps every query in memory; use DJANGO_DEBUG=0."))
        quiet = io.StringIO()
        if not db_name.startswith("test_"):
            call_command("migrate", verbosity=0, interactive=False, stdout=quiet)
        call_command("load_reference", verbosity=0, stdout=quiet)
        consortium = Consortium.objects.get(code="takahashi-river-basin")
        rng = random.Random(options["seed"])
        out(f"database: {db_name}, PostgreSQL {connection.pg_version // 10000}, DEBUG={settings.DEBUG}")

        roster = Interpreter.objects.filter(consortium=consortium, name__startswith=PREFIX)
        if options["rebuild"]:
            Booking.objects.filter(requested_by__username=BENCH_USER).delete()
            roster.delete()
        have = (roster.count(), Booking.objects.filter(requested_by__username=BENCH_USER).count())
        if have == (options["interpreters"], options["bookings"]):
            out(f"dataset: reusing {have[0]} interpreters and {have[1]:,} bookings")
        elif have != (0, 0):
            raise CommandError(f"this database holds {have[0]} BENCH interpreters, {have[1]:,} bookings; use --rebuild")
        else:
            started = time.monotonic()
            self._build(consortium, options["interpreters"], options["bookings"], rng)
            with connection.cursor() as cursor:
                cursor.execute(
                    "ANALYZE interpreters_booking, interpreters_interpreter, interpreters_interpreterlanguage"
                )
            out(f"dataset: built in {time.monotonic() - started:.1f} s")
        out(
            f"rows: interpreters {Interpreter.objects.count():,}, bookings {Booking.objects.count():,}, "
            f"languages of interpreters {InterpreterLanguage.objects.count():,}, weekly slots {WeeklySlot.objects.count():,}"
        )
        self._measure(consortium, options["repeat"], rng)

    # --- the dataset ------------------------------------------------------------------
    def _build(self, consortium, n_interpreters: int, n_bookings: int, rng: random.Random) -> None:
        languages = list(Language.objects.exclude(code__startswith="ja"))
        desks = list(Desk.objects.filter(municipality__consortium=consortium))
        user = self._bench_user(consortium)
        buffer = int(getattr(settings, "INTERPRETER_TRAVEL_BUFFER_MINUTES", 30))
        with transaction.atomic():
            interpreters = []
            for n in range(n_interpreters):
                kind = "remote_service" if n % 20 == 0 else ("counsellor" if n % 5 == 0 else "interpreter")
                interpreters.append(
                    Interpreter(
                        consortium=consortium,
                        kind=kind,
                        is_remote_service=kind == "remote_service",
                        name=f"{PREFIX}{n:03d}",
                        modalities=sorted(rng.sample(MODALITIES, rng.randint(1, 4)))
                        if kind != "counsellor"
                        else ["onsite", "phone"],
                        rate_per_minute=Decimal(0 if kind == "counsellor" else rng.choice([40, 50, 60, 110])),
                        business_days_only=rng.random() < 0.8,
                    )
                )
            Interpreter.objects.bulk_create(interpreters)
            rows, slots = [], []
            for interpreter in interpreters:
                spoken = rng.sample(languages, 12 if interpreter.is_remote_service else rng.randint(1, 3))
                rows += [
                    InterpreterLanguage(interpreter=interpreter, language=lang, level=rng.randint(1, 3))
                    for lang in spoken
                ]
                for weekday in range(7 if interpreter.is_remote_service else 5):
                    if rng.random() < 0.8:
                        slots.append(
                            WeeklySlot(
                                interpreter=interpreter,
                                weekday=weekday,
                                starts=clock(rng.choice([8, 9, 10]), 30 if rng.random() < 0.5 else 0),
                                ends=clock(rng.choice([15, 16, 17]), 15 if rng.random() < 0.5 else 0),
                            )
                        )
            InterpreterLanguage.objects.bulk_create(rows)
            WeeklySlot.objects.bulk_create(slots)
        spoken_by = {}
        for row in rows:
            spoken_by.setdefault(row.interpreter_id, []).append(row.language_id)
        # Bookings from two years ago to one year ahead.  A person's bookings
        # follow one another with at least twice the travel buffer between
        # them, so the exclusion constraint holds; services overlap freely.
        tz = timezone.get_current_timezone()
        today = timezone.localdate()
        first_day = today - timedelta(days=730)
        per_interpreter = n_bookings // n_interpreters
        batch: list[Booking] = []
        made = 0
        for index, interpreter in enumerate(interpreters):
            count = per_interpreter + (1 if index < n_bookings - per_interpreter * n_interpreters else 0)
            moment = datetime.combine(first_day, clock(9), tzinfo=tz)
            step_days = 1095 / max(count, 1)
            for k in range(count):
                day = first_day + timedelta(days=int(k * step_days))
                start = datetime.combine(day, clock(rng.choice([9, 10, 11, 13, 14, 15])), tzinfo=tz)
                if start < moment:
                    start = moment
                minutes = rng.choice([30, 45, 60, 90])
                modality = rng.choice(interpreter.modalities)
                ends = start + timedelta(minutes=minutes)
                moment = ends + timedelta(minutes=2 * buffer + 15)
                past = ends.date() < today
                status = (
                    rng.choices(["completed", "cancelled", "no_show"], [85, 10, 5])[0]
                    if past
                    else rng.choices(["confirmed", "requested", "cancelled"], [70, 20, 10])[0]
                )
                holds = status != "requested"
                actual = minutes + rng.randint(-10, 10) if status == "completed" else None
                rate = interpreter.rate_per_minute
                batch.append(
                    Booking(
                        desk=rng.choice(desks),
                        language_id=rng.choice(spoken_by[interpreter.pk]),
                        modality=modality,
                        starts_at=start,
                        ends_at=ends,
                        interpreter=interpreter if holds else None,
                        interpreter_is_remote=interpreter.is_remote_service if holds else False,
                        travel_buffer_minutes=buffer if modality == "onsite" else 0,
                        status=status,
                        cancel_reason="bench" if status == "cancelled" else "",
                        actual_minutes=actual,
                        rate_per_minute=rate if actual else None,
                        cost=rate * actual if actual else None,
                        attributed_municipality_id=rng.choice(desks).municipality_id if actual else None,
                        requested_by=user,
                    )
                )
                if len(batch) >= 5000:
                    Booking.objects.bulk_create(batch)
                    made += len(batch)
                    batch = []
                    self.stdout.write(f"  bookings: {made:,}")
        Booking.objects.bulk_create(batch)

    def _bench_user(self, consortium):
        user, _ = get_user_model().objects.get_or_create(username=BENCH_USER, defaults={"display_name": "Bench staff"})
        hub = consortium.hub_municipality
        Membership.objects.get_or_create(
            user=user, municipality=hub, role="counter_staff", defaults={"desk": hub.desks.filter(is_hub=True).first()}
        )
        return user

    # --- the measurements -----------------------------------------------------------------
    def _measure(self, consortium, repeat: int, rng: random.Random) -> None:
        out = self.stdout.write
        user = self._bench_user(consortium)
        languages = list(
            Language.objects.filter(pk__in=InterpreterLanguage.objects.values("language_id").distinct()).order_by("pk")
        )
        tz = timezone.get_current_timezone()
        today = timezone.localdate()

        def a_moment():
            day = today + timedelta(days=rng.randint(-365, 180))
            return datetime.combine(day, clock(rng.choice([9, 10, 11, 13, 14, 15, 16]), rng.choice([0, 30])), tzinfo=tz)

        def suggest():
            starts = a_moment()
            result = selectors.suggestions(
                consortium_id=consortium.pk,
                language=rng.choice(languages),
                modality=rng.choice(MODALITIES),
                starts_at=starts,
                ends_at=starts + timedelta(minutes=60),
                user=user,
            )
            return len(result.offered) + len(result.not_offered)

        def now():
            # "Now" at a random working moment, past or coming, for a fresh user
            # object (as each request has): memberships are read again.
            fresh = get_user_model().objects.get(pk=user.pk)
            answers = selectors.who_can_help_now(user=fresh, language=rng.choice(languages), now=a_moment())
            return sum(len(a.available) for a in answers)

        passed = True
        for label, call in (("suggestions", suggest), ("who can help now", now)):
            for _ in range(10):
                call()
            timings, cpu, sizes = [], [], []
            load_before = os.getloadavg()[0]
            for _ in range(repeat):
                started, started_cpu = time.perf_counter(), time.process_time()
                sizes.append(call())
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            p95 = _percentile(timings, 0.95)
            ok = p95 <= TARGET_MS
            passed &= ok
            out(
                f"{label:>17}: p50 {statistics.median(timings):6.1f} ms, p95 {p95:6.1f} ms, max {max(timings):6.1f} ms "
                f"over {repeat} calls (avg {statistics.mean(sizes):.1f} people considered/offered; Python CPU p95 "
                f"{_percentile(cpu, 0.95):.1f} ms; load average {load_before:.1f} → {os.getloadavg()[0]:.1f} "
                f"on {os.cpu_count()} CPUs) — "
                + (self.style.SUCCESS("PASS") if ok else self.style.ERROR(f"FAIL (target ≤ {TARGET_MS:.0f} ms p95)"))
            )
        self._explain(consortium, languages, a_moment)
        if not passed:
            self.stderr.write("some targets were missed")

    def _explain(self, consortium, languages, a_moment) -> None:
        """The plan of the one query that grows with the bookings: a person's
        holding bookings in the time window (btree index on interpreter, start)."""
        language = max(languages, key=lambda lang: InterpreterLanguage.objects.filter(language=lang).count())
        ids = list(
            InterpreterLanguage.objects.filter(language=language, interpreter__consortium=consortium).values_list(
                "interpreter_id", flat=True
            )
        )
        lo = a_moment()
        query = Booking.objects.filter(
            interpreter_id__in=ids, interpreter_is_remote=False, status__in=("confirmed", "completed")
        ).overlapping(lo - timedelta(hours=1), lo + timedelta(hours=2))
        plan = query.explain(analyze=True)
        self.stdout.write(f"EXPLAIN ANALYZE, holding bookings of the {len(ids)} {language.code} speakers in a window:")
        for line in plan.splitlines():
            self.stdout.write(f"  {line}")
