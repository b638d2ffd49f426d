"""The statistics benchmark behind ``manage.py bench_reports`` (issue 11).

Reuses the case-list benchmark's dataset builder (demo/bench/dataset.py: set-based
SQL, default 1,000,000 consultations over four years), fills the "what was
true then" snapshots and rebuilds the aggregates, then measures:

* the dashboard and the grant report (XLSX) for the latest complete fiscal
  year, as real requests through Django's test client signed in as the hub
  coordinator — median and p95 (nearest rank);
* CSV and XLSX export of N consultation rows through reports/writers.py —
  rows/s and peak memory.  Each export runs in a forked child process, so
  its peak RSS (ru_maxrss) is its own; the rows stream from a server-side
  cursor, so memory must not grow with N.
"""

from __future__ import annotations

import math
import os
import resource
import statistics
import tempfile
import time
from collections.abc import Callable

from django.db import connection

from consult.models import Consultation
from reports.aggregates import rebuild_all
from reports.streaming import LocalText, keyset_rows
from reports.writers import write_csv, write_xlsx

EXPORT_HEADER = ["id", "occurred_at", "desk", "channel", "language", "interpretation", "minutes", "outcome"]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def prepare(log: Callable[[str], None]) -> None:
    from consult.snapshots import consultation_snapshots_fill

    started = time.monotonic()
    changed = consultation_snapshots_fill()
    log(f"snapshots: {changed:,} rows filled in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    rebuild_all()
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE reports_consultationcount; ANALYZE reports_topiccount; "
            "ANALYZE reports_dimensioncount; ANALYZE reports_casecount"
        )
        cursor.execute("SELECT count(*) FROM reports_consultationcount")
        n = cursor.fetchone()[0]
    log(f"aggregates: {n:,} rows rebuilt in {time.monotonic() - started:.1f} s")


def time_requests(user, path: str, *, repeat: int, warmup: int) -> list[float]:
    from django.conf import settings
    from django.test import override_settings

    # As demo/bench/measure.py: the test client's host, and static URLs without collectstatic.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], STORAGES=storages):
        return _time_requests(user, path, repeat=repeat, warmup=warmup)


def _time_requests(user, path: str, *, repeat: int, warmup: int) -> list[float]:
    from demo.bench.signin import signed_in_client

    client = signed_in_client(user)
    for _ in range(warmup):
        assert client.get(path, secure=True).status_code == 200
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path, secure=True)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, path
    return times


def _rows(limit: int):
    """The rows as an exporter reads them (reports/streaming.py): keyset
    pages of values_list tuples, the date formatted by PostgreSQL."""
    qs = Consultation.objects.annotate(occurred=LocalText("occurred_at"))
    return keyset_rows(
        qs,
        "pk",
        "occurred",
        "desk_id",
        "channel",
        "language_id",
        "interpretation_mode",
        "minutes",
        "outcome",
        limit=limit,
    )


def _export_in_child(kind: str, limit: int) -> tuple[int, float, int]:
    """(rows, seconds, peak RSS in KiB) of one export, run in a fork."""
    read_fd, write_fd = os.pipe()
    connection.close()  # the child opens its own connection
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        code = 0
        try:
            with tempfile.TemporaryDirectory() as tmp:
                started = time.perf_counter()
                if kind == "csv":
                    with open(os.path.join(tmp, "x.csv"), "w", encoding="utf-8", newline="") as out:
                        rows = write_csv(out, EXPORT_HEADER, _rows(limit))
                else:
                    rows = write_xlsx(os.path.join(tmp, "x.xlsx"), EXPORT_HEADER, _rows(limit))
                seconds = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            os.write(write_fd, f"{rows} {seconds} {peak}".encode())
        except BaseException:  # noqa: BLE001 - report any failure as exit code
            code = 1
        finally:
            os.close(write_fd)
            os._exit(code)
    os.close(write_fd)
    with os.fdopen(read_fd) as fh:
        text = fh.read()
    _pid, status = os.waitpid(pid, 0)
    if status != 0 or not text:
        raise RuntimeError(f"{kind} export of {limit} rows failed in the child")
    rows, seconds, peak = text.split()
    return int(rows), float(seconds), int(peak)


def run(
    *, user, fiscal_year: int, repeat: int, warmup: int, export_sizes: list[int], log: Callable[[str], None]
) -> bool:
    ok = True
    for label, path in (
        ("dashboard", f"/reports/?fy={fiscal_year}"),
        ("grant report (XLSX)", f"/reports/grant/?fy={fiscal_year}"),
    ):
        times = time_requests(user, path, repeat=repeat, warmup=warmup)
        passed = p95(times) <= 300
        ok &= passed
        log(
            f"{label:22} FY{fiscal_year}: median {statistics.median(times):7.1f} ms, p95 {p95(times):7.1f} ms "
            f"({repeat} requests)  target p95 <= 300 ms: {'ok' if passed else 'FAIL'}"
        )
    peaks: dict[str, list[int]] = {"csv": [], "xlsx": []}
    for size in export_sizes:
        for kind, target in (("csv", 30_000), ("xlsx", 10_000)):
            rows, seconds, peak = _export_in_child(kind, size)
            rate = rows / seconds if seconds else 0
            passed = rate >= target
            ok &= passed
            peaks[kind].append(peak)
            log(
                f"{kind.upper():4} export {rows:>9,} rows: {seconds:7.1f} s, {rate:9,.0f} rows/s, "
                f"peak RSS {peak / 1024:6.1f} MiB  target >= {target:,} rows/s: {'ok' if passed else 'FAIL'}"
            )
    for kind, values in peaks.items():
        if len(values) > 1:
            spread = (max(values) - min(values)) / min(values)
            passed = spread <= 0.10
            ok &= passed
            log(
                f"{kind.upper()} peak memory spread across sizes: {spread:.1%}  target <= 10 %: {'ok' if passed else 'FAIL'}"
            )
    return ok
