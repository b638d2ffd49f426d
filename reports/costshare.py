"""The cost share (負担金按分, DESIGN §7): per municipality of the consortium,
consultations, interpreter minutes and cost by modality and language, and
each municipality's share of the amount to split under the consortium's
rule for the fiscal year (`CostShareRule`, kept by administrators).

What is attributed to whom
--------------------------

* **Consultations**: to the client's residence municipality *then* (the
  snapshot recorded on the consultation, counting rule 6); when no residence
  is recorded (anonymous consultations included), to the municipality of the
  desk that took it — the rule `interpreters.services.attribution_for`
  applies to bookings.  Residents of places outside the consortium form the
  row "outside the consortium".  Read from the aggregates.
* **Interpreter minutes and cost**: completed bookings (実施済) whose start
  falls in the fiscal year, by `Booking.attributed_municipality` /
  `attributed_outside_area` (fixed when the booking was completed), summed
  in SQL per modality and per language.

The rule
--------

The amount to split is the rule's amount, or — when it is empty — the
fiscal year's interpreter cost rounded to the yen (half up).  Only member
municipalities pay: what residents of other places used is a cost of the
consortium and is split like everything else.

* ``consultations``: in proportion to each member's consultations;
* ``interpreter_cost``: in proportion to each member's interpreter cost;
* ``base_plus_usage``: every member pays the fixed base; the rest is split in
  proportion to consultations or interpreter cost (`usage_basis`).
  A base that exceeds the amount is an error shown to the reader.

When every weight is zero the amount is split equally.

Rounding to the yen (largest remainder): each exact share (a fraction) is
rounded down to the yen; the yen left over — fewer than the number of
members — go one each to the members with the largest remainders, ties to
the municipality with the lower local government code.  The shares
therefore always add up exactly to the amount, and no share differs from
its exact value by a yen or more.

Worked example (tests/reports/test_cost_share.py): 100,000 yen split by
consultations 3 : 2 : 1 among three members → exact 50,000, 33,333⅓,
16,666⅔ → rounded down 50,000, 33,333, 16,666 (99,999), the 1 yen left goes
to the largest remainder (⅔) → 50,000 / 33,333 / 16,667.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality

from . import aggregates
from .counting import OUTSIDE, UNKNOWN, Filters, period_bounds
from .models import CostShareRule, ShareMethod, UsageBasis

MODALITIES = ("onsite", "phone", "video", "three_way")


class CostShareError(ValueError):
    pass


@dataclass
class Row:
    """One municipality (or the outside row: municipality None)."""

    municipality: Municipality | None
    consultations: int = 0
    minutes: dict = field(default_factory=lambda: dict.fromkeys(MODALITIES, 0))
    cost: dict = field(default_factory=lambda: dict.fromkeys(MODALITIES, Decimal(0)))
    share: int | None = None
    base: int = 0

    @property
    def key(self):
        return self.municipality.pk if self.municipality else OUTSIDE

    @property
    def total_minutes(self) -> int:
        return sum(self.minutes.values())

    @property
    def total_cost(self) -> Decimal:
        return sum(self.cost.values(), Decimal(0))


@dataclass
class CostShare:
    fiscal_year: int
    rule: CostShareRule
    rule_is_default: bool
    amount: int
    rows: list[Row]  # members in code order, then the outside row
    languages: list[tuple]  # (municipality label, language, modality, bookings, minutes, cost)
    error: str = ""

    @property
    def totals(self) -> Row:
        total = Row(municipality=None)
        for row in self.rows:
            total.consultations += row.consultations
            for m in MODALITIES:
                total.minutes[m] += row.minutes[m]
                total.cost[m] += row.cost[m]
            total.base += row.base
        total.share = sum(row.share or 0 for row in self.rows)
        return total


def allocate(amount: int, weights: dict) -> dict:
    """Split `amount` yen in proportion to `weights` (ordered: ties go to the
    earlier key), exactly, by largest remainder.  All weights zero → equal."""
    if not weights:
        return {}
    if sum(weights.values()) == 0:
        weights = dict.fromkeys(weights, 1)
    total_weight = Fraction(sum(Fraction(w) for w in weights.values()))
    exact = {k: Fraction(amount) * Fraction(w) / total_weight for k, w in weights.items()}
    shares = {k: int(v) for k, v in exact.items()}  # floor: v >= 0
    left = amount - sum(shares.values())
    order = list(weights)
    by_remainder = sorted(order, key=lambda k: (-(exact[k] - shares[k]), order.index(k)))
    for k in by_remainder[:left]:
        shares[k] += 1
    return shares


def rule_for(consortium, fiscal_year: int) -> tuple[CostShareRule, bool]:
    rule = CostShareRule.objects.filter(consortium=consortium, fiscal_year=fiscal_year).first()
    if rule:
        return rule, False
    return CostShareRule(consortium=consortium, fiscal_year=fiscal_year, method=ShareMethod.CONSULTATIONS), True


def _consultations(members: dict, fiscal_year: int) -> dict:
    """{municipality id | OUTSIDE: consultations} from the aggregates."""
    from .models import DimensionCount

    filters = Filters(fiscal_year=fiscal_year)
    qs = aggregates._scoped(DimensionCount, frozenset(members), filters).filter(dimension="residence_municipality")
    result: dict = defaultdict(int)
    rows = qs.order_by().values("key", "desk__municipality_id").annotate(total=Sum("n"))
    for row in rows:
        residence = row["key"]
        if residence == UNKNOWN:
            key = row["desk__municipality_id"]
        elif residence == OUTSIDE or int(residence) not in members:
            key = OUTSIDE
        else:
            key = int(residence)
        result[key] += row["total"]
    return result


def _bookings(members: dict, fiscal_year: int):
    from interpreters.models import Booking, BookingStatus

    start, end = period_bounds(fiscal_year)
    desk_municipalities = list(members)
    return (
        Booking.objects.filter(
            status=BookingStatus.COMPLETED,
            starts_at__gte=start,
            starts_at__lt=end,
            desk__municipality_id__in=desk_municipalities,
        )
        .order_by()
        .values("attributed_municipality_id", "attributed_outside_area", "modality", "language_id")
        .annotate(bookings=Count("id"), minutes=Sum("actual_minutes"), cost=Sum("cost"))
    )


def _booking_key(row, members: dict):
    m = row["attributed_municipality_id"]
    if row["attributed_outside_area"] or m not in members:
        return OUTSIDE
    return m


def cost_share(consortium, fiscal_year: int) -> CostShare:
    from consult.models import Language

    members = {m.pk: m for m in Municipality.objects.filter(consortium=consortium).order_by("code")}
    rows = {pk: Row(municipality=m) for pk, m in members.items()}
    rows[OUTSIDE] = Row(municipality=None)
    for key, n in _consultations(members, fiscal_year).items():
        rows[key].consultations += n
    language_names = {lang.pk: lang.name for lang in Language.objects.all()}
    detail: dict = defaultdict(lambda: [0, 0, Decimal(0)])
    for b in _bookings(members, fiscal_year):
        key = _booking_key(b, members)
        modality = b["modality"] if b["modality"] in MODALITIES else MODALITIES[0]
        rows[key].minutes[modality] += b["minutes"] or 0
        rows[key].cost[modality] += b["cost"] or Decimal(0)
        cell = detail[(key, b["language_id"], modality)]
        cell[0] += b["bookings"]
        cell[1] += b["minutes"] or 0
        cell[2] += b["cost"] or Decimal(0)
    rule, is_default = rule_for(consortium, fiscal_year)
    interpreter_cost = sum((r.total_cost for r in rows.values()), Decimal(0))
    amount = rule.amount if rule.amount is not None else int(interpreter_cost.quantize(Decimal(1), ROUND_HALF_UP))
    ordered = [rows[pk] for pk in members] + [rows[OUTSIDE]]
    result = CostShare(fiscal_year, rule, is_default, amount, ordered, _language_rows(detail, rows, language_names))
    try:
        _apply_rule(rule, amount, [rows[pk] for pk in members])
    except CostShareError as error:
        result.error = str(error)
    return result


def _language_rows(detail: dict, rows: dict, language_names: dict) -> list[tuple]:
    order = {key: i for i, key in enumerate(rows)}
    out = []
    for (key, language_id, modality), (n, minutes, cost) in sorted(
        detail.items(), key=lambda kv: (order[kv[0][0]], language_names.get(kv[0][1], ""), kv[0][2])
    ):
        out.append((rows[key], language_names.get(language_id, language_id), modality, n, minutes, cost))
    return out


def _weight(row: Row, basis: str):
    return row.consultations if basis == UsageBasis.CONSULTATIONS else row.total_cost


def _apply_rule(rule: CostShareRule, amount: int, members: list[Row]) -> None:
    if not members:
        return
    if rule.method == ShareMethod.BASE_PLUS_USAGE:
        base = rule.base_amount
        rest = amount - base * len(members)
        if rest < 0:
            raise CostShareError(_("The fixed bases add up to more than the amount to share."))
        basis = rule.usage_basis
    else:
        base, rest, basis = 0, amount, rule.method
    shares = allocate(rest, {row.key: _weight(row, basis) for row in members})
    for row in members:
        row.base = base
        row.share = base + shares[row.key]


def cost_share_for(user, fiscal_year: int | None):
    """(CostShare, keys of the rows `user` may see, whether they see the whole
    consortium) — (None, ∅, False) when they may see none.  Hub: every row
    and the total; elsewhere (a statistics viewer, a partner municipality's
    coordinator): their own municipality's row only."""
    from core.fiscal import fiscal_year as current_fiscal_year
    from municipalities.visibility import statistics_municipality_ids

    ids = statistics_municipality_ids(user)
    consortium_ids = set(
        Municipality.objects.filter(pk__in=ids, consortium__isnull=False).values_list("consortium_id", flat=True)
    )
    if len(consortium_ids) != 1:
        return None, frozenset(), False
    from municipalities.models import Consortium

    consortium = Consortium.objects.get(pk=consortium_ids.pop())
    result = cost_share(consortium, fiscal_year or current_fiscal_year())
    members = {r.key for r in result.rows if r.municipality is not None}
    whole = members <= ids
    visible = frozenset({*members, OUTSIDE}) if whole else frozenset(members & ids)
    return result, visible, whole
