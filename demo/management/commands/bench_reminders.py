"""Reminders at volume (issue 10): with 100,000 reminders pending for later
and 10,000 due now, how long the claim query takes and how long one worker
takes to dispatch every due one.

    createdb -h 127.0.0.1 -U postgres madoguchi_bench_reminders
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/madoguchi_bench_reminders \\
    REDIS_URL=redis://127.0.0.1:6379/0 SECRET_KEY=bench-only \\
    python manage.py bench_reminders

Targets: claim query ≤ 20 ms with an index (no sequential scan in its plan);
10,000 due reminders dispatched by one worker in ≤ 30 s.  The worker is a
real `celery worker --pool=solo` process on a queue of its own; the mail
backend is Django's in-memory one (the cost of rendering and building each
Japanese/English message is measured, an SMTP relay's is not).

Refuses a database whose name does not contain "bench".
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import override_settings
from django.utils import timezone

from consult.models import Case, FollowUp
from demo.bench import dataset as bench
from municipalities.models import Desk
from notifications import services
from notifications.models import Channel, Notification, State

ROOT = Path(__file__).resolve().parents[3]
PREFIX = "bench-reminders"


class Command(BaseCommand):
    help = "Benchmark: claim query and one worker's dispatch time for due reminders."

    def add_arguments(self, parser):
        parser.add_argument("--pending", type=int, default=100_000, help="reminders pending for later")
        parser.add_argument("--due", type=int, default=10_000, help="reminders due now")
        parser.add_argument("--recipients", type=int, default=100)
        parser.add_argument("--claim-runs", type=int, default=20)
        parser.add_argument(
            "--concurrency",
            type=int,
            default=1,
            help="processes of the one worker (1: --pool=solo; more: the prefork pool)",
        )
        parser.add_argument(
            "--in-process", action="store_true", help="dispatch in this process instead of a Celery worker"
        )

    def handle(self, *args, **options):
        db_name = connection.settings_dict["NAME"]
        if not bench.is_benchmark_database(db_name):
            raise CommandError(f"database {db_name!r} does not look like a benchmark database (no 'bench' in it)")
        self.out = lambda text="": self.stdout.write(text)
        self.out(f"bench_reminders on {db_name}: {options['pending']:,} pending later, {options['due']:,} due now")
        if not Desk.objects.exists():
            call_command("load_reference", verbosity=0)
        started = time.perf_counter()
        self.build(options)
        self.out(f"dataset built in {time.perf_counter() - started:.1f} s")
        self.claim_benchmark(options["claim_runs"])
        # Sending respects office hours; the benchmark sends around the clock,
        # here and in the worker (NOTIFICATIONS_OFFICE_HOURS_ONLY=0 there).
        with override_settings(NOTIFICATIONS_OFFICE_HOURS_ONLY=False):
            if options["in_process"] or not settings.CELERY_BROKER_URL.startswith("redis"):
                self.dispatch_in_process(options["due"])
            else:
                self.dispatch_with_worker(options["due"], options["concurrency"])

    # --- dataset ----------------------------------------------------------------
    def build(self, options):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        with transaction.atomic():
            old_users = User.objects.filter(username__startswith=f"{PREFIX}-")
            Notification.objects.filter(recipient__in=old_users).delete()
            FollowUp.objects.filter(case__reference__startswith="BENCH-R-").delete()
            Case.objects.filter(reference__startswith="BENCH-R-").delete()
        desk = Desk.objects.get(code="KRS")
        users = []
        for i in range(options["recipients"]):
            user, _ = User.objects.get_or_create(
                username=f"{PREFIX}-{i}",
                defaults={"email": f"{PREFIX}-{i}@example.invalid", "ui_language": "ja" if i % 4 else "en"},
            )
            users.append(user)
        today = timezone.localdate()
        cases = Case.objects.bulk_create(
            [
                Case(reference=f"BENCH-R-{i:05d}", handling_desk=desk, assignee=user, created_by=user, title="bench")
                for i, user in enumerate(users)
            ]
        )
        follow_ups = FollowUp.objects.bulk_create(
            [
                FollowUp(
                    case=cases[i % len(cases)],
                    assignee=users[i % len(users)],
                    created_by=users[i % len(users)],
                    due_date=today,
                    note=f"合成データ: 電話で確認する {i}",
                )
                for i in range(options["due"])
            ],
            batch_size=5000,
        )
        from django.contrib.contenttypes.models import ContentType

        content_type = ContentType.objects.get_for_model(FollowUp)
        now = timezone.now()
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=fu.assignee_id,
                    kind="consult.follow_up_due",
                    content_type=content_type,
                    object_id=fu.pk,
                    desk=desk,
                    occurrence_key=f"follow_up_due:{fu.pk}:{today.isoformat()}",
                    channel=Channel.EMAIL,
                    visible_at=now,
                    due_at=now - timedelta(seconds=1 + i % 600),
                )
                for i, fu in enumerate(follow_ups)
            ],
            batch_size=5000,
        )
        # Pending for later: due over the next 90 days, spread over the recipients.
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO notifications_notification
                    (recipient_id, kind, content_type_id, object_id, desk_id, occurrence_key, channel, state,
                     visible_at, due_at, attempts, failure, created_at)
                SELECT (%(user_ids)s::bigint[])[1 + g %% %(n_users)s], 'consult.follow_up_due', %(ct)s,
                       (%(fu_ids)s::bigint[])[1 + g %% %(n_fu)s], %(desk)s,
                       'bench-later:' || %(run)s || ':' || g, 'email', 'pending',
                       now() + interval '1 minute' * (1 + g %% (90 * 24 * 60)),
                       now() + interval '1 minute' * (1 + g %% (90 * 24 * 60)),
                       0, '', now()
                  FROM generate_series(1, %(pending)s) AS g
                """,
                {
                    "user_ids": [u.pk for u in users],
                    "n_users": len(users),
                    "fu_ids": [fu.pk for fu in follow_ups[:1000]] or [0],
                    "n_fu": max(1, min(1000, len(follow_ups))),
                    "ct": content_type.pk,
                    "desk": desk.pk,
                    "run": uuid.uuid4().hex[:8],
                    "pending": options["pending"],
                },
            )
            # VACUUM sets the visibility map (index-only work); it cannot run
            # inside a transaction (a test), where ANALYZE is enough.
            table = "notifications_notification"
            cursor.execute(f"ANALYZE {table}" if connection.in_atomic_block else f"VACUUM ANALYZE {table}")
        counts = dict(
            Notification.objects.filter(state=State.PENDING)
            .values_list("state")
            .annotate(n=Count("id"))
            .values_list("state", "n")
        )
        due = Notification.objects.filter(state=State.PENDING, due_at__lte=timezone.now()).count()
        self.out(f"pending rows: {counts.get(State.PENDING, 0):,} (due now: {due:,})")

    # --- the claim query ----------------------------------------------------------
    def claim_benchmark(self, runs: int):
        timings = []
        with connection.cursor() as cursor:
            for _ in range(runs):
                with transaction.atomic():
                    start = time.perf_counter()
                    cursor.execute(services.CLAIM_SQL, {"now": timezone.now(), "limit": services.CLAIM_BATCH})
                    claimed = len(cursor.fetchall())
                    timings.append((time.perf_counter() - start) * 1000)
                    transaction.set_rollback(True)
            with transaction.atomic():
                cursor.execute(
                    "EXPLAIN (ANALYZE, BUFFERS) " + services.CLAIM_SQL,
                    {"now": timezone.now(), "limit": services.CLAIM_BATCH},
                )
                plan = "\n".join(row[0] for row in cursor.fetchall())
                transaction.set_rollback(True)
        median, worst = statistics.median(timings), max(timings)
        seq_scan = "Seq Scan" in plan
        self.out("")
        self.out(
            f"claim query (UPDATE … WHERE id = ANY(ARRAY(SELECT … FOR UPDATE SKIP LOCKED LIMIT "
            f"{services.CLAIM_BATCH}))), {runs} runs:"
        )
        self.out(f"  claimed {claimed} rows per run; median {median:.1f} ms, max {worst:.1f} ms (target ≤ 20 ms)")
        self.out(f"  index used: {'notification_pending_due_idx' in plan}; sequential scan: {seq_scan}")
        self.out("  plan:")
        for line in plan.splitlines():
            self.out(f"    {line}")
        self.claim_ok = median <= 20 and not seq_scan

    # --- dispatch -------------------------------------------------------------------
    def _due_ids(self) -> list[int]:
        ids = []
        while True:
            batch = services.notification_claim_due()
            if not batch:
                return ids
            ids += batch

    def dispatch_in_process(self, due: int):
        from django.core.mail.backends.locmem import EmailBackend

        from notifications.tasks import SEND_BATCH

        connection_ = EmailBackend()
        start = time.perf_counter()
        ids = self._due_ids()
        for i in range(0, len(ids), SEND_BATCH):
            chunk = ids[i : i + SEND_BATCH]
            batch = services.DeliveryBatch(chunk)
            for pk in chunk:
                services.notification_deliver(notification_id=pk, mail_connection=connection_, batch=batch)
        self.report_dispatch(time.perf_counter() - start, "in this process (no broker)")

    def dispatch_with_worker(self, due: int, concurrency: int):
        from notifications.tasks import SEND_BATCH, send_notifications

        queue = f"bench-reminders-{uuid.uuid4().hex[:8]}"
        env = {
            **os.environ,
            "CELERY_QUEUE": queue,
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "NOTIFICATIONS_OFFICE_HOURS_ONLY": "0",
            "LOG_LEVEL": "WARNING",
        }
        log_path = Path(settings.DATA_DIR) / f"{queue}.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("w") as log:
            worker = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue, "-n", f"{queue}@%h",
                 *(["--pool=solo"] if concurrency == 1 else ["--pool=prefork", f"--concurrency={concurrency}"]),
                 "--without-gossip", "--without-mingle", "--loglevel=INFO"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while "ready." not in log_path.read_text():
                if worker.poll() is not None or time.monotonic() > deadline:
                    raise CommandError(f"the worker did not start:\n{log_path.read_text()[-2000:]}")
                time.sleep(0.2)
            start = time.perf_counter()
            ids = self._due_ids()
            claimed_in = time.perf_counter() - start
            for i in range(0, len(ids), SEND_BATCH):
                send_notifications.apply_async(args=[ids[i : i + SEND_BATCH]], queue=queue, routing_key=queue)
            # Claimed rows not yet sent: a count on the small partial index.
            while Notification.objects.filter(state=State.CLAIMED).exists():
                if worker.poll() is not None:
                    raise CommandError(f"the worker died:\n{log_path.read_text()[-2000:]}")
                time.sleep(0.2)
            self.out("")
            self.out(f"claimed {len(ids):,} due rows in {claimed_in * 1000:.0f} ms")
            pool = "--pool=solo" if concurrency == 1 else f"--pool=prefork --concurrency={concurrency}"
            self.report_dispatch(time.perf_counter() - start, f"one Celery worker ({pool}) via Redis")
        finally:
            worker.terminate()
            worker.wait(30)

    def report_dispatch(self, seconds: float, how: str):
        states = dict(
            Notification.objects.filter(recipient__username__startswith=f"{PREFIX}-", due_at__lte=timezone.now())
            .values_list("state")
            .annotate(n=Count("id"))
            .values_list("state", "n")
        )
        sent = states.get(State.SENT, 0)
        self.out(f"dispatch, {how}: {sent:,} sent in {seconds:.1f} s ({sent / seconds:,.0f}/s; target ≤ 30 s)")
        self.out(f"states of the due rows: {states}")
        verdict = "PASS" if self.claim_ok and seconds <= 30 and sent > 0 else "FAIL"
        self.out(f"result: {verdict}")
