"""The portal over HTTP under a realistic mix (issue 13).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/madoguchi_bench REDIS_URL=redis://127.0.0.1:6379/0 \\
    SECRET_KEY=bench-only DJANGO_DEBUG=0 python manage.py bench_http

Needs the dataset of ``bench_cases`` in the same (benchmark) database and
wrk.  Starts gunicorn (config/gunicorn.py, DEBUG off), signs in as hub
counter staff and a partner clerk through the sign-in form, checks every
kind of page once, then drives the mix (demo/bench/http.py) at each
``--connections`` for ``--seconds``, printing requests/s, p50/p95/p99 and
errors.  Intake POSTs add consultations to the benchmark database.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo import bench
from demo.bench import http


class Command(BaseCommand):
    help = "Drive gunicorn with a mix of staff pages (wrk) and print throughput and latency percentiles."

    def add_arguments(self, parser):
        parser.add_argument("--connections", default="8,32,64", help="comma-separated wrk connection counts")
        parser.add_argument("--seconds", type=int, default=30, help="measured seconds per connection count")
        parser.add_argument("--warmup", type=int, default=10, help="unmeasured seconds before the first count")
        parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: config/gunicorn.py)")
        parser.add_argument("--threads", type=int, default=None, help="gunicorn threads per worker")
        parser.add_argument("--clerk-share", type=int, default=30, help="percent of requests by the partner clerk")
        parser.add_argument("--seed", type=int, default=13)
        parser.add_argument(
            "--static-root",
            default=str(Path(tempfile.gettempdir()) / "madoguchi-bench-static"),
            help="collectstatic target (built once)",
        )
        parser.add_argument(
            "--log",
            default=str(Path(tempfile.gettempdir()) / "madoguchi-bench-http-gunicorn.log"),
            help="gunicorn's output",
        )

    def handle(self, *args, **options):
        db_name = connection.settings_dict["NAME"]
        if not bench.is_benchmark_database(db_name):
            raise CommandError(f"database {db_name!r} is not a benchmark database (its name must contain 'bench')")
        if bench.dataset_marker() is None:
            raise CommandError("no bench dataset here: run `manage.py bench_cases --build-only` first")
        if settings.DEBUG:
            raise CommandError("run with DJANGO_DEBUG=0: the benchmark measures production settings")
        out = self.stdout.write
        levels = [int(n) for n in options["connections"].split(",") if n.strip()]
        rng = random.Random(options["seed"])
        users = get_user_model().objects
        hub_user, clerk_user = users.get(username=http.HUB_USER), users.get(username=http.CLERK_USER)

        port = http.free_port()
        static_root = Path(options["static_root"])
        env = {
            "DJANGO_DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_ROOT": str(static_root),
        }
        if not (static_root / "staticfiles.json").exists():
            out(f"collectstatic into {static_root} (once) …")
            http.collectstatic(env)
        server = http.Server(
            port=port, workers=options["workers"], threads=options["threads"], env=env, log=Path(options["log"])
        )
        try:
            server.wait_ready()
            password = settings.DEMO_PASSWORD_DEFAULT
            sessions = [http.sign_in(port, http.HUB_USER, password), http.sign_in(port, http.CLERK_USER, password)]
            for session, user in zip(sessions, (hub_user, clerk_user), strict=True):
                http.prepare(session, user, rng)
            problems = [p for s in sessions for p in http.check_paths(port, s)]
            if problems:
                raise CommandError("pages of the mix fail before the load:\n  " + "\n  ".join(problems))
            weights = [100 - options["clerk_share"], options["clerk_share"]]
            script = http.write_script(port, sessions, weights)
            out(self._header(options, levels, sessions))
            if options["warmup"]:
                http.run_wrk(port, script, connections=levels[0], seconds=options["warmup"])
            out(f"{'conns':>5} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
                f"{'requests':>9} {'errors':>6} {'cpu ms/req (web+db)':>20}  load average before → after")  # fmt: skip
            results = []
            for level in levels:
                before, cpu_before = http.load_average(), http.cpu_seconds(server.process.pid)
                result = http.run_wrk(port, script, connections=level, seconds=options["seconds"])
                result["load_before"], result["load_after"], result["connections"] = before, http.load_average(), level
                result["cpu"] = self._cpu_per_request(cpu_before, http.cpu_seconds(server.process.pid), result)
                results.append(result)
                out(f"{level:>5} {result['rps']:>8.1f} {result['p50']:>8.1f} {result['p95']:>8.1f} "
                    f"{result['p99']:>8.1f} {result['max']:>8.1f} {result['requests']:>9} {result['errors']:>6} "
                    f"{result['cpu']:>20}  {before} → {result['load_after']}")  # fmt: skip
                if result["errors"]:
                    out(f"      errors: http {result['http_errors']}, signed out {result['signed_out']}, "
                        f"socket {result['socket_errors']}, timeouts {result['timeouts']}")  # fmt: skip
            script.unlink()
        finally:
            server.stop()
        out(f"end {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} load average {http.load_average()}")

    @staticmethod
    def _cpu_per_request(before: dict | None, after: dict | None, result: dict) -> str:
        """CPU milliseconds per request over one level, "web+db=total" (the
        warm wrk run only), or "n/a" without /proc."""
        if not before or not after or not result["requests"]:
            return "n/a"
        web, db = ((after[k] - before[k]) * 1000 / result["requests"] for k in ("gunicorn", "postgres"))
        return f"{web:.1f}+{db:.1f}={web + db:.1f}"

    @staticmethod
    def _header(options, levels, sessions) -> str:
        import os

        workers = options["workers"] or os.environ.get("WEB_CONCURRENCY") or "config/gunicorn.py default"
        threads = options["threads"] or os.environ.get("GUNICORN_THREADS") or "config/gunicorn.py default"
        mix = ", ".join(f"{kind} {weight} %" for weight, kind in http.MIX)
        return (
            f"bench_http: gunicorn workers={workers} threads={threads}, DEBUG off, "
            f"database {connection.settings_dict['NAME']}, CONN_MAX_AGE={connection.settings_dict['CONN_MAX_AGE']}, "
            f"pool={'pool' in connection.settings_dict.get('OPTIONS', {})}\n"
            f"users: {sessions[0].username} {100 - options['clerk_share']} %, "
            f"{sessions[1].username} {options['clerk_share']} %; mix: {mix}\n"
            f"paths per user: " + ", ".join(f"{k} {len(v)}" for k, v in sessions[0].paths.items()) + "\n"
            f"wrk 2 threads, {options['seconds']} s per level after {options['warmup']} s warm-up; "
            f"load average at start {http.load_average()} (2 cores shared with other engineers)"
        )
