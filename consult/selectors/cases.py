"""Reads for the case list and the case page (HackSoft "selectors").

The case list is built for big tables (DESIGN §10, issue 3 targets: p95
≤ 150 ms at 1,000,000 consultations, a page 10,000 deep as fast as page 1):

* KEYSET pagination: ``ORDER BY <key> DESC, id DESC`` and a cursor holding the
  last row's ``(key, id)``; the next page is ``WHERE (key, id) < (…)`` — a
  row comparison PostgreSQL uses as an index condition on
  ``case_activity_idx`` / ``case_opened_idx`` / ``case_reference_prefix_idx``,
  so page 10,000 reads as few index entries as page 1.  No OFFSET.
* A BOUNDED count: ``SELECT count(*) FROM (… LIMIT cap + 1)``; beyond the cap
  the page says "1,000+" instead of counting a million rows (a name search
  stops at 200: "200+"; a full name, two parts or more, at 1,000).
  Counting costs in proportion to the cap, so the cap is small; exact
  figures are the reports' job.  The language and
  topic filters read arrays the database keeps on the case
  (Case.language_ids, Case.topic_ids, migration 0016) instead of checking
  each counted case against its consultations.
* CONSTANT queries: the rows come in one query; language, consultation
  count and the next due follow-up are correlated subqueries in that
  same query (evaluated only for the rows of the page), desk, client and
  assignee are joined.  10 or 100 rows per page cost the same number of
  queries.
* Every list MATCHES ONCE: the bounded set of matching cases is
  materialised in one statement that returns both its size and, when it is
  within the cap, the page's ids (``_count_and_page_ids``); the rows are
  then fetched by primary key.  Counting and paging separately evaluated a
  client-name match twice (half of a search's time at 1,000,000
  consultations), and a rare filter (overdue follow-ups) walked the sort
  index far to fill its page.  Beyond the cap the page is read along the
  sort index, where matches are dense enough to be found at once.
* Scope: everything starts from ``Case.objects.visible_to(user)`` — the one
  visibility rule (municipalities/visibility.py).  Filters only narrow it.

`case_list()` is what the view and the benchmark (``bench_cases``) call.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import User

from .. import names
from ..models import Case, Client, Consultation, FollowUp, Topic

DEFAULT_COUNT_CAP = 1_000
DEFAULT_SEARCH_COUNT_CAP = 200
DEFAULT_FULL_NAME_COUNT_CAP = 1_000
PER_PAGE_CHOICES = (10, 25, 50, 100)
DEFAULT_PER_PAGE = 25

# sort name → (column, descending).  Every sort is (column, id) in one
# direction, so one row comparison serves as the keyset condition and one
# b-tree index serves the ORDER BY (scanned forwards or backwards).
SORTS: dict[str, tuple[str, bool]] = {
    "activity": ("last_activity_at", True),
    "opened": ("opened_at", True),
    "opened_asc": ("opened_at", False),
    "reference": ("reference", False),
}
DEFAULT_SORT = "activity"

# Status filter values besides the CaseStatus ones.
STATUS_ACTIVE = "active"  # every status except closed

_CURSOR_SALT = "consult.case_list.cursor"
_REFERENCE_QUERY = re.compile(r"^[A-Z0-9]{2,8}-[0-9]{0,4}(?:-[0-9]{0,5})?$")
_DASHES = re.compile(r"[\u2010-\u2015\u2212\u30fc\uff0d\uff70]")


class InvalidCursor(ValueError):
    """The page link's cursor is damaged, tampered with, or from another sort."""


@dataclass(frozen=True)
class CaseFilters:
    """What the case list is narrowed by.  Every field is optional; values
    have been validated by the caller (CaseListFilterForm) — the selector
    only applies them, always inside the user's visible scope."""

    q: str = ""
    status: str = ""  # a CaseStatus value or STATUS_ACTIVE
    desk_id: int | None = None
    assignee: str | int | None = None  # "me", "none" or a user id
    language_id: int | None = None
    topic_id: int | None = None  # a parent topic includes its children
    opened_from: date | None = None  # the date the case was opened (Asia/Tokyo)
    opened_to: date | None = None
    residence: str | int | None = None  # a municipality id or "outside"
    overdue: bool = False
    sort: str = DEFAULT_SORT


@dataclass
class CaseListPage:
    rows: list[Case]
    count: int  # rows matching, at most `count_cap`
    count_capped: bool  # True: more than `count_cap` rows match
    count_cap: int
    next_cursor: str | None
    prev_cursor: str | None
    per_page: int
    sort: str

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_cursor or self.prev_cursor)

    @property
    def count_label(self) -> str:
        """ "1,234" or, beyond the cap, "10,000+"."""
        return f"{self.count_cap:,}+" if self.count_capped else f"{self.count:,}"


def count_cap() -> int:
    """How far the list counts exactly (CASE_LIST_COUNT_CAP, 1,000).  At
    10,000 a language or topic filter spent 140 ms of database time
    counting at 1,000,000 consultations (docs/decisions/0018, fourth pass)."""
    return int(getattr(settings, "CASE_LIST_COUNT_CAP", DEFAULT_COUNT_CAP))


def search_count_cap(q: str = "") -> int:
    """How far a name search counts exactly (CASE_SEARCH_COUNT_CAP, 200):
    "200+ cases" already tells the person at the counter to add a given
    name or a filter, and counting a common name's cases to 1,000 cost a
    search ~7 ms of database time on average at 1,000,000 consultations
    (docs/decisions/0018, fifth pass).  Within the cap the page is sorted
    from the counted matches; beyond it, see `_walked_page`.

    A full name — two name parts or more, as copied from a residence card —
    counts further (CASE_SEARCH_FULL_NAME_COUNT_CAP, 1,000): one person's
    name is shared by a few hundred cases at most, too thinly spread to be
    found along the sort index (the walk of 10,000 cases failed, then every
    match was sorted anyway: "Wang Xiaohong", 790 cases, ~80 ms at
    1,000,000 consultations), while counting and sorting them all is one
    statement of ~20 ms that also gives the exact count.  Common pairs
    ("nguyen van", thousands of cases) pay for the longer count, ~10 ms
    more; at 2,000 they paid ~25 ms (docs/decisions/0018, seventh pass).
    A single part ("nguyen", "田中") is the crowd's case and keeps the
    small cap."""
    cap = int(getattr(settings, "CASE_SEARCH_COUNT_CAP", None) or DEFAULT_SEARCH_COUNT_CAP)
    if len(names.query_tokens(q)) < 2:
        return cap
    return max(cap, int(getattr(settings, "CASE_SEARCH_FULL_NAME_COUNT_CAP", None) or DEFAULT_FULL_NAME_COUNT_CAP))


# How many cases along the sort index a name search shared by more cases
# than its count cap reads at most to fill its page before it sorts every
# match instead: a name on 1 case in 400 of those visible fills a page of 25
# in about 10,000.  The walk stops at the page's last match, so a common
# name reads far fewer; over bench_http's search terms 10,000 rather than
# 5,000 cut a search's mean from ~37 to ~24 ms and its p95 from ~80 to
# ~34 ms (docs/decisions/0018, fifth pass).
SEARCH_WALK = 10_000


# --- search ------------------------------------------------------------------
def reference_query(q: str) -> str | None:
    """The reference-number prefix `q` stands for, or None if `q` is a name.

    "KRS-2026-00042", "krs-2026", "ＫＲＳ－２０２６" (full width) are
    references; a reference always has a hyphen after the desk code, names
    searched here never do after normalisation ("LI" stays a name)."""
    text = unicodedata.normalize("NFKC", q or "")
    text = _DASHES.sub("-", re.sub(r"\s+", "", text)).upper()
    return text if _REFERENCE_QUERY.match(text) else None


def _search(qs: QuerySet[Case], q: str, user: User) -> QuerySet[Case]:
    q = (q or "").strip()
    if not q:
        return qs
    reference = reference_query(q)
    if reference is not None:
        # LIKE 'KRS-2026-000%' on case_reference_prefix_idx (varchar_pattern_ops).
        return qs.filter(reference__startswith=reference)
    # Client name in any script/order/width: GIN bigram index, see consult/names.py.
    # Client.visible_to narrows on desk_ids in the same GIN index
    # (client_name_desks_gin), so a partner clerk's search reads only the
    # matches at their own desks, not the whole consortium's.
    return qs.filter(client__in=Client.objects.visible_to(user).search(q).values("pk"))


def _client_name_match(q: str) -> Subquery:
    """The case's client if it matches `q`, checked case by case.

    A scalar subquery is never turned into a join: PostgreSQL checks each
    case's client by primary key as it walks the sort's index, and stops
    when the page is full (see `_walked_page`)."""
    return Subquery(Client.objects.filter(pk=OuterRef("client_id")).search(q).values("pk")[:1])


# --- filters -----------------------------------------------------------------
def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def _filtered(user: User, filters: CaseFilters, today: date) -> QuerySet[Case]:
    qs = _search(Case.objects.visible_to(user), filters.q, user)
    qs = _by_status_desk_assignee(qs, filters, user)
    qs = _by_content(qs, filters)
    qs = _by_dates_and_residence(qs, filters)
    if filters.overdue:
        qs = qs.with_overdue_follow_ups(today)
    return qs


def case_list_queryset(user: User, filters: CaseFilters, today: date | None = None) -> QuerySet[Case]:
    """The case list's rows without paging: what an export of the list holds."""
    return _filtered(user, filters, today or timezone.localdate())


def _by_status_desk_assignee(qs: QuerySet[Case], filters: CaseFilters, user: User) -> QuerySet[Case]:
    if filters.status == STATUS_ACTIVE:
        qs = qs.open()
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.desk_id:
        qs = qs.filter(handling_desk_id=filters.desk_id)
    if filters.assignee == "me":
        qs = qs.filter(assignee_id=user.pk)
    elif filters.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif filters.assignee:
        qs = qs.filter(assignee_id=int(filters.assignee))
    return qs


def _by_content(qs: QuerySet[Case], filters: CaseFilters) -> QuerySet[Case]:
    """Language used and topic (a parent topic includes its children), read
    from the arrays the database keeps on the case (Case.language_ids,
    Case.topic_ids) rather than from each case's consultations."""
    if filters.language_id:
        qs = qs.filter(language_ids__contains=[filters.language_id])
    if filters.topic_id:
        # The topic and its children, retired ones included (the cases that
        # carry them still match), as constants the planner can estimate.
        topics = Topic.objects.filter(Q(pk=filters.topic_id) | Q(parent_id=filters.topic_id))
        qs = qs.filter(topic_ids__overlap=sorted({filters.topic_id, *topics.values_list("pk", flat=True)}))
    return qs


def _by_dates_and_residence(qs: QuerySet[Case], filters: CaseFilters) -> QuerySet[Case]:
    if filters.opened_from:
        qs = qs.filter(opened_at__gte=_day_start(filters.opened_from))
    if filters.opened_to and filters.opened_to < date.max:
        # date.max (9999-12-31) has no next day: it means "no end" (a date overflow was a 500).
        qs = qs.filter(opened_at__lt=_day_start(filters.opened_to + timedelta(days=1)))
    if filters.residence == "outside":
        qs = qs.filter(client__lives_outside_area=True)
    elif filters.residence:
        qs = qs.filter(client__residence_municipality_id=int(filters.residence))
    return qs


# --- keyset cursors ----------------------------------------------------------
def _key_value(case: Case, column: str) -> str:
    value = getattr(case, column)
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _encode_cursor(case: Case, sort: str, direction: str) -> str:
    column, _desc = SORTS[sort]
    return signing.dumps({"s": sort, "k": _key_value(case, column), "i": case.pk, "d": direction}, salt=_CURSOR_SALT)


def decode_cursor(cursor: str, sort: str) -> tuple[Any, int, str]:
    """(key value, id, "n"|"p") of a cursor made by this module for `sort`."""
    try:
        data = signing.loads(cursor, salt=_CURSOR_SALT)
    except signing.BadSignature as exc:
        raise InvalidCursor("bad signature") from exc
    if not isinstance(data, dict) or data.get("s") != sort or data.get("d") not in ("n", "p"):
        raise InvalidCursor("cursor of another sort")
    pk, raw = data.get("i"), data.get("k")
    if not isinstance(pk, int) or not isinstance(raw, str):
        raise InvalidCursor("malformed cursor")
    column, _desc = SORTS[sort]
    if column.endswith("_at"):
        value = parse_datetime(raw)
        if value is None or timezone.is_naive(value):
            raise InvalidCursor("malformed cursor time")
    else:
        value = raw
    return value, pk, data["d"]


# --- the list ----------------------------------------------------------------
def _row_data_sql() -> dict[str, str]:
    """The three per-row subqueries of `_with_row_data`, as SQL written once.

    Each is a correlated subquery on an index that leads with the case
    (consultation_case_idx, followup_case_status_idx), run only for the
    rows of the page.  Written out rather than built from Subquery()
    expressions: building and compiling those three cost ~1.4 ms of Python
    on every list request, the SQL below nothing (docs/decisions/0018,
    "Fifth pass").  The outer row is ``consult_case``, the alias Django
    gives the base table of a top-level query on Case."""
    case = connections["default"].ops.quote_name(Case._meta.db_table)
    consultation = Consultation._meta.db_table
    language = Consultation._meta.get_field("language").related_model._meta.db_table
    follow_up = FollowUp._meta.db_table
    return {
        "latest_language": (
            f"SELECT l.autonym FROM {consultation} u JOIN {language} l ON l.id = u.language_id "  # noqa: S608
            f"WHERE u.case_id = {case}.id ORDER BY u.occurred_at DESC, u.id DESC LIMIT 1"
        ),
        "consultation_count": f"SELECT count(*) FROM {consultation} u WHERE u.case_id = {case}.id",  # noqa: S608
        "next_due_date": (
            f"SELECT min(f.due_date) FROM {follow_up} f "  # noqa: S608
            f"WHERE f.case_id = {case}.id AND f.status = %s"
        ),
    }


_ROW_DATA_SQL = _row_data_sql()


def _with_row_data(qs: QuerySet[Case]) -> QuerySet[Case]:
    """What a list row shows, fetched in the same query as the rows:
    desk, client and assignee joined, and the latest consultation's
    language, the number of consultations and the earliest open
    follow-up's due date as correlated subqueries (`_row_data_sql`).
    "Overdue" is derived from `next_due_date` rather than a separate
    EXISTS, which PostgreSQL would hash over every open follow-up of the
    table."""
    sql = _ROW_DATA_SQL
    return (
        qs.select_related("handling_desk", "client", "assignee")
        .defer("sensitive_notes", "client__search_text", "client__name_grams", "assignee__password")
        .annotate(
            latest_language=RawSQL(sql["latest_language"], ()),  # noqa: S611 — constant SQL above
            consultation_count=RawSQL(sql["consultation_count"], ()),  # noqa: S611
            next_due_date=RawSQL(sql["next_due_date"], (FollowUp.Status.OPEN.value,)),  # noqa: S611
        )
    )


def case_list(
    *,
    user: User,
    filters: CaseFilters | None = None,
    cursor: str | None = None,
    per_page: int = DEFAULT_PER_PAGE,
    today: date | None = None,
) -> CaseListPage:
    """One page of the cases `user` may see, narrowed by `filters`.

    Two queries: the bounded count with, within the cap, the page's ids;
    then the rows (by id, or beyond the cap along the sort index).  Raises
    InvalidCursor for a cursor this module did not make for this sort (the
    view then shows the first page with a message)."""
    filters = filters or CaseFilters()
    sort = filters.sort if filters.sort in SORTS else DEFAULT_SORT
    per_page = per_page if per_page in PER_PAGE_CHOICES else DEFAULT_PER_PAGE
    today = today or timezone.localdate()
    column, descending = SORTS[sort]
    direction = "n"
    qs = _filtered(user, filters, today)

    name_search = bool(filters.q.strip()) and reference_query(filters.q) is None
    cap = search_count_cap(filters.q) if name_search else count_cap()
    keyset = decode_cursor(cursor, sort) if cursor else None
    if keyset is not None:
        direction = keyset[2]
    backwards = direction == "p"
    reverse_order = descending != backwards
    order = [f"-{column}", "-id"] if reverse_order else [column, "id"]

    matching, page_ids = _count_and_page_ids(
        qs, column=column, reverse_order=reverse_order, keyset=keyset, limit=per_page + 1, cap=cap
    )
    if matching <= cap:
        fetched = list(_with_row_data(Case.objects.filter(pk__in=page_ids)).order_by(*order))
        return _page(fetched, sort, per_page, today, cursor, backwards, matching, cap)

    if name_search:
        # A name shared by more cases than the cap: the first page's worth
        # of them along the sort index, or else every match sorted.
        fetched = _walked_page(
            user, filters, today, column=column, reverse_order=reverse_order, keyset=keyset, limit=per_page + 1
        )
        if fetched is None:
            _all, page_ids = _count_and_page_ids(
                qs, column=column, reverse_order=reverse_order, keyset=keyset, limit=per_page + 1, cap=None
            )
            fetched = list(_with_row_data(Case.objects.filter(pk__in=page_ids)).order_by(*order))
        return _page(fetched, sort, per_page, today, cursor, backwards, matching, cap)

    fetched = list(_with_row_data(_after(qs, column, reverse_order, keyset)).order_by(*order)[: per_page + 1])
    return _page(fetched, sort, per_page, today, cursor, backwards, matching, cap)


def _after(qs: QuerySet[Case], column: str, reverse_order: bool, keyset: tuple | None) -> QuerySet[Case]:
    """The rows after the cursor: forwards along the sort for "next",
    backwards for "previous" (a row comparison on the sort's index)."""
    if keyset is None:
        return qs
    value, pk, _direction = keyset
    lookup = TupleLessThan if reverse_order else TupleGreaterThan
    return qs.filter(lookup(Tuple(F(column), F("id")), (value, pk)))


def _walked_page(
    user: User,
    filters: CaseFilters,
    today: date,
    *,
    column: str,
    reverse_order: bool,
    keyset: tuple | None,
    limit: int,
) -> list[Case] | None:
    """The page of a name search shared by more cases than its count cap,
    found along the sort index: the first SEARCH_WALK visible cases after
    the cursor, each checked against the name by its client's primary key
    (`_client_name_match`), the first `limit` that match.  None when fewer
    than `limit` match among them (a rarer name: the caller sorts every
    match instead).

    Collecting and sorting every match costs in proportion to the matches
    (a family name on 7,000 cases: 50 ms at 1,000,000 consultations, ten
    times that at 10,000,000); this walk costs in proportion to how far
    apart they lie, and never more than SEARCH_WALK rows.  The walk is a
    subquery with its own LIMIT so PostgreSQL cannot run past it."""
    order = [f"-{column}", "-id"] if reverse_order else [column, "id"]
    window = (
        _after(_filtered(user, replace(filters, q=""), today), column, reverse_order, keyset)
        .annotate(name_match=_client_name_match(filters.q))
        .order_by(*order)
        .values_list("pk", column, "name_match")[:SEARCH_WALK]
    )
    try:
        window_sql, params = window.query.sql_with_params()
    except EmptyResultSet:
        return []
    # Django's own SQL with %s parameters.  No ORDER BY outside: the walk's
    # rows come out of its LIMIT in the sort's order, so PostgreSQL stops
    # at the `limit`-th match instead of checking all SEARCH_WALK rows; the
    # rows query below sorts the page itself.
    walked = RawSQL(  # noqa: S611
        f"SELECT w.id FROM ({window_sql}) AS w (id, k, m) WHERE w.m IS NOT NULL LIMIT %s",  # noqa: S608
        (*params, limit),
    )
    fetched = list(_with_row_data(Case.objects.filter(pk__in=walked)).order_by(*order))
    return fetched if len(fetched) >= limit else None


def _count_and_page_ids(
    qs: QuerySet[Case], *, column: str, reverse_order: bool, keyset: tuple | None, limit: int, cap: int | None
) -> tuple[int, list[int]]:
    """How many cases match (at most cap + 1) and the ids of the page, in one
    statement that evaluates the match once (MATERIALIZED): the bounded
    match set is counted and, when it is within the cap, sorted by
    (column, id) in the same direction as the page's ORDER BY.  Beyond the
    cap the set was cut off before sorting: no ids.  `cap=None`: every
    match, counted and sorted."""
    matches = qs.order_by().values_list("pk", column)
    try:
        inner_sql, inner_params = (matches if cap is None else matches[: cap + 1]).query.sql_with_params()
    except EmptyResultSet:  # Django proved the match empty without asking (e.g. no visible desk)
        return 0, []
    order = "DESC" if reverse_order else "ASC"
    within, params = ("TRUE", list(inner_params)) if cap is None else ("c.n <= %s", [*inner_params, cap])
    where = ""
    if keyset is not None:
        where = f"WHERE (m.k, m.id) {'<' if reverse_order else '>'} (%s, %s)"
        params += [keyset[0], keyset[1]]
    # Django's own SQL with %s parameters; `within`, `where` and `order` are fixed strings.
    sql = (
        f"WITH m AS MATERIALIZED (SELECT * FROM ({inner_sql}) AS s (id, k)) "  # noqa: S608
        f"SELECT c.n, CASE WHEN {within} THEN "
        f"ARRAY(SELECT m.id FROM m {where} ORDER BY m.k {order}, m.id {order} LIMIT %s) END "
        f"FROM (SELECT count(*) AS n FROM m) AS c"
    )
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        count, ids = cursor.fetchone()
    return count, list(ids or ())


def _page(
    fetched: list[Case],
    sort: str,
    per_page: int,
    today: date,
    cursor: str | None,
    backwards: bool,
    matching: int,
    cap: int,
) -> CaseListPage:
    has_more = len(fetched) > per_page
    rows = fetched[:per_page]
    for row in rows:
        row.has_overdue_follow_up = row.next_due_date is not None and row.next_due_date < today
    if backwards:
        rows.reverse()
        next_cursor = _encode_cursor(rows[-1], sort, "n") if rows else None
        prev_cursor = _encode_cursor(rows[0], sort, "p") if rows and has_more else None
    else:
        next_cursor = _encode_cursor(rows[-1], sort, "n") if has_more else None
        prev_cursor = _encode_cursor(rows[0], sort, "p") if rows and cursor else None
    return CaseListPage(
        rows=rows,
        count=min(matching, cap),
        count_capped=matching > cap,
        count_cap=cap,
        next_cursor=next_cursor,
        prev_cursor=prev_cursor,
        per_page=per_page,
        sort=sort,
    )
