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
CC_COLUMNS = "month, desk_id, language_id, channel, interpretation_mode, residence, outcome, n"
TC_COLUMNS = "month, desk_id, topic_id, language_id, channel, interpretation_mode, n"


def bucket_of(occurred_at, desk_id: int) -> tuple[date, int]:
    from django.utils import timezone

    local = timezone.localtime(occurred_at)
    return date(local.year, local.month, 1), desk_id


def rebuild_buckets(buckets) -> None:
    """Rebuild the aggregates of the given (month, desk) buckets."""
    with transaction.atomic(), connection.cursor() as cursor:
        for month, desk in sorted(set(buckets)):
            params = {"month": month, "desk": desk}
            cursor.execute(
                "DELETE FROM reports_consultationcount WHERE month = %(month)s AND desk_id = %(desk)s", params
            )
            cursor.execute("DELETE FROM reports_topiccount WHERE month = %(month)s AND desk_id = %(desk)s", params)
            cursor.execute(
                f"INSERT INTO reports_consultationcount ({CC_COLUMNS}) "
                + CONSULTATION_SELECT.format(where=BUCKET_WHERE),
                params,
            )
            cursor.execute(
                f"INSERT INTO reports_topiccount ({TC_COLUMNS}) " + TOPIC_SELECT.format(where=BUCKET_WHERE), params
            )


def rebuild_all() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM reports_consultationcount")
        cursor.execute("DELETE FROM reports_topiccount")
        cursor.execute(
            f"INSERT INTO reports_consultationcount ({CC_COLUMNS}) " + CONSULTATION_SELECT.format(where="TRUE")
        )
        cursor.execute(f"INSERT INTO reports_topiccount ({TC_COLUMNS}) " + TOPIC_SELECT.format(where="TRUE"))


def reconcile() -> list[tuple]:
    """Rows where the aggregates differ from a recount of the raw rows
    (empty = correct): (table, key…, aggregate n, raw n)."""
    problems: list[tuple] = []
    with connection.cursor() as cursor:
        for table, columns, select, width in (
            ("reports_consultationcount", CC_COLUMNS, CONSULTATION_SELECT, 7),
            ("reports_topiccount", TC_COLUMNS, TOPIC_SELECT, 6),
        ):
            keys = ", ".join(c.strip() for c in columns.split(",")[:width])
            cursor.execute(
                f"""
                WITH raw ({columns}) AS ({select.format(where="TRUE")}),
                     agg AS (SELECT {keys}, sum(n) AS n FROM {table} GROUP BY {keys})
                SELECT {keys}, agg.n, raw.n
                  FROM raw FULL OUTER JOIN agg USING ({keys})
                 WHERE raw.n IS DISTINCT FROM agg.n
                """  # noqa: S608
            )
            problems += [(table, *row) for row in cursor.fetchall()]
    return problems


# --- reading ------------------------------------------------------------------
# The same answers as counting.count_by / count_by_topic on the raw rows,
# for the dimensions the aggregates hold (tests/reports/test_aggregates.py
# checks that they agree).

AGGREGATED = {
    "month": "month",
    "language": "language_id",
    "channel": "channel",
    "interpretation_mode": "interpretation_mode",
    "desk": "desk_id",
    "residence_municipality": "residence",
    "outcome": "outcome",
}


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


def aggregate_count_by(scope_ids, filters, dimension: str) -> dict:
    from django.db.models import Sum

    from .models import ConsultationCount

    column = AGGREGATED[dimension]
    rows = _scoped(ConsultationCount, scope_ids, filters).order_by().values(column).annotate(total=Sum("n"))
    return {row[column]: row["total"] for row in rows if row["total"]}


def aggregate_topic_counts(scope_ids, filters) -> dict:
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

    from .models import TopicCount

    column = TOPIC_AGGREGATED[dimension]
    rows = _scoped(TopicCount, scope_ids, filters).order_by().values("topic_id", column).annotate(total=Sum("n"))
    return {(row["topic_id"], row[column]): row["total"] for row in rows if row["total"]}
