"""The benchmark dataset behind ``manage.py bench_cases`` (issue 3, targets).

:func:`build_dataset` writes a synthetic dataset — by default 1,000,000
consultations in ~600,000 cases of ~350,000 clients — with set-based SQL
(``INSERT … SELECT … FROM generate_series``) in one transaction: the whole
build or nothing.  Names come from a pool of synthetic people drawn in
Python (demo/bench/plan.py, from demo/people.py) whose ``search_text``/
``name_grams`` are computed by consult/names.py exactly as ``Client.save()``
would, copied into a temporary table with COPY and assigned to clients in
SQL.  Secondary indexes of the loaded tables are dropped for the load and
rebuilt from their own definitions afterwards (much faster than maintaining
a GIN index row by row); then VACUUM ANALYZE.  A comment on
consult_consultation marks the dataset, so a second run reuses it.  The
measurement is demo/bench/measure.py.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from consult.models import CaseCounter
from demo.bench.plan import Context, DatasetPlan, person_pool

MARKER = "madoguchi-bench"
BENCH_TABLES = (
    "consult_client",
    "consult_case",
    "consult_consultation",
    "consult_consultationtopic",
    "consult_followup",
)


# --- the dataset --------------------------------------------------------------


def is_benchmark_database(name: str) -> bool:
    """Only a database named for it (or a test database) gets a million rows."""
    return "bench" in name or name.startswith("test_")


def dataset_marker() -> dict | None:
    """What the last build recorded, or None if this database has no bench dataset."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT obj_description('consult_consultation'::regclass, 'pg_class')")
        (comment,) = cursor.fetchone()
    if not comment or not comment.startswith(MARKER + " "):
        return None
    try:
        return json.loads(comment[len(MARKER) + 1 :])
    except ValueError:
        return None


def _write_marker(cursor, marker: dict) -> None:
    comment = f"{MARKER} {json.dumps(marker)}".replace("'", "''")
    cursor.execute(f"COMMENT ON TABLE consult_consultation IS '{comment}'")


def table_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in BENCH_TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
            counts[table] = cursor.fetchone()[0]
    return counts


def _pick(param: str) -> str:
    """SQL: a uniformly random element of the array parameter `param`."""
    return f"(%({param})s)[1 + floor(random() * cardinality(%({param})s))::int]"


def _office_hours(expr: str) -> str:
    """SQL: the day of `expr` (Asia/Tokyo; Saturday/Sunday moved to Friday) at
    a random time between 8:30 and 17:00."""
    local = f"({expr} AT TIME ZONE 'Asia/Tokyo')"
    return (
        f"((date_trunc('day', {local}) - greatest(extract(isodow FROM {local})::int - 5, 0) * interval '1 day'"
        f" + interval '8 hours 30 minutes' + random() * interval '8 hours 30 minutes') AT TIME ZONE 'Asia/Tokyo')"
    )


def _typed(sql: str, params: dict) -> str:
    """Cast every list parameter: client-side binding sends '{…}' literals
    without a type, and an array must be typed to be subscripted."""

    def cast(match: re.Match) -> str:
        value = params.get(match.group(1))
        if not isinstance(value, list):
            return match.group(0)
        return f"{match.group(0)}::{'bigint' if all(isinstance(v, int) for v in value) else 'text'}[]"

    return re.sub(r"%\((\w+)\)s", cast, sql)


FISCAL_YEAR = "extract(year FROM ({} AT TIME ZONE 'Asia/Tokyo') - interval '3 months')::int"


# The triggers that keep derived columns (Client.desk_ids, migration 0004;
# Case.language_ids / topic_ids, migration 0016): off during the load, whose
# INSERTs write those columns themselves.
_DERIVED_COLUMN_TRIGGERS = (
    ("consult_client", "consult_client_desk_ids"),
    ("consult_case", "consult_case_client_desks"),
    ("consult_case", "consult_case_filter_ids"),
    ("consult_consultation", "consult_consultation_case_filter_ids"),
    ("consult_consultationtopic", "consult_consultationtopic_case_filter_ids"),
)


def _foreign_key(cursor, table: str, referenced: str) -> str:
    """The name of `table`'s foreign key constraint to `referenced`."""
    cursor.execute(
        "SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid = %s::regclass AND confrelid = %s::regclass",
        [table, referenced],
    )
    return cursor.fetchone()[0]


def _switch_derived_column_triggers(cursor, action: str) -> None:
    for table, trigger in _DERIVED_COLUMN_TRIGGERS:
        cursor.execute(f"ALTER TABLE {table} {action} TRIGGER {trigger}")


def _secondary_indexes(cursor) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the loaded tables' indexes that back
    no constraint: dropped during the load, rebuilt from these statements."""
    cursor.execute(
        """
        SELECT i.relname, pg_get_indexdef(i.oid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relname = ANY(%s) AND t.relnamespace = 'public'::regnamespace
          AND NOT x.indisprimary AND NOT x.indisunique
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
        ORDER BY t.relname, i.relname
        """,
        [list(BENCH_TABLES)],
    )
    return cursor.fetchall()


def _id_base(cursor, table: str) -> int:
    cursor.execute(
        f"SELECT greatest((SELECT coalesce(max(id), 0) FROM {table}),"  # noqa: S608 - fixed table names
        f" coalesce(pg_sequence_last_value(pg_get_serial_sequence('{table}', 'id')), 0))"
    )
    return cursor.fetchone()[0]


def build_dataset(*, consortium, plan: DatasetPlan, log: Callable[[str], None] = print) -> dict:
    """Write the dataset of `plan` into the current database; returns the marker."""
    started = time.monotonic()
    ctx = Context(consortium)
    today = timezone.localdate()
    pool = person_pool(plan, ctx, today)
    log(f"  name pool: {len(pool):,} synthetic people, {len({r[12] for r in pool}):,} distinct names")
    p = dict(ctx.params)
    p.update(
        cases=plan.cases,
        clients=plan.clients,
        extras=plan.consultations - plan.cases,
        pool=len(pool),
        span_days=365 * plan.years,
        quick=0.18,
        anonymous=0.24,
    )

    def run(label: str, sql: str, params: dict | None = None) -> int:
        t0 = time.monotonic()
        cursor.execute(_typed(sql, p), params if params is not None else p)
        log(f"  {label:<44} {cursor.rowcount if cursor.rowcount >= 0 else '':>10}  {time.monotonic() - t0:6.1f} s")
        return cursor.rowcount

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # index builds of this load only
        cursor.execute("SET LOCAL work_mem = '64MB'")
        # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: check them at
        # the end of each statement, not all at commit (CREATE INDEX refuses
        # to run with checks pending, and a million queued checks cost memory).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SELECT setseed(%s)", [(plan.seed % 2000) / 1000 - 1])
        p["client_base"] = _id_base(cursor, "consult_client")
        p["case_base"] = _id_base(cursor, "consult_case")
        p["consultation_base"] = _id_base(cursor, "consult_consultation")
        for table in ("bench_case", "bench_extra", "bench_last", "bench_name", "bench_counter", "bench_case_arrays"):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")

        # 1. cases planned: desk, date, kind, client number
        run(
            "plan cases",
            f"""
            CREATE TEMP TABLE bench_case AS
            SELECT idx, dpos, tpos, quick, anonymous, crank, opened_at,
                   CASE WHEN crank <= %(clients)s THEN crank
                        WHEN crank IS NOT NULL THEN 1 + floor(random() * %(clients)s)::int END AS client_idx
            FROM (
                SELECT idx, dpos, tpos, kind < %(quick)s AS quick, kind < %(anonymous)s AS anonymous,
                       CASE WHEN kind >= %(anonymous)s
                            THEN row_number() OVER (PARTITION BY kind >= %(anonymous)s ORDER BY idx) END AS crank,
                       least(now() - interval '1 minute', {_office_hours("raw_at")}) AS opened_at
                FROM (
                    SELECT g AS idx, random() AS kind, {_pick("desk_lottery")} AS dpos, {_pick("topic_lottery")} AS tpos,
                           now() - interval '1 day' * %(span_days)s * power(random(), 1.3) AS raw_at
                    FROM generate_series(1, %(cases)s) g
                ) g
            ) s
            """,  # noqa: S608 - fragments are this module's constants
        )
        cursor.execute("CREATE INDEX ON bench_case (idx)")
        cursor.execute("CREATE INDEX ON bench_case (crank)")
        cursor.execute("CREATE INDEX ON bench_case (client_idx)")
        cursor.execute("ANALYZE bench_case")
        # A client's later cases are mostly at the desk of the first, and later.
        run(
            "later cases of a client: same desk",
            """
            UPDATE bench_case b
            SET dpos = f.dpos,
                opened_at = greatest(b.opened_at,
                                     least(now() - interval '1 minute', f.opened_at + random() * interval '90 days'))
            FROM bench_case f
            WHERE b.crank > %(clients)s AND f.crank = b.client_idx AND random() < 0.9
            """,
        )
        # 2. further consultations of (non-quick) cases: re-consultations
        run(
            "plan re-consultations",
            """
            CREATE TEMP TABLE bench_extra AS
            SELECT row_number() OVER () AS n, case_idx, occurred_at FROM (
                SELECT s.case_idx,
                       c.opened_at + least(interval '120 days', now() - c.opened_at) * power(random(), 1.5)
                           AS occurred_at
                FROM (SELECT 1 + floor(random() * %(cases)s)::int AS case_idx
                      FROM generate_series(1, ceil(%(extras)s / 0.7)::int)) s
                JOIN bench_case c ON c.idx = s.case_idx
                WHERE NOT c.quick
                LIMIT %(extras)s
            ) e
            """,
        )
        cursor.execute(
            "CREATE TEMP TABLE bench_last AS SELECT case_idx, max(occurred_at) AS last_at FROM bench_extra GROUP BY 1"
        )
        cursor.execute("CREATE INDEX ON bench_last (case_idx)")
        cursor.execute("ANALYZE bench_extra; ANALYZE bench_last")
        cursor.execute("SELECT count(*) FROM bench_extra")
        extras = cursor.fetchone()[0]

        # 3. the name pool
        cursor.execute(
            """
            CREATE TEMP TABLE bench_name (
                id int PRIMARY KEY, name text, name_kana text, name_latin text, nationality text,
                language_id bigint, status_id bigint, expires boolean, gender text, age_band text,
                birth_year int, client_type text, search_text text, name_grams varchar(2)[]
            )
            """
        )
        t0 = time.monotonic()
        with cursor.cursor.copy(
            "COPY bench_name (id, name, name_kana, name_latin, nationality, language_id, status_id, expires,"
            " gender, age_band, birth_year, client_type, search_text, name_grams) FROM STDIN"
        ) as copy:
            for row in pool:
                copy.write_row(row)
        log(f"  {'copy the name pool':<44} {len(pool):>10}  {time.monotonic() - t0:6.1f} s")

        # Secondary indexes: drop, load, rebuild (same statements, same names).
        indexes = _secondary_indexes(cursor)
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')

        # Client.desk_ids is kept by triggers row by row (migration 0004);
        # for a bulk load they are off and the column is written with the
        # client (every desk of the client's planned cases): an UPDATE of
        # the loaded rows would leave HOT chains that make PostgreSQL mark
        # the rebuilt indexes "check xmin" — unusable to every transaction
        # of the whole cluster that started before the build committed
        # (a 10M build under load: an hour of sequential scans elsewhere).
        _switch_derived_column_triggers(cursor, "DISABLE")
        # 4. clients: one per first case of a client, names from the pool
        run(
            "clients",
            f"""
            INSERT INTO consult_client (
                id, registered_desk_id, name, name_kana, name_latin, birth_year, nationality,
                preferred_language_id, residence_status_id, period_of_stay_expiry, residence_municipality_id,
                lives_outside_area, residence_note, age_band, gender, client_type, phone, email,
                merged_into_id, search_text, name_grams, desk_ids, created_at, updated_at)
            SELECT %(client_base)s + c.client_idx, (%(desk_ids)s)[c.dpos], n.name, n.name_kana, n.name_latin,
                   n.birth_year, n.nationality, n.language_id, n.status_id,
                   CASE WHEN n.expires THEN (c.opened_at AT TIME ZONE 'Asia/Tokyo')::date
                                            + (floor(random() * 1155) - 60)::int END,
                   CASE WHEN c.r < 0.84 THEN (%(desk_munis)s)[c.dpos]
                        WHEN c.r < 0.93 THEN {_pick("muni_ids")} END,
                   c.r >= 0.93, CASE WHEN c.r >= 0.93 THEN {_pick("outside")} ELSE '' END,
                   n.age_band, n.gender, n.client_type, '',
                   CASE WHEN random() < 0.15 THEN 'bench-' || c.client_idx || '@example.invalid' ELSE '' END,
                   NULL, n.search_text, n.name_grams,
                   ARRAY(SELECT DISTINCT (%(desk_ids)s)[o.dpos] FROM bench_case o
                         WHERE o.client_idx = c.client_idx ORDER BY 1)::bigint[],
                   c.opened_at, c.opened_at
            FROM (SELECT b.client_idx, b.dpos, b.opened_at, random() AS r,
                         1 + floor(random() * %(pool)s)::int AS pick
                  FROM bench_case b WHERE b.crank <= %(clients)s) c
            JOIN bench_name n ON n.id = c.pick
            """,  # noqa: S608 - fragments are this module's constants
        )
        # 5. case numbers: taken from the product's counter, a desk's
        # fiscal year at once (CaseCounter.objects.take_numbers, as intake does),
        # then numbered in date order from there.
        fy = FISCAL_YEAR.format("c.opened_at")
        t0 = time.monotonic()
        cursor.execute(f"SELECT dpos, {fy}, count(*) FROM bench_case c GROUP BY 1, 2 ORDER BY 1, 2")  # noqa: S608
        groups = cursor.fetchall()
        bases = [
            (dpos, year, CaseCounter.objects.take_numbers(desk=ctx.desks[dpos - 1], fiscal_year=year, count=n) - n)
            for dpos, year, n in groups
        ]
        cursor.execute("CREATE TEMP TABLE bench_counter (dpos int, fy int, base int, PRIMARY KEY (dpos, fy))")
        cursor.executemany("INSERT INTO bench_counter (dpos, fy, base) VALUES (%s, %s, %s)", bases)
        log(f"  {'case counters (take_numbers)':<44} {len(bases):>10}  {time.monotonic() - t0:6.1f} s")
        # The consultations go in before their cases (see step 5, continued):
        # their one foreign key to the case is checked once the cases are in.
        case_fk = _foreign_key(cursor, "consult_consultation", "consult_case")
        cursor.execute(f'SET CONSTRAINTS "{case_fk}" DEFERRED')
        # 6. consultations: the first of every case, then the re-consultations
        run(
            "consultations",
            f"""
            INSERT INTO consult_consultation (
                id, case_id, desk_id, occurred_at, channel, language_id, interpretation_mode, minutes, notes,
                actions, intake_token, created_by_id, created_at)
            SELECT q.id, q.case_id, (%(desk_ids)s)[q.dpos], q.occurred_at, q.channel, q.language_id,
                   CASE WHEN q.channel = 'three_way_phone' THEN 'three_way_phone'
                        WHEN q.language_id = ANY(%(plain_languages)s) THEN 'none'
                        WHEN q.dpos = 1 THEN {_pick("hub_modes")} ELSE {_pick("partner_modes")} END,
                   CASE WHEN q.channel IN ('phone', 'sns', 'email') THEN 5 + floor(random() * 26)
                        ELSE 10 + floor(random() * 66) END,
                   {_pick("notes")},
                   (CASE WHEN q.a2 <> q.a1 AND random() < 0.33 THEN ARRAY[q.a1, q.a2] ELSE ARRAY[q.a1] END)
                       ::varchar(20)[],
                   gen_random_uuid(), (%(desk_users)s)[q.dpos], q.occurred_at
            FROM (
                SELECT u.*,
                       CASE WHEN u.dpos = 1 THEN {_pick("hub_channels")} ELSE {_pick("partner_channels")} END
                           AS channel,
                       CASE WHEN cl.preferred_language_id IS NOT NULL AND random() < 0.9
                            THEN cl.preferred_language_id ELSE {_pick("lang_lottery")} END AS language_id,
                       {_pick("actions")} AS a1, {_pick("actions")} AS a2
                FROM (
                    SELECT %(consultation_base)s + c.idx AS id, %(case_base)s + c.idx AS case_id, c.dpos,
                           c.client_idx, c.opened_at AS occurred_at
                    FROM bench_case c
                    UNION ALL
                    SELECT %(consultation_base)s + %(cases)s + e.n, %(case_base)s + e.case_idx, c.dpos,
                           c.client_idx, e.occurred_at
                    FROM bench_extra e JOIN bench_case c ON c.idx = e.case_idx
                ) u
                LEFT JOIN consult_client cl ON cl.id = %(client_base)s + u.client_idx
            ) q
            """,  # noqa: S608 - fragments are this module's constants
        )
        # 7. topics: 1 (60 %), 2 (30 %) or 3 (10 %) per consultation; the
        # first consultation's first topic is the case's subject.
        run(
            "consultation topics",
            f"""
            INSERT INTO consult_consultationtopic (consultation_id, topic_id)
            SELECT s.id, (%(topic_ids)s)[v.pos]
            FROM (
                SELECT q.id, coalesce(c.tpos, {_pick("topic_lottery")}) AS p1,
                       {_pick("topic_lottery")} AS p2, {_pick("topic_lottery")} AS p3, random() AS r
                FROM generate_series(%(consultation_base)s + 1, %(consultation_base)s + %(cases)s + %(n_extras)s) q(id)
                LEFT JOIN bench_case c ON c.idx = q.id - %(consultation_base)s
            ) s,
            LATERAL (VALUES (s.p1), (CASE WHEN s.r < 0.4 THEN s.p2 END), (CASE WHEN s.r < 0.1 THEN s.p3 END)) v(pos)
            WHERE v.pos IS NOT NULL
            ON CONFLICT DO NOTHING
            """,  # noqa: S608 - fragments are this module's constants
            {**p, "n_extras": extras},
        )
        # Case.language_ids / topic_ids are kept by triggers row by row
        # (migration 0016); for the bulk load the cases are written after
        # their consultations (the foreign keys are checked at commit), with
        # both arrays, so no loaded row is updated (see desk_ids above).
        run(
            "languages and topics of each case",
            """
            CREATE TEMP TABLE bench_case_arrays AS
            SELECT coalesce(l.case_id, t.case_id) AS case_id, l.language_ids, t.topic_ids
            FROM (
                SELECT case_id, array_agg(DISTINCT language_id ORDER BY language_id) AS language_ids
                FROM consult_consultation
                WHERE id > %(consultation_base)s AND language_id IS NOT NULL
                GROUP BY case_id
            ) l
            FULL JOIN (
                SELECT q.case_id, array_agg(DISTINCT t.topic_id ORDER BY t.topic_id) AS topic_ids
                FROM consult_consultationtopic t JOIN consult_consultation q ON q.id = t.consultation_id
                WHERE q.id > %(consultation_base)s
                GROUP BY q.case_id
            ) t ON t.case_id = l.case_id
            """,
        )
        cursor.execute("CREATE INDEX ON bench_case_arrays (case_id)")
        cursor.execute("ANALYZE bench_case_arrays")
        # 5 (continued). the cases themselves, once their consultations and topics are in
        run(
            "cases",
            f"""
            INSERT INTO consult_case (
                id, reference, handling_desk_id, client_id, title, status, outcome, assignee_id,
                is_quick_contact, sensitive_notes, version, opened_at, closed_at, last_activity_at, created_by_id,
                language_ids, topic_ids)
            SELECT %(case_base)s + x.idx,
                   (%(desk_codes)s)[x.dpos] || '-' || x.fy || '-'
                       || CASE WHEN x.number < 100000 THEN lpad(x.number::text, 5, '0') ELSE x.number::text END,
                   (%(desk_ids)s)[x.dpos],
                   CASE WHEN x.client_idx IS NOT NULL THEN %(client_base)s + x.client_idx END,
                   (%(topic_names)s)[x.tpos],
                   split_part(x.state, '/', 1), split_part(x.state, '/', 2),
                   (%(desk_users)s)[x.dpos], x.quick, '', 1, x.opened_at,
                   CASE WHEN x.state LIKE 'closed/%%' THEN x.last_at END, x.last_at, (%(desk_users)s)[x.dpos],
                   coalesce(a.language_ids, '{{}}'), coalesce(a.topic_ids, '{{}}')
            FROM (
                SELECT s.*, cc.base + s.rn AS number,
                       CASE
                         WHEN s.quick THEN
                           CASE WHEN s.r < 0.92 OR s.last_at < now() - interval '30 days'
                                THEN 'closed/resolved' ELSE 'open/' END
                         WHEN s.last_at < now() - interval '120 days' THEN
                           CASE WHEN s.r < 0.67 THEN 'closed/resolved' WHEN s.r < 0.985 THEN 'closed/referred'
                                ELSE 'in_progress/continuing' END
                         ELSE
                           CASE WHEN s.r < 0.40 THEN 'closed/resolved' WHEN s.r < 0.55 THEN 'closed/referred'
                                WHEN s.r < 0.70 THEN 'in_progress/continuing'
                                WHEN s.r < 0.80 THEN 'waiting/continuing' ELSE 'open/' END
                       END AS state
                FROM (
                    SELECT c.*, greatest(c.opened_at, l.last_at) AS last_at, random() AS r, {fy} AS fy,
                           row_number() OVER (PARTITION BY c.dpos, {fy} ORDER BY c.opened_at, c.idx) AS rn
                    FROM bench_case c LEFT JOIN bench_last l ON l.case_idx = c.idx
                ) s
                JOIN bench_counter cc ON cc.dpos = s.dpos AND cc.fy = s.fy
            ) x
            LEFT JOIN bench_case_arrays a ON a.case_id = %(case_base)s + x.idx
            """,  # noqa: S608 - fragments are this module's constants
        )
        cursor.execute(f'SET CONSTRAINTS "{case_fk}" IMMEDIATE')  # the deferred checks run here
        # 8. follow-ups for 15 % of the cases; a few left open past their date
        run(
            "follow-ups",
            f"""
            INSERT INTO consult_followup (
                case_id, due_date, assignee_id, note, status, completed_at, created_by_id, created_at)
            SELECT %(case_base)s + f.idx, f.due, (%(desk_users)s)[f.dpos], {_pick("follow_up_notes")}, f.status,
                   CASE WHEN f.status <> 'open' THEN (f.due + time '10:00') AT TIME ZONE 'Asia/Tokyo' END,
                   (%(desk_users)s)[f.dpos], f.last_at
            FROM (
                SELECT g.*,
                       CASE WHEN g.due >= current_date THEN 'open'
                            WHEN g.due < current_date - 60 THEN
                              CASE WHEN g.r < 0.93 THEN 'done' WHEN g.r < 0.98 THEN 'cancelled' ELSE 'open' END
                            ELSE CASE WHEN g.r < 0.70 THEN 'done' WHEN g.r < 0.75 THEN 'cancelled' ELSE 'open' END
                       END AS status
                FROM (
                    SELECT c.idx, c.dpos, greatest(c.opened_at, l.last_at) AS last_at, random() AS r,
                           (greatest(c.opened_at, l.last_at) AT TIME ZONE 'Asia/Tokyo')::date
                               + (3 + floor(random() * 12))::int AS due
                    FROM bench_case c LEFT JOIN bench_last l ON l.case_idx = c.idx
                    WHERE NOT c.quick AND random() < 0.15
                ) g
            ) f
            """,  # noqa: S608 - fragments are this module's constants
        )
        for table in ("consult_client", "consult_case", "consult_consultation"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            )
        t0 = time.monotonic()
        for _name, definition in indexes:
            cursor.execute(definition)
        log(f"  {'rebuild ' + str(len(indexes)) + ' secondary indexes':<44} {'':>10}  {time.monotonic() - t0:6.1f} s")
        _switch_derived_column_triggers(cursor, "ENABLE")
        for table in ("bench_case", "bench_extra", "bench_last", "bench_name", "bench_counter", "bench_case_arrays"):
            cursor.execute(f"DROP TABLE {table}")

        marker = {
            "consultations": plan.consultations,
            "cases": plan.cases,
            "clients": plan.clients,
            "seed": plan.seed,
            "years": plan.years,
            "built_at": timezone.now().isoformat(timespec="seconds"),
            "build_seconds": round(time.monotonic() - started, 1),
        }
        _write_marker(cursor, marker)

    t0 = time.monotonic()
    with connection.cursor() as cursor:
        if connection.in_atomic_block:  # a test's transaction: VACUUM cannot run here
            cursor.execute("ANALYZE")
        else:
            for table in BENCH_TABLES:
                cursor.execute(f"VACUUM (ANALYZE) {table}")
            cursor.execute("ANALYZE")
    log(f"  {'vacuum analyze':<44} {'':>10}  {time.monotonic() - t0:6.1f} s")
    marker["build_seconds"] = round(time.monotonic() - started, 1)
    with connection.cursor() as cursor:
        _write_marker(cursor, marker)
    return marker


def empty_consult_tables() -> None:
    """TRUNCATE what the dataset fills (and what references it) — a bench database only."""
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE consult_consultationtopic, consult_consultation, consult_followup, consult_case_earlier_cases,"
            " consult_case, consult_client, consult_casecounter CASCADE"
        )
        cursor.execute("COMMENT ON TABLE consult_consultation IS NULL")
