"""The hand-off inbox benchmark behind ``manage.py bench_handoffs`` (issue 7).

On top of the case-list dataset of ``bench_cases`` (1,000,000 consultations),
:func:`build_handoffs` adds N hand-offs (default 100,000) set-wise in SQL:
random cases of the dataset, sent from their handling desk to the hub desk
(60 %) or to another desk of the consortium, in every status, spread over the
dataset's years.  The desk_ids trigger is switched off for the load and the
touched clients are refreshed set-wise afterwards.  :func:`run_inbox_benchmark`
measures /handoffs/ through Django's test client like the case list (same
budget: p95 ≤ 150 ms).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection, transaction

from demo.bench import measure as bench

HANDOFF_MARKER = "madoguchi-bench-handoffs"
BUDGET_MS = 150.0


def handoff_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM consult_handoff")
        return cursor.fetchone()[0]


def build_handoffs(*, consortium, count: int, seed: int = 2026, log: Callable[[str], None] = print) -> float:
    """Insert `count` synthetic hand-offs; returns the seconds it took."""
    from django.contrib.auth import get_user_model

    from municipalities.models import Desk

    hub_desk = Desk.objects.get(municipality=consortium.hub_municipality, is_hub=True)
    desk_ids = list(
        Desk.objects.filter(municipality__consortium=consortium).order_by("pk").values_list("pk", flat=True)
    )
    sender = get_user_model().objects.filter(username__startswith="staff-").order_by("pk").first()
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
        cursor.execute("ALTER TABLE consult_handoff DISABLE TRIGGER consult_handoff_client_desks")
        cursor.execute("SELECT min(id), max(id) FROM consult_case")
        low, high = cursor.fetchone()
        # One hand-off per picked case (the partial unique index allows one
        # pending hand-off per case and desk; distinct cases keep it simple),
        # 60 % of the partners' to the hub desk, the rest to a partner desk.
        cursor.execute(
            """
            WITH picked AS (
                SELECT DISTINCT %(low)s + floor(random() * (%(high)s - %(low)s + 1))::bigint AS case_id
                  FROM generate_series(1, %(oversample)s)
            ), shaped AS (
                SELECT c.id AS case_id, c.handling_desk_id AS from_desk, c.client_id, c.opened_at,
                       CASE WHEN c.handling_desk_id <> %(hub)s AND random() < 0.6 THEN %(hub)s
                            ELSE (%(partners)s::bigint[])[1 + floor(random() * %(npartners)s)::int] END AS to_desk,
                       random() AS r, random() AS r2
                  FROM (SELECT case_id FROM picked ORDER BY random() LIMIT %(draw)s) p
                  JOIN consult_case c ON c.id = p.case_id
            )
            INSERT INTO consult_handoff (case_id, kind, status, from_desk_id, to_desk_id, message, shares_client,
                shares_notes, shares_sensitive, basis, override_basis, decline_reason, sent_by_id, sent_at,
                answered_at, completed_at, answered_by_id, personal_data_stopped_at)
            SELECT case_id,
                   CASE WHEN r2 < 0.8 THEN 'referral' ELSE 'transfer' END,
                   CASE WHEN r < 0.15 THEN 'pending' WHEN r < 0.65 THEN 'accepted' WHEN r < 0.75 THEN 'declined'
                        WHEN r < 0.80 THEN 'cancelled' ELSE 'completed' END,
                   from_desk, to_desk, '', client_id IS NOT NULL, true, false,
                   CASE WHEN client_id IS NULL THEN 'not_needed' ELSE 'consent' END, '',
                   CASE WHEN r >= 0.65 AND r < 0.75 THEN 'bench' ELSE '' END,
                   %(sender)s, opened_at + interval '1 hour',
                   CASE WHEN r >= 0.15 THEN opened_at + interval '1 day' END,
                   CASE WHEN r >= 0.80 THEN opened_at + interval '5 days' END,
                   CASE WHEN r >= 0.15 THEN %(sender)s END,
                   NULL
              FROM shaped
             WHERE to_desk <> from_desk
            """,
            {
                "low": low,
                "high": high,
                "oversample": int(count * 1.5),
                "draw": int(count * 1.06),  # a few drop out below (a partner desk drawn for itself)
                "hub": hub_desk.pk,
                "partners": [pk for pk in desk_ids if pk != hub_desk.pk],
                "npartners": len(desk_ids) - 1,
                "sender": sender.pk,
            },
        )
        inserted = cursor.rowcount
        log(f"hand-offs: inserted {inserted:,}")
        cursor.execute(
            """
            UPDATE consult_client SET desk_ids = '{}'
             WHERE id IN (SELECT c.client_id FROM consult_handoff h JOIN consult_case c ON c.id = h.case_id
                           WHERE c.client_id IS NOT NULL AND h.status IN ('accepted', 'completed'))
            """
        )
        log(f"hand-offs: refreshed desk_ids of {cursor.rowcount:,} clients")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # deferred FK checks run now, so ALTER TABLE may follow
        cursor.execute("ALTER TABLE consult_handoff ENABLE TRIGGER consult_handoff_client_desks")
        cursor.execute(f"COMMENT ON TABLE consult_handoff IS '{HANDOFF_MARKER} {inserted}'")
    with connection.cursor() as cursor:
        # VACUUM cannot run in a transaction (the test database's): ANALYZE then.
        cursor.execute("ANALYZE consult_handoff" if connection.in_atomic_block else "VACUUM ANALYZE consult_handoff")
        cursor.execute("ANALYZE consult_client")
    return time.monotonic() - started


def run_inbox_benchmark(*, consortium, repeat: int = 30, warmup: int = 3, log: Callable[[str], None] = print):
    from consult.models import HandOff
    from consult.selectors import handoffs as selectors

    hub_user, clerk = bench._users(consortium)
    clerk_desks = sorted(selectors.own_desk_ids(clerk))
    to_hub = HandOff.objects.filter(to_desk_id__in=sorted(selectors.own_desk_ids(hub_user))).order_by("-sent_at", "-id")
    deep_page = max(2, min(2501, to_hub.count() // selectors.PER_PAGE))
    deep_from = to_hub[(deep_page - 1) * selectors.PER_PAGE - 1]
    scenarios = [
        bench.Scenario("inbox.hub", "inbox to us, page 1 — hub counter staff", hub_user, "/handoffs/"),
        bench.Scenario("inbox.hub.pending", "inbox to us, pending only — hub", hub_user, "/handoffs/?status=pending"),
        bench.Scenario("inbox.hub.overdue", "inbox to us, overdue only — hub", hub_user, "/handoffs/?overdue=on"),
        bench.Scenario("inbox.hub.from", "inbox from us — hub", hub_user, "/handoffs/?box=from"),
        bench.Scenario(
            "inbox.hub.deep",
            f"inbox to us, page {deep_page:,} (keyset cursor) — hub",
            hub_user,
            "/handoffs/?cursor=" + selectors._encode(deep_from),
        ),
        bench.Scenario("inbox.partner", "inbox to us — partner clerk", clerk, "/handoffs/"),
        bench.Scenario("inbox.partner.from", "inbox from us — partner clerk", clerk, "/handoffs/?box=from"),
        bench.Scenario("home.hub", "home page with the waiting panel — hub", hub_user, "/"),
    ]
    log(f"partner clerk desks: {clerk_desks}")
    from django.conf import settings
    from django.test.utils import override_settings

    storages = {  # as bench_cases: no collectstatic needed
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    results = []
    for scenario in scenarios:
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], STORAGES=storages):
            measurement = bench._measure(scenario, repeat=repeat, warmup=warmup)
        results.append(measurement)
        log(
            f"  {scenario.key:<20} median {measurement.median:7.1f} ms  p95 {measurement.p95:7.1f} ms  "
            f"queries {measurement.queries:3d}  db {measurement.db_ms:6.1f} ms  {scenario.label}"
        )
    passed = True
    for measurement in results:
        ok = measurement.p95 <= BUDGET_MS
        passed &= ok
        log(
            f"  {'PASS' if ok else 'FAIL'}  {measurement.scenario.key} p95 ≤ {BUDGET_MS:.0f} ms: {measurement.p95:.1f} ms"
        )
    return passed
