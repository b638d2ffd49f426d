"""What the benchmark dataset is made of: its size, the ids it points at, its names.

:class:`DatasetPlan` is the size; :class:`Context` holds the ids of the
reference rows and demo staff and the weighted lotteries (demo/cases.py's
mix) that the SQL of demo/bench/dataset.py draws from; :func:`person_pool`
is the pool of synthetic people (demo/people.py) whose ``search_text`` and
``name_grams`` are computed by consult/names.py exactly as ``Client.save()``
would.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.utils import translation

from consult import names
from demo import cases, people

SLOTS = 1000  # resolution of the weighted lotteries below (0.1 %)


@dataclass
class DatasetPlan:
    consultations: int
    seed: int = 2026
    years: int = 4  # consultations spread over the last `years` years

    @property
    def cases(self) -> int:
        return max(1, round(self.consultations * 0.6))

    @property
    def clients(self) -> int:
        return max(1, round(self.consultations * 0.35))

    @property
    def pool_size(self) -> int:
        """Synthetic people drawn in Python; clients pick from them at random,
        so the pool keeps the mix of origins and name forms of demo/people.py."""
        return min(50_000, max(500, self.clients // 5))


def lottery(weights: dict, slots: int = SLOTS) -> list:
    """`slots` values, each repeated in proportion to its weight: a uniform
    pick of one slot in SQL is a weighted pick of a value."""
    total = sum(weights.values())
    out: list = []
    carry = 0.0
    for value, weight in weights.items():
        exact = weight / total * slots + carry
        n = round(exact)
        carry = exact - n
        out += [value] * n
    while len(out) < slots:
        out.append(max(weights, key=weights.get))
    return out[:slots]


class Context:
    """Ids of the reference rows and demo staff the dataset points at."""

    def __init__(self, consortium):
        from consult.models import Language, ResidenceStatus, Topic
        from municipalities.models import Desk, Membership, Municipality
        from municipalities.roles import CASE_ROLES, Role

        desks = list(
            Desk.objects.filter(municipality__consortium=consortium, active=True).order_by(
                "-is_hub", "municipality__code", "code"
            )
        )
        users = {}
        preference = {Role.COUNTER_STAFF: 0, Role.PARTNER_CLERK: 1, Role.COORDINATOR: 2}
        memberships = Membership.objects.active().filter(municipality__consortium=consortium, role__in=CASE_ROLES)
        for m in sorted(memberships, key=lambda m: (preference.get(m.role, 9), m.user_id)):
            users.setdefault(m.municipality_id, m.user_id)
        missing = [d.code for d in desks if d.municipality_id not in users]
        if missing:
            raise ValueError(f"no case-working staff for desks {missing}: run seed_demo first")
        self.desks = desks
        self.desk_ids = [d.pk for d in desks]
        self.desk_codes = [d.code for d in desks]
        self.desk_users = [users[d.municipality_id] for d in desks]
        self.desk_municipalities = [d.municipality_id for d in desks]
        self.hub_desk_id = desks[0].pk
        self.municipality_ids = list(Municipality.objects.filter(consortium=consortium).values_list("pk", flat=True))
        self.languages = dict(Language.objects.values_list("code", "pk"))
        self.statuses = dict(ResidenceStatus.objects.values_list("code", "pk"))
        topics = list(Topic.objects.active().select_related("parent").order_by("code"))
        with translation.override("ja"):
            self.topic_ids = [t.pk for t in topics]
            self.topic_names = [t.name for t in topics]
        # Each top-level topic's share: 20 % on itself, 80 % over its sub-topics.
        children: dict[str, list[int]] = {}
        for i, t in enumerate(topics, start=1):
            if t.parent_id:
                children.setdefault(t.parent.code, []).append(i)
        topic_weights: dict[int, float] = {}
        for i, t in enumerate(topics, start=1):
            if t.parent_id is None:
                share = cases.TOPIC_WEIGHTS.get(t.code, 1)
                kids = children.get(t.code, [])
                topic_weights[i] = share * (0.2 if kids else 1)
                for kid in kids:
                    topic_weights[kid] = share * 0.8 / len(kids)
        hub_weight = cases.DESK_WEIGHTS.get(self.desk_codes[0], 60)
        self.params = {
            "desk_ids": self.desk_ids,
            "desk_codes": self.desk_codes,
            "desk_users": self.desk_users,
            "desk_munis": self.desk_municipalities,
            "muni_ids": self.municipality_ids,
            "desk_lottery": lottery(
                {
                    i: cases.DESK_WEIGHTS.get(code, hub_weight if i == 1 else 4)
                    for i, code in enumerate(self.desk_codes, 1)
                }
            ),
            "topic_ids": self.topic_ids,
            "topic_names": self.topic_names,
            "topic_lottery": lottery(topic_weights),
            "lang_lottery": lottery({self.languages[c]: w for c, w in cases.LANGUAGES_ANONYMOUS.items()}),
            "plain_languages": [self.languages[c] for c in ("ja", "ja-x-easy") if c in self.languages],
            "hub_channels": lottery(cases.CHANNELS_HUB),
            "partner_channels": lottery(cases.CHANNELS_PARTNER),
            "hub_modes": lottery(cases.INTERPRETATION_HUB),
            "partner_modes": lottery(cases.INTERPRETATION_PARTNER),
            "actions": lottery(cases.ACTIONS),
            "notes": cases.NOTES,
            "follow_up_notes": cases.FOLLOW_UP_NOTES,
            "outside": people.OUTSIDE_AREA,
        }


def person_pool(plan: DatasetPlan, ctx: Context, today) -> list[tuple]:
    rng = random.Random(plan.seed)
    cache: dict[tuple[str, str, str], tuple[str, list[str]]] = {}
    rows = []
    for i in range(1, plan.pool_size + 1):
        p = people.make_person(rng, today=today)
        key = (p.name, p.name_kana, p.name_latin)
        if key not in cache:
            text = names.search_text(*key)  # exactly what Client.refresh_search_fields() stores
            cache[key] = (text, sorted(names.grams_of(text)))
        text, grams = cache[key]
        rows.append(
            (
                i,
                p.name,
                p.name_kana,
                p.name_latin,
                p.nationality,
                ctx.languages.get(p.language),
                ctx.statuses.get(p.residence_status),
                bool(p.residence_status) and p.residence_status not in people.PERMANENT_STATUSES,
                p.gender,
                p.age_band,
                p.birth_year,
                p.client_type,
                text,
                grams,
            )
        )
    return rows
