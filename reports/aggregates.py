"""Aggregates the dashboard and the grant report read, kept correct.

Unit of maintenance: a *bucket* = (month in Asia/Tokyo, desk).  Whenever a
consultation is saved or deleted (signals in reports/signals.py), its old
and new buckets are rebuilt from the raw rows by a Celery task enqueued
when the transaction commits — after the intake has also written its topic
rows; the dashboard is current within seconds.  Rebuilding (delete +
INSERT … SELECT … GROUP BY) instead of incrementing makes every path
converge on the raw truth, including a deleted case's cascade.

Merging clients and forwarding cases change no aggregated dimension: the
client's dimensions are the consultation's snapshot, and a consultation
stays counted at the desk that took it (counting.py rules 6 and 1).

Writes that bypass signals (QuerySet.update, bulk loaders, the snapshot
backfill) are caught by `reconcile()` — a recount from raw rows — and
repaired by `manage.py reports_aggregates --repair`."""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction

TZ = "Asia/Tokyo"

MONTH = f"(date_trunc('month', co.occurred_at AT TIME ZONE '{TZ}'))::date"
RESIDENCE = (
    "CASE WHEN co.client_outside_area THEN 'outside' "
    "WHEN co.client_residence_municipality_id IS NOT NULL THEN co.client_residence_municipality_id::text "
    "ELSE 'unknown' END"
)
OUTCOME = "CASE WHEN co.outcome = '' THEN 'unknown' ELSE co.outcome END"

# The SQL below is built from this module's constants only, never from input (S608).
CONSULTATION_SELECT = f"""
SELECT {MONTH}, co.desk_id, co.language_id, co.channel, co.interpretation_mode, {RESIDENCE}, {OUTCOME}, count(*)
  FROM consult_consultation co
 WHERE {{where}}
 GROUP BY 1, 2, 3, 4, 5, 6, 7
"""  # noqa: S608
TOPIC_SELECT = f"""
SELECT {MONTH}, co.desk_id, COALESCE(t.parent_id, t.id), co.language_id, co.channel, co.interpretation_mode,
       count(DISTINCT co.id)
  FROM consult_consultation co
  JOIN consult_consultationtopic ct ON ct.consultation_id = co.id
  JOIN consult_topic t ON t.id = ct.topic_id
 WHERE {{where}}
 GROUP BY 1, 2, 3, 4, 5, 6
"""  # noqa: S608
BUCKET_WHERE = (
    f"co.desk_id = %(desk)s AND co.occurred_at >= (%(month)s::timestamp AT TIME ZONE '{TZ}') "
    f"AND co.occurred_at < ((%(month)s::timestamp + interval '1 month') AT TIME ZONE '{TZ}')"
)
# Marginals: one row per (month, desk, dimension, key) with the consultations
# (n) and the per-topic counts (n_topics, rule 2) — a few hundred rows per
# month, so an unfiltered fiscal year reads thousands of rows, not the
# ~100,000 of the fully crossed tables above (those serve filtered views).
MARGINAL_KEYS = f"""
       ('all', ''),
       ('language', co.language_id::text),
       ('interpretation_mode', co.interpretation_mode),
       ('channel', co.channel),
       ('residence_municipality', {RESIDENCE}),
       ('outcome', {OUTCOME}),
       ('nationality', CASE WHEN co.client_nationality = '' THEN 'unknown' ELSE co.client_nationality END),
       ('residence_status', COALESCE(co.client_residence_status_id::text, 'unknown')),
       ('age_band', CASE WHEN co.client_age_band = '' THEN 'unknown' ELSE co.client_age_band END),
       ('client_type', CASE WHEN co.client_type = '' THEN 'unknown' ELSE co.client_type END)
"""
DIMENSION_SELECT = f"""
SELECT {MONTH}, co.desk_id, d.dimension, d.key, count(*), sum(tt.t_n)
  FROM consult_consultation co
  CROSS JOIN LATERAL (
        SELECT count(DISTINCT COALESCE(t.parent_id, t.id)) AS t_n
          FROM consult_consultationtopic ct JOIN consult_topic t ON t.id = ct.topic_id
         WHERE ct.consultation_id = co.id) tt
  CROSS JOIN LATERAL (VALUES {MARGINAL_KEYS}) AS d (dimension, key)
 WHERE {{where}}
 GROUP BY 1, 2, 3, 4
UNION ALL
SELECT {MONTH}, co.desk_id, 'topic', COALESCE(t.parent_id, t.id)::text, count(DISTINCT co.id), count(DISTINCT co.id)
  FROM consult_consultation co
  JOIN consult_consultationtopic ct ON ct.consultation_id = co.id
  JOIN consult_topic t ON t.id = ct.topic_id
 WHERE {{where}}
 GROUP BY 1, 2, 3, 4
"""  # noqa: S608
CASE_SELECT = f"""
SELECT DISTINCT {MONTH}, co.desk_id, co.case_id
  FROM consult_consultation co
 WHERE {{where}}
"""  # noqa: S608
CC_COLUMNS = "month, desk_id, language_id, channel, interpretation_mode, residence, outcome, n"
TC_COLUMNS = "month, desk_id, topic_id, language_id, channel, interpretation_mode, n"
DC_COLUMNS = "month, desk_id, dimension, key, n, n_topics"
CASE_COLUMNS = "month, desk_id, case_id"
# Distinct cases per fiscal year (April–March) per municipality and per
# consortium, counted from reports_casecount.
FISCAL_YEAR = "(extract(year FROM cc.month) - CASE WHEN extract(month FROM cc.month) < 4 THEN 1 ELSE 0 END)::int"
TALLY_SELECT = f"""
SELECT {FISCAL_YEAR} AS fiscal_year, d.municipality_id AS municipality_id, NULL::bigint AS consortium_id,
       count(DISTINCT cc.case_id) AS n
  FROM reports_casecount cc JOIN municipalities_desk d ON d.id = cc.desk_id
 WHERE {{where}}
 GROUP BY 1, 2
UNION ALL
SELECT {FISCAL_YEAR}, NULL::bigint, mu.consortium_id, count(DISTINCT cc.case_id)
  FROM reports_casecount cc JOIN municipalities_desk d ON d.id = cc.desk_id
  JOIN municipalities_municipality mu ON mu.id = d.municipality_id
 WHERE mu.consortium_id IS NOT NULL AND {{where}}
 GROUP BY 1, 3
"""  # noqa: S608
TALLY_COLUMNS = "fiscal_year, municipality_id, consortium_id, n"
TALLY_WHERE = (
    "cc.month >= make_date(%(fy)s, 4, 1) AND cc.month < make_date(%(fy)s + 1, 4, 1) "
    "AND (d.municipality_id = %(m)s OR d.municipality_id IN "
    "(SELECT id FROM municipalities_municipality WHERE consortium_id = %(c)s))"
)
LOCK_NAMESPACE = 1101  # pg_advisory_xact_lock(LOCK_NAMESPACE, desk id): one rebuild of a desk at a time

# (table, columns, select): every aggregate, rebuilt together per bucket.
TABLES = (
    ("reports_consultationcount", CC_COLUMNS, CONSULTATION_SELECT),
    ("reports_topiccount", TC_COLUMNS, TOPIC_SELECT),
    ("reports_dimensioncount", DC_COLUMNS, DIMENSION_SELECT),
    ("reports_casecount", CASE_COLUMNS, CASE_SELECT),
)


def bucket_of(occurred_at, desk_id: int) -> tuple[date, int]:
    from django.utils import timezone

    local = timezone.localtime(occurred_at)
    return date(local.year, local.month, 1), desk_id


def rebuild_buckets(buckets) -> None:
    """Rebuild the aggregates of the given (month, desk) buckets."""
    with transaction.atomic(), connection.cursor() as cursor:
        years: set[tuple[int, int]] = set()
        for month, desk in sorted(set(buckets)):
            params = {"month": month, "desk": desk}
            # Two workers rebuilding one bucket at once would both insert.
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, desk])
            years.add((month.year - (1 if month.month < 4 else 0), desk))
            for table, columns, select in TABLES:
                cursor.execute(f"DELETE FROM {table} WHERE month = %(month)s AND desk_id = %(desk)s", params)  # noqa: S608
                cursor.execute(f"INSERT INTO {table} ({columns}) " + select.format(where=BUCKET_WHERE), params)

        _rebuild_tallies(cursor, years)


def _rebuild_tallies(cursor, years) -> None:
    """Recount the case tallies of (fiscal year, desk)'s municipality and consortium."""
    cursor.execute(
        "SELECT d.id, d.municipality_id, m.consortium_id FROM municipalities_desk d "
        "JOIN municipalities_municipality m ON m.id = d.municipality_id WHERE d.id = ANY(%s)",
        [sorted({desk for _fy, desk in years})],
    )
    of_desk = {desk: (m, c) for desk, m, c in cursor.fetchall()}
    for fy, m, c in sorted({(fy, *of_desk[desk]) for fy, desk in years if desk in of_desk}, key=str):
        params = {"fy": fy, "m": m, "c": c}
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE + 1, fy])
        cursor.execute(
            "DELETE FROM reports_casetally WHERE fiscal_year = %(fy)s AND (municipality_id = %(m)s "
            "OR consortium_id = %(c)s)",
            params,
        )
        cursor.execute(
            f"INSERT INTO reports_casetally ({TALLY_COLUMNS}) SELECT * FROM ("  # noqa: S608
            + TALLY_SELECT.format(where=TALLY_WHERE)
            + ") t WHERE t.municipality_id = %(m)s OR t.consortium_id = %(c)s",
            params,
        )


def rebuild_all() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for table, columns, select in TABLES:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
            cursor.execute(f"INSERT INTO {table} ({columns}) " + select.format(where="TRUE"))
        cursor.execute("DELETE FROM reports_casetally")
        cursor.execute(f"INSERT INTO reports_casetally ({TALLY_COLUMNS}) " + TALLY_SELECT.format(where="TRUE"))


def reconcile() -> list[tuple]:
    """Rows where the aggregates differ from a recount of the raw rows
    (empty = correct): (table, key…, aggregate n, raw n)."""
    problems: list[tuple] = []
    with connection.cursor() as cursor:
        for table, columns, select, width in (
            ("reports_consultationcount", CC_COLUMNS, CONSULTATION_SELECT, 7),
            ("reports_topiccount", TC_COLUMNS, TOPIC_SELECT, 6),
            ("reports_dimensioncount", DC_COLUMNS, DIMENSION_SELECT, 4),
        ):
            names = [c.strip() for c in columns.split(",")]
            keys, values = ", ".join(names[:width]), names[width:]
            sums = ", ".join(f"sum({v}) AS {v}" for v in values)
            cursor.execute(
                f"""
                WITH raw ({columns}) AS ({select.format(where="TRUE")}),
                     agg AS (SELECT {keys}, {sums} FROM {table} GROUP BY {keys})
                SELECT {keys}, {", ".join(f"agg.{v}, raw.{v}" for v in values)}
                  FROM raw FULL OUTER JOIN agg USING ({keys})
                 WHERE {" OR ".join(f"raw.{v} IS DISTINCT FROM agg.{v}" for v in values)}
                """  # noqa: S608
            )
            problems += [(table, *row) for row in cursor.fetchall()]
        cursor.execute(
            f"""
            WITH raw ({CASE_COLUMNS}) AS ({CASE_SELECT.format(where="TRUE")}),
                 agg AS (SELECT {CASE_COLUMNS} FROM reports_casecount)
            SELECT 'reports_casecount', m.*, 'missing' FROM (SELECT * FROM raw EXCEPT SELECT * FROM agg) m
            UNION ALL
            SELECT 'reports_casecount', e.*, 'extra' FROM (SELECT * FROM agg EXCEPT SELECT * FROM raw) e
            """  # noqa: S608
        )
        problems += list(cursor.fetchall())
        cursor.execute(
            f"""
            WITH raw ({TALLY_COLUMNS}) AS ({TALLY_SELECT.format(where="TRUE")}),
                 agg AS (SELECT {TALLY_COLUMNS} FROM reports_casetally)
            SELECT 'reports_casetally', m.*, 'missing' FROM (SELECT * FROM raw EXCEPT SELECT * FROM agg) m
            UNION ALL
            SELECT 'reports_casetally', e.*, 'extra' FROM (SELECT * FROM agg EXCEPT SELECT * FROM raw) e
            """  # noqa: S608
        )
        problems += list(cursor.fetchall())
    return problems


# --- reading ------------------------------------------------------------------
# The same answers as counting.count_by / count_by_topic on the raw rows
# (tests/reports/test_aggregates.py checks that they agree).  Unfiltered
# (fiscal year, municipality, desk only): the marginals (DimensionCount);
# filtered by language, channel or interpretation mode: the crossed tables.

AGGREGATED = {
    "month": "month",
    "language": "language_id",
    "channel": "channel",
    "interpretation_mode": "interpretation_mode",
    "desk": "desk_id",
    "residence_municipality": "residence",
    "outcome": "outcome",
}
CLIENT_DIMENSIONS = ("nationality", "residence_status", "age_band", "client_type")
INT_KEYS = ("language", "topic")  # keys stored as text in the marginals


def unfiltered(filters) -> bool:
    """No filter that the marginals and the case aggregate do not hold."""
    return not (filters.language_id or filters.channel or filters.interpretation_mode)


def can_answer(dimension: str, filters) -> bool:
    return dimension in AGGREGATED or (dimension in CLIENT_DIMENSIONS and unfiltered(filters))


def _scoped(model, scope_ids, filters):
    from django.db.models import Q

    from .counting import period_bounds

    qs = model.objects.filter(desk__municipality_id__in=scope_ids)
    if filters.fiscal_year is not None:
        start, end = period_bounds(filters.fiscal_year)
        qs = qs.filter(month__gte=start.date(), month__lt=end.date())
    q = Q()
    if filters.desk_id:
        q &= Q(desk_id=filters.desk_id)
    if filters.language_id:
        q &= Q(language_id=filters.language_id)
    if filters.channel:
        q &= Q(channel=filters.channel)
    if filters.interpretation_mode:
        q &= Q(interpretation_mode=filters.interpretation_mode)
    return qs.filter(q)


def _marginal(scope_ids, filters, dimension: str, group: str = "key", value: str = "n") -> dict:
    from django.db.models import Sum

    from .models import DimensionCount

    rows = (
        _scoped(DimensionCount, scope_ids, filters)
        .filter(dimension=dimension)
        .order_by()
        .values_list(group)
        .annotate(total=Sum(value))
    )
    convert = int if dimension in INT_KEYS and group == "key" else None
    return {(convert(k) if convert else k): n for k, n in rows if n}


def aggregate_count_by(scope_ids, filters, dimension: str) -> dict:
    """{key: consultations} for one dimension (as counting.count_by)."""
    if unfiltered(filters):
        if dimension in ("month", "desk"):
            return _marginal(scope_ids, filters, "all", group=AGGREGATED[dimension])
        return _marginal(scope_ids, filters, dimension)
    from django.db.models import Sum

    from .models import ConsultationCount

    column = AGGREGATED[dimension]
    rows = _scoped(ConsultationCount, scope_ids, filters).order_by().values(column).annotate(total=Sum("n"))
    return {row[column]: row["total"] for row in rows if row["total"]}


answer = aggregate_count_by


def aggregate_totals(scope_ids, filters) -> tuple[int, int]:
    """(consultations, per-topic counts)."""
    if unfiltered(filters):
        from django.db.models import Sum

        from .models import DimensionCount

        agg = (
            _scoped(DimensionCount, scope_ids, filters).filter(dimension="all").aggregate(n=Sum("n"), t=Sum("n_topics"))
        )
        return agg["n"] or 0, agg["t"] or 0
    return (
        sum(aggregate_count_by(scope_ids, filters, "desk").values()),
        sum(aggregate_topic_counts(scope_ids, filters).values()),
    )


def aggregate_topic_counts(scope_ids, filters) -> dict:
    """{top_topic_id: per-topic count} (as counting.count_by_topic()["top"])."""
    if unfiltered(filters):
        return _marginal(scope_ids, filters, "topic")
    from django.db.models import Sum

    from .models import TopicCount

    rows = _scoped(TopicCount, scope_ids, filters).order_by().values("topic_id").annotate(total=Sum("n"))
    return {row["topic_id"]: row["total"] for row in rows if row["total"]}


TOPIC_AGGREGATED = {
    "month": "month",
    "language": "language_id",
    "channel": "channel",
    "interpretation_mode": "interpretation_mode",
}


def aggregate_topic_by(scope_ids, filters, dimension: str) -> dict:
    """{(top_topic_id, key): n}, as counting.count_topic_by."""
    from django.db.models import Sum

    if unfiltered(filters) and dimension == "month":
        from .models import DimensionCount

        rows = (
            _scoped(DimensionCount, scope_ids, filters)
            .filter(dimension="topic")
            .order_by()
            .values_list("key", "month")
            .annotate(total=Sum("n"))
        )
        return {(int(key), month): n for key, month, n in rows if n}
    from .models import TopicCount

    column = TOPIC_AGGREGATED[dimension]
    rows = _scoped(TopicCount, scope_ids, filters).order_by().values("topic_id", column).annotate(total=Sum("n"))
    return {(row["topic_id"], row[column]): row["total"] for row in rows if row["total"]}


def aggregate_topic_totals_by(scope_ids, filters, dimension: str) -> dict:
    """{key: per-topic counts} — the per-topic column beside a dimension."""
    if unfiltered(filters) and dimension in AGGREGATED:
        if dimension in ("month", "desk"):
            return _marginal(scope_ids, filters, "all", group=AGGREGATED[dimension], value="n_topics")
        return _marginal(scope_ids, filters, dimension, value="n_topics")
    from collections import defaultdict

    totals: dict = defaultdict(int)
    for (_top, key), n in aggregate_topic_by(scope_ids, filters, dimension).items():
        totals[key] += n
    return dict(totals)


def aggregate_case_count(scope_ids, filters) -> int | None:
    """Distinct cases (counting rule 3), or None when a filter the case
    aggregate does not hold is set."""
    if not unfiltered(filters):
        return None
    tally = _case_tally(scope_ids, filters)
    if tally is not None:
        return tally
    from django.db.models import Count

    from .models import CaseCount

    return _scoped(CaseCount, scope_ids, filters).aggregate(n=Count("case_id", distinct=True))["n"]


def _case_tally(scope_ids, filters) -> int | None:
    """The tally when the scope is one municipality or one whole consortium
    (what every role's scope and the municipality filter give), else None."""
    if filters.fiscal_year is None or filters.desk_id or not scope_ids:
        return None
    from django.db.models import Sum

    from municipalities.models import Municipality

    from .models import CaseTally

    if len(scope_ids) == 1:
        (m,) = scope_ids
        return (
            CaseTally.objects.filter(fiscal_year=filters.fiscal_year, municipality_id=m).aggregate(n=Sum("n"))["n"] or 0
        )
    consortia = set(Municipality.objects.filter(pk__in=scope_ids).values_list("consortium_id", flat=True))
    if len(consortia) != 1 or None in consortia:
        return None
    (c,) = consortia
    members = set(Municipality.objects.filter(consortium_id=c).values_list("pk", flat=True))
    if members != set(scope_ids):
        return None
    return CaseTally.objects.filter(fiscal_year=filters.fiscal_year, consortium_id=c).aggregate(n=Sum("n"))["n"] or 0
