"""The counting rules of Madoguchi's statistics — in this one module (DESIGN §7).

Every table of the dashboard, the grant report (実績報告) and the exports is
computed here, from consultations scoped by the one visibility function
(`municipalities.visibility.statistics_municipality_ids`): a consultation is
counted for the municipality of the desk that took it (`Consultation.desk`),
once — never once per municipality, and not moved when its case is later
transferred to another desk.

Rules, with worked examples
---------------------------

1. **By consultation**: each consultation (相談受付) counts 1.

2. **Per topic** (相談内容ごとに計上): a consultation counts once for each
   distinct *top-level* topic (相談分野) it touches.  A sub-topic implies its
   parent and never counts twice within it::

       consultation A: 在留資格 › 在留期間更新, 在留資格 › 資格変更, 医療   → 在留資格 1, 医療 1
       consultation B: 在留資格, 在留資格 › 在留期間更新                   → 在留資格 1
       consultation C: 労働, 税金, 医療                                   → 3 (one each)

   Sub-topic rows are detail rows under their parent (A counts 1 under
   在留期間更新 and 1 under 資格変更; the parent still shows 1).

3. **By case**: distinct cases among the counted consultations (a case with
   three consultations in the year counts 3 consultations, 1 case).

4. **By month / fiscal year**: the consultation's `occurred_at` in
   Asia/Tokyo; the fiscal year runs April–March and is labelled
   2026年度（令和8年度） / FY2026 (Reiwa 8) (`fiscal_year_label`).

5. **Language, interpretation means, channel, desk**: as recorded on the
   consultation (Japanese and やさしい日本語 are languages like any other).

6. **What was true then**: residence municipality, residence status,
   nationality, age band and client type are the values copied onto the
   consultation when it was logged — a client who moved or changed status in
   2027 still counts under the 2026 values for 2026.  Residence outside the
   consortium counts under ``outside`` (「圏域外」), no record under
   ``unknown`` (anonymous consultations included).

7. **Outcome**: per consultation (resolved at the desk / referred /
   continuing), blank = not recorded (``unknown``).

8. **First vs repeat** (再相談 = 2回目以降の相談): a consultation is a repeat
   when the same client — after merges, the surviving client — or, for an
   anonymous case, the same case had an earlier consultation (at any time,
   in any desk the database holds).  Merging two records of one person
   therefore turns the later person's first consultation into a repeat.

9. **Hand-offs by destination**: hand-offs sent from a desk in scope in the
   period, counted by receiving desk or outside organisation, cancelled ones
   excluded.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time

from django.db.models import Case as When_
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from consult.models import Consultation, ConsultationTopic, HandOff, HandOffStatus
from core.fiscal import fiscal_year_bounds, wareki_fiscal_label
from municipalities.visibility import statistics_municipality_ids

OUTSIDE = "outside"
UNKNOWN = "unknown"


def fiscal_year_label(year: int, *, language: str | None = None) -> str:
    """2026年度（令和8年度） in Japanese, FY2026 (Reiwa 8) otherwise."""
    language = language or get_language() or "ja"
    if language.startswith("ja"):
        return f"{year}年度（{wareki_fiscal_label(year, language='ja')}）"
    return wareki_fiscal_label(year, language="en")


@dataclass(frozen=True)
class Filters:
    """The filters every table shares.  Empty = not filtered."""

    fiscal_year: int | None = None
    municipality_ids: frozenset[int] = field(default_factory=frozenset)
    desk_id: int | None = None
    language_id: int | None = None
    channel: str = ""
    interpretation_mode: str = ""


def period_bounds(fiscal_year: int) -> tuple[datetime, datetime]:
    """[start, end) of a fiscal year as aware datetimes in Asia/Tokyo."""
    first, _last = fiscal_year_bounds(fiscal_year)
    tz = timezone.get_default_timezone()
    return datetime.combine(first, time.min, tzinfo=tz), datetime.combine(
        fiscal_year_bounds(fiscal_year + 1)[0], time.min, tzinfo=tz
    )


def statistics_scope(user, filters: Filters = Filters()) -> frozenset[int]:
    """Municipalities counted: those `statistics_municipality_ids(user)`
    returns, narrowed (never widened) by the municipality filter."""
    scope = statistics_municipality_ids(user)
    if filters.municipality_ids:
        scope = scope & filters.municipality_ids
    return scope


def statistics_consultations(user, filters: Filters = Filters()) -> QuerySet[Consultation]:
    """Consultations `user` may count, narrowed by `filters`.  Scope: desks of
    the municipalities `statistics_scope` returns."""
    scope = statistics_scope(user, filters)
    return filter_consultations(Consultation.objects.filter(desk__municipality_id__in=scope), filters)


def filter_consultations(qs: QuerySet[Consultation], filters: Filters) -> QuerySet[Consultation]:
    if filters.fiscal_year is not None:
        start, end = period_bounds(filters.fiscal_year)
        qs = qs.filter(occurred_at__gte=start, occurred_at__lt=end)
    if filters.desk_id:
        qs = qs.filter(desk_id=filters.desk_id)
    if filters.language_id:
        qs = qs.filter(language_id=filters.language_id)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.interpretation_mode:
        qs = qs.filter(interpretation_mode=filters.interpretation_mode)
    return qs


# --- dimensions ---------------------------------------------------------------


def _residence_expr():
    return When_(
        When(client_outside_area=True, then=Value(OUTSIDE)),
        When(
            client_residence_municipality_id__isnull=False,
            then=Cast("client_residence_municipality_id", CharField()),
        ),
        default=Value(UNKNOWN),
        output_field=CharField(),
    )


def _blank_unknown(field_name: str):
    return When_(When(**{field_name: ""}, then=Value(UNKNOWN)), default=F(field_name), output_field=CharField())


def _repeat_expr():
    earlier = Consultation.objects.filter(
        Q(occurred_at__lt=OuterRef("occurred_at")) | Q(occurred_at=OuterRef("occurred_at"), id__lt=OuterRef("id"))
    )
    same_client = earlier.filter(case__client_id=OuterRef("case__client_id"))
    same_case = earlier.filter(case_id=OuterRef("case_id"))
    return When_(
        When(
            case__client_id__isnull=False,
            then=When_(When(Exists(same_client), then=Value("repeat")), default=Value("first")),
        ),
        When(Exists(same_case), then=Value("repeat")),
        default=Value("first"),
        output_field=CharField(),
    )


# name -> an expression (or field name) whose value is the row key
DIMENSIONS = {
    "month": lambda: TruncMonth("occurred_at", tzinfo=timezone.get_default_timezone()),
    "language": lambda: F("language_id"),
    "interpretation_mode": lambda: F("interpretation_mode"),
    "channel": lambda: F("channel"),
    "desk": lambda: F("desk_id"),
    "residence_municipality": _residence_expr,
    "nationality": lambda: _blank_unknown("client_nationality"),
    "residence_status": lambda: Coalesce(Cast("client_residence_status_id", CharField()), Value(UNKNOWN)),
    "age_band": lambda: _blank_unknown("client_age_band"),
    "client_type": lambda: _blank_unknown("client_type"),
    "outcome": lambda: _blank_unknown("outcome"),
    "first_or_repeat": _repeat_expr,
}


def count_by(qs: QuerySet[Consultation], dimension: str) -> dict:
    """{key: consultations} for one dimension (rules 4–8)."""
    expr = DIMENSIONS[dimension]()
    rows = qs.order_by().annotate(key=expr).values("key").annotate(n=Count("id"))
    result = {row["key"]: row["n"] for row in rows}
    if dimension == "month":
        tz = timezone.get_default_timezone()
        result = {timezone.localtime(k, tz).date() if k else k: v for k, v in result.items()}
    return result


def totals(qs: QuerySet[Consultation]) -> dict:
    """Consultations, cases and per-topic counts (rules 1–3)."""
    agg = qs.order_by().aggregate(consultations=Count("id"), cases=Count("case_id", distinct=True))
    agg["topic_counts"] = sum(count_by_topic(qs)["top"].values())
    return agg


def count_by_topic(qs: QuerySet[Consultation]) -> dict:
    """Rule 2.  {"top": {top_topic_id: n}, "sub": {sub_topic_id: n}}: a
    consultation counts once per distinct top-level topic, and once under
    each distinct sub-topic it names."""
    links = ConsultationTopic.objects.filter(consultation__in=qs.order_by().values("id")).annotate(
        top=Coalesce("topic__parent_id", "topic_id")
    )
    top = {
        row["top"]: row["n"]
        for row in links.order_by().values("top").annotate(n=Count("consultation_id", distinct=True))
    }
    sub = {
        row["topic_id"]: row["n"]
        for row in links.filter(topic__parent_id__isnull=False)
        .order_by()
        .values("topic_id")
        .annotate(n=Count("consultation_id", distinct=True))
    }
    return {"top": top, "sub": sub}


def count_topic_by(qs: QuerySet[Consultation], dimension: str) -> dict:
    """{(top_topic_id, key): n} — per-topic counts crossed with a dimension
    (the grant report's per-topic × month table)."""
    expr = DIMENSIONS[dimension]()
    links = (
        ConsultationTopic.objects.filter(consultation__in=qs.order_by().values("id"))
        .annotate(top=Coalesce("topic__parent_id", "topic_id"))
        .order_by()
        .values("top", "consultation_id")
        .distinct()
    )
    keyed = qs.order_by().annotate(key=expr).values("id", "key")
    key_of = {row["id"]: row["key"] for row in keyed}
    result: dict = defaultdict(int)
    for row in links:
        key = key_of.get(row["consultation_id"])
        if dimension == "month" and key is not None:
            key = timezone.localtime(key).date()
        result[(row["top"], key)] += 1
    return dict(result)


def count_cases(qs: QuerySet[Consultation]) -> int:
    return qs.order_by().aggregate(n=Count("case_id", distinct=True))["n"]


def handoffs_by_destination(user, filters: Filters = Filters()) -> dict:
    """Rule 9.  {("desk", id) | ("organisation", id): n}."""
    scope = statistics_scope(user, filters)
    qs = HandOff.objects.filter(from_desk__municipality_id__in=scope).exclude(status=HandOffStatus.CANCELLED)
    if filters.fiscal_year is not None:
        start, end = period_bounds(filters.fiscal_year)
        qs = qs.filter(sent_at__gte=start, sent_at__lt=end)
    if filters.desk_id:
        qs = qs.filter(from_desk_id=filters.desk_id)
    result: dict = {}
    for row in qs.order_by().values("to_desk_id", "to_organisation_id").annotate(n=Count("id")):
        key = ("desk", row["to_desk_id"]) if row["to_desk_id"] else ("organisation", row["to_organisation_id"])
        result[key] = result.get(key, 0) + row["n"]
    return result


DIMENSION_LABELS = {
    "month": _("month"),
    "language": _("language used"),
    "interpretation_mode": _("interpretation mode"),
    "channel": _("channel"),
    "desk": _("desk"),
    "residence_municipality": _("municipality of residence"),
    "nationality": _("nationality"),
    "residence_status": _("residence status"),
    "age_band": _("age band"),
    "client_type": _("client type"),
    "outcome": _("outcome"),
    "first_or_repeat": _("first or repeat consultation"),
}
