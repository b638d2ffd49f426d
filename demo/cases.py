"""Synthetic consultations for ``seed_demo --cases N`` (and the mix the benchmark copies).

:func:`consultation_specs` draws the first N demo consultations of a seed —
desk, date, channel, language, interpretation, topics, the person (from
demo/people.py), re-consultations, follow-ups — and :func:`seed_demo_cases`
writes the missing ones as rows.  The hub desk takes most consultations.
The weights below are also what ``bench_cases`` (demo/bench/) draws from.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from consult.models import (
    Case,
    CaseCounter,
    Client,
    Consultation,
    ConsultationTopic,
    FollowUp,
    Language,
    ResidenceStatus,
    Topic,
)
from consult.signals import consultations_bulk_loaded
from consult.snapshots import consultation_snapshots_fill
from core.fiscal import fiscal_year
from demo.people import OUTSIDE_AREA, PERMANENT_STATUSES, DemoPerson, make_person, pick
from municipalities.models import Desk, Membership, Municipality
from municipalities.roles import CASE_ROLES

# --- consultations ------------------------------------------------------------

LANGUAGES_ANONYMOUS = {
    "vi": 22, "zh-Hans": 11, "fil": 9, "en": 11, "pt": 7, "ne": 7, "id": 7, "ja-x-easy": 8, "ja": 5, "my": 3,
    "ko": 2, "es": 1, "th": 1, "si": 1, "zh-Hant": 0.5, "bn": 0.5, "mn": 0.5, "ru": 0.3, "uk": 0.3, "ur": 0.2,
}  # fmt: skip
CHANNELS_HUB = {"walk_in": 50, "phone": 28, "three_way_phone": 4, "email": 5, "sns": 8, "online": 3, "outreach": 2}
CHANNELS_PARTNER = {"walk_in": 55, "phone": 25, "three_way_phone": 12, "email": 3, "sns": 2, "online": 1, "outreach": 2}
INTERPRETATION_HUB = {
    "bilingual": 50, "tablet_video": 14, "onsite": 5, "phone_two_party": 10, "three_way_phone": 5, "device": 10,
    "written": 2, "none": 4,
}  # fmt: skip
INTERPRETATION_PARTNER = {
    "tablet_video": 35, "three_way_phone": 18, "device": 20, "phone_two_party": 10, "onsite": 6, "written": 3,
    "none": 8,
}  # fmt: skip
ACTIONS = {"information": 70, "listening": 18, "referral": 14, "accompanied": 5, "interpretation": 18, "translation": 8}
# Share of consultations per top-level topic; within one, 80% name a sub-topic.
TOPIC_WEIGHTS = {
    "residency": 22, "municipal": 8, "employment": 12, "social_insurance": 8, "tax": 6, "medical": 7, "welfare": 4,
    "childcare": 5, "education": 6, "housing": 5, "disaster": 1, "transport": 3, "family": 2, "consumer": 1.5,
    "legal": 1.5, "japanese": 2, "translation": 4, "daily_life": 7, "other": 2,
}  # fmt: skip
# Desk share of consultations: the hub desk takes most.
DESK_WEIGHTS = {"KRS": 60, "SOJ": 8, "KSO": 6, "IBR": 5, "ASK": 4, "TKH": 4, "STS": 4, "NIM": 3, "HYS": 3, "YKG": 3}
NOTES = [
    "",
    "",
    "必要書類を説明した。",
    "担当課の窓口まで案内した。",
    "次回、必要書類を持って来所予定。",
    "多言語パンフレットを渡した。",
    "本人の了承を得て関係機関に連絡した。",
    "Explained the documents needed; will come back next week.",
]
FOLLOW_UP_NOTES = [
    "電話で結果を確認する",
    "必要書類がそろったか確認する",
    "関係機関からの回答を伝える",
    "通訳の手配を確認する",
    "Call back about the application",
]

# Intake tokens of demo consultations: a fixed prefix and the consultation's
# number, so the n-th demo consultation is the same row on every run (the
# unique intake token makes a second insert impossible) and demo rows can be
# counted with one index range scan.
_DEMO_TOKEN_BASE = uuid.UUID("de30de30-0000-4000-8000-000000000000").int


def demo_token(index: int) -> uuid.UUID:
    return uuid.UUID(int=_DEMO_TOKEN_BASE + index)


DEMO_TOKEN_RANGE = (demo_token(0), demo_token(2**48 - 1))


@dataclass
class ConsultationSpec:
    index: int
    opener: int  # index of the consultation that opened the case (itself for a new case)
    desk_code: str
    occurred_at: datetime
    channel: str
    language: str
    interpretation_mode: str
    topics: list[str]
    minutes: int
    actions: list[str]
    notes: str
    # Only on the consultation that opens a case:
    person: DemoPerson | None = None
    same_client_as: int | None = None  # opener index of an earlier case of the same client
    quick: bool = False
    anonymous: bool = False
    final_state: tuple[str, str] = ("open", "")  # (status, outcome) decided when the case is opened
    follow_up: tuple[date, str, str] | None = None  # (due date, note, status)
    extra: dict = field(default_factory=dict)


def _window(now: datetime) -> tuple[datetime, datetime]:
    """From the first day of the previous fiscal year until now."""
    start_year = fiscal_year(now) - 1
    start = timezone.make_aware(datetime.combine(date(start_year, 4, 1), time(9, 0)))
    return start, now


def _office_hours(rng: random.Random, day: date) -> datetime:
    while day.weekday() >= 5:  # desks are open Monday to Friday
        day -= timedelta(days=1)
    minute = rng.randint(8 * 60 + 30, 17 * 60)
    return timezone.make_aware(datetime.combine(day, time(minute // 60, minute % 60)))


def _topics(rng: random.Random, topic_tree: dict[str, list[str]]) -> list[str]:
    count = pick(rng, {"1": 60, "2": 30, "3": 10})
    chosen: list[str] = []
    while len(chosen) < int(count):
        parent = pick(rng, {code: w for code, w in TOPIC_WEIGHTS.items() if code in topic_tree})
        children = topic_tree[parent]
        code = rng.choice(children) if children and rng.random() < 0.8 else parent
        if code not in chosen:
            chosen.append(code)
    return chosen


def consultation_specs(
    count: int, *, seed: int, now: datetime, topic_tree: dict[str, list[str]], desk_codes: list[str]
) -> list[ConsultationSpec]:
    """The first `count` demo consultations for `seed`.  Spec n depends only on
    the seed and the specs before it, so a longer list extends a shorter one."""
    rng = random.Random(seed)
    start, end = _window(now)
    span_days = (end.date() - start.date()).days
    today = timezone.localtime(now).date()
    hub_code = desk_codes[0]  # the hub desk comes first
    desk_weights = {code: DESK_WEIGHTS.get(code, 60 if code == hub_code else 4) for code in desk_codes}
    specs: list[ConsultationSpec] = []
    openers: list[int] = []  # indices of non-quick case openers, in order
    for index in range(count):
        reconsult = openers and rng.random() < 0.28
        if reconsult:
            # Back about an earlier case, within weeks: the case's desk.
            opener = specs[rng.choice(openers[-150:])]
            desk_code = opener.desk_code
            latest = max(opener.occurred_at, opener.extra.get("last", opener.occurred_at))
            day = latest.date() + timedelta(days=rng.randint(1, 45))
            if day > today:  # not yet: somewhen between the last contact and today
                day = latest.date() + timedelta(days=rng.randint(0, (today - latest.date()).days))
            occurred_at = max(_office_hours(rng, day), latest + timedelta(minutes=30))
            occurred_at = min(occurred_at, now)
            opener.extra["last"] = occurred_at
            language = opener.extra["language"] if rng.random() < 0.9 else pick(rng, LANGUAGES_ANONYMOUS)
        else:
            desk_code = pick(rng, desk_weights)
            # Slightly more consultations lately: the foreign population grows.
            offset = int(span_days * (1 - rng.random() ** 1.3))
            occurred_at = min(_office_hours(rng, start.date() + timedelta(days=offset)), now)
        hub = desk_code == hub_code
        channel = pick(rng, CHANNELS_HUB if hub else CHANNELS_PARTNER)
        spec = ConsultationSpec(
            index=index,
            opener=opener.index if reconsult else index,
            desk_code=desk_code,
            occurred_at=occurred_at,
            channel=channel,
            language="",
            interpretation_mode="none",
            topics=_topics(rng, topic_tree),
            minutes=rng.randint(5, 30) if channel in ("phone", "sns", "email") else rng.randint(10, 75),
            actions=sorted({pick(rng, ACTIONS) for _ in range(rng.choice((1, 1, 2)))}),
            notes=rng.choice(NOTES),
        )
        if reconsult:
            spec.language = language
        else:
            _open_case(rng, spec, specs, openers, occurred_at=occurred_at, today=today, now=now)
        spec.interpretation_mode = _interpretation_mode(rng, spec, hub=hub)
        specs.append(spec)
    return specs


def _open_case(
    rng: random.Random,
    spec: ConsultationSpec,
    specs: list[ConsultationSpec],
    openers: list[int],
    *,
    occurred_at: datetime,
    today: date,
    now: datetime,
) -> None:
    """The consultation that opens a case: quick contact, anonymous, a known
    client or a new person; the case's final state and a follow-up."""
    kind = rng.random()
    spec.quick = kind < 0.18
    spec.anonymous = spec.quick or kind < 0.24
    if not spec.anonymous:
        earlier = [i for i in openers[-300:] if specs[i].person is not None]
        if earlier and rng.random() < 0.1:  # a new matter of a client known here
            before = specs[rng.choice(earlier)]
            spec.same_client_as = before.index
            spec.person = before.person
            spec.desk_code = before.desk_code
            later = _office_hours(rng, before.occurred_at.date() + timedelta(days=rng.randint(7, 90)))
            spec.occurred_at = min(max(spec.occurred_at, later), now)
        else:
            spec.person = make_person(rng, today=today)
    spec.language = spec.person.language if spec.person else pick(rng, LANGUAGES_ANONYMOUS)
    spec.extra["language"] = spec.language
    spec.final_state = _case_state(rng, spec)
    if not spec.quick and rng.random() < 0.2:
        due = occurred_at.date() + timedelta(days=rng.randint(3, 14))
        status = "open"
        if due < today:
            status = pick(rng, {"done": 75, "cancelled": 5, "open": 20})  # open = overdue
        spec.follow_up = (due, rng.choice(FOLLOW_UP_NOTES), status)
    if not spec.quick:
        openers.append(spec.index)


def _interpretation_mode(rng: random.Random, spec: ConsultationSpec, *, hub: bool) -> str:
    if spec.channel == "three_way_phone":
        return "three_way_phone"
    if spec.language in ("ja", "ja-x-easy"):
        return "device" if spec.language == "ja-x-easy" and rng.random() < 0.1 else "none"
    return pick(rng, INTERPRETATION_HUB if hub else INTERPRETATION_PARTNER)


def _case_state(rng: random.Random, spec: ConsultationSpec) -> tuple[str, str]:
    """(status, outcome): quick contacts end at the counter; other cases mostly close."""
    if spec.quick:
        return ("closed", "resolved") if rng.random() < 0.92 else ("open", "")
    return pick(
        rng,
        {
            ("closed", "resolved"): 45,
            ("closed", "referred"): 20,
            ("in_progress", "continuing"): 12,
            ("waiting", "continuing"): 8,
            ("open", ""): 15,
        },
    )


def settle_case_state(state: tuple[str, str], last_activity: datetime, now: datetime) -> tuple[str, str]:
    """A case untouched for a season is closed by then; a fresh one is still open."""
    status, outcome = state
    age = now - last_activity
    if status != "closed" and age > timedelta(days=120):
        return ("closed", outcome if outcome in ("resolved", "referred") else "resolved")
    if status == "closed" and age < timedelta(days=3) and outcome != "resolved":
        return ("in_progress", "continuing")
    return status, outcome


# --- writing the specs ------------------------------------------------------------


@dataclass
class SeedResult:
    existing: int
    added: int
    cases: int
    clients: int
    follow_ups: int


def seed_demo_cases(*, consortium, target: int, seed: int = 2026, now: datetime | None = None) -> SeedResult:
    """Top the demo consultations of `consortium` up to `target` (see seed_demo --help).

    Rows are written with bulk_create; reference numbers are taken from the
    product's counter (``CaseCounter.objects.take_numbers``, as intake's
    ``case_next_reference`` does), a desk's fiscal year at once, so intake
    later continues the sequence without collisions."""
    now = now or timezone.now()
    ctx = _SeedContext.load(consortium)
    specs = consultation_specs(target, seed=seed, now=now, topic_tree=ctx.topic_tree, desk_codes=ctx.desk_codes)
    existing = set(
        Consultation.objects.filter(intake_token__range=DEMO_TOKEN_RANGE).values_list("intake_token", flat=True)
    )
    todo = [s for s in specs if demo_token(s.index) not in existing]
    result = SeedResult(existing=len(existing), added=0, cases=0, clients=0, follow_ups=0)
    if todo:
        with transaction.atomic(), translation.override("ja"):
            _write(ctx, specs, todo, now=now, seed=seed, result=result)
    return result


@dataclass
class _SeedContext:
    desks: dict  # code → Desk
    desk_codes: list[str]  # hub desk first
    staff: dict[int, list[int]]  # desk id → ids of users who work cases there
    topics: dict  # code → Topic
    topic_tree: dict[str, list[str]]
    languages: dict  # code → Language
    statuses: dict[str, int]
    municipalities: list

    @classmethod
    def load(cls, consortium) -> _SeedContext:
        desks = {
            d.code: d
            for d in Desk.objects.filter(municipality__consortium=consortium, active=True).select_related(
                "municipality"
            )
        }
        hub = [c for c, d in desks.items() if d.is_hub and d.municipality_id == consortium.hub_municipality_id]
        staff: dict[int, list[int]] = defaultdict(list)
        memberships = Membership.objects.active().filter(municipality__consortium=consortium, role__in=CASE_ROLES)
        for m in memberships.order_by("user_id"):
            for desk in desks.values():
                if desk.municipality_id == m.municipality_id:
                    staff[desk.pk].append(m.user_id)
        missing = sorted(code for code, d in desks.items() if not staff[d.pk])
        if missing:
            raise ValueError(f"no case-working staff at desks {missing}: demo staff come first (seed_demo)")
        topics = {t.code: t for t in Topic.objects.active().select_related("parent")}
        tree: dict[str, list[str]] = {}
        for topic in sorted(topics.values(), key=lambda t: t.code):
            if topic.parent_id is None:
                tree.setdefault(topic.code, [])
            elif topic.parent.code in topics:
                tree.setdefault(topic.parent.code, []).append(topic.code)
        return cls(
            desks=desks,
            desk_codes=hub + sorted(set(desks) - set(hub)),
            staff=staff,
            topics=topics,
            topic_tree=tree,
            languages={lang.code: lang for lang in Language.objects.all()},
            statuses={s.code: s.pk for s in ResidenceStatus.objects.all()},
            municipalities=list(Municipality.objects.filter(consortium=consortium).order_by("code")),
        )


def _write(ctx: _SeedContext, specs, todo, *, now, seed: int, result: SeedResult) -> None:
    writer = _Writer(ctx=ctx, specs=specs, todo=todo, now=now, seed=seed, result=result)
    writer.load_earlier_cases()
    writer.write_clients()  # 1
    new_ids = writer.write_cases()  # 2
    writer.update_earlier_cases(new_ids)  # 3
    writer.write_consultations()  # 4
    writer.write_follow_ups()  # 5


@dataclass
class _Writer:
    """Turns the specs still to do into rows, step by step (see seed_demo_cases)."""

    ctx: _SeedContext
    specs: list[ConsultationSpec]
    todo: list[ConsultationSpec]
    now: datetime
    seed: int
    result: SeedResult
    case_of: dict[int, Case] = field(default_factory=dict)  # opener index → its case
    clients: dict[int, Client] = field(default_factory=dict)  # opener index → its new client

    def __post_init__(self):
        # The client of a case is that of the first case in its chain of "same client as".
        self.root: dict[int, int] = {}
        for spec in self.specs:
            if spec.opener == spec.index:
                first = self.root[spec.same_client_as] if spec.same_client_as is not None else spec.index
                self.root[spec.index] = first
        self.todo_openers = [s for s in self.todo if s.opener == s.index]
        self.last_activity: dict[int, datetime] = {}
        for spec in self.specs:
            self.last_activity[spec.opener] = max(
                self.last_activity.get(spec.opener, spec.occurred_at), spec.occurred_at
            )

    def rng(self, kind: str, index: int) -> random.Random:
        """Details of row `index` drawn from their own stream, so a top-up
        writes the same rows as seeding everything at once."""
        return random.Random(f"{self.seed}:{kind}:{index}")

    def load_earlier_cases(self) -> None:
        """Cases written by an earlier run that this run refers to."""
        wanted = (
            {s.opener for s in self.todo}
            | {self.root[s.index] for s in self.todo_openers}
            | {s.same_client_as for s in self.todo_openers if s.same_client_as is not None}
        )
        for consultation in Consultation.objects.filter(
            intake_token__in=[demo_token(i) for i in sorted(wanted)]
        ).select_related("case__handling_desk", "case__client"):
            self.case_of[consultation.intake_token.int - _DEMO_TOKEN_BASE] = consultation.case

    def write_clients(self) -> None:
        """1. clients of new cases"""
        for spec in self.todo_openers:
            if spec.person is None or spec.same_client_as is not None:
                continue
            self.clients[spec.index] = _client(self.ctx, spec, self.rng("client", spec.index))
        Client.objects.bulk_create(self.clients.values())
        self.result.clients = len(self.clients)

    def write_cases(self) -> set[int]:
        """2. new cases, reference numbers taken per desk and fiscal year in date order"""
        groups: dict[tuple[str, int], list[ConsultationSpec]] = defaultdict(list)
        for spec in sorted(self.todo_openers, key=lambda s: (s.occurred_at, s.index)):
            groups[(spec.desk_code, fiscal_year(spec.occurred_at))].append(spec)
        new_cases: list[Case] = []
        for (desk_code, year), group in groups.items():
            desk = self.ctx.desks[desk_code]
            last = CaseCounter.objects.take_numbers(desk=desk, fiscal_year=year, count=len(group))
            for number, spec in enumerate(group, start=last - len(group) + 1):
                case = self._case(spec, desk=desk, reference=f"{desk.code}-{year}-{number:05d}")
                self.case_of[spec.index] = case
                new_cases.append(case)
        Case.objects.bulk_create(new_cases)
        self.result.cases = len(new_cases)
        Case.earlier_cases.through.objects.bulk_create(
            [
                Case.earlier_cases.through(
                    from_case_id=self.case_of[s.index].pk, to_case_id=self.case_of[s.same_client_as].pk
                )
                for s in self.todo_openers
                if s.same_client_as is not None and s.same_client_as in self.case_of
            ],
            ignore_conflicts=True,
        )
        return {c.pk for c in new_cases}

    def _case(self, spec: ConsultationSpec, *, desk, reference: str) -> Case:
        last_activity = self.last_activity[spec.index]
        status, outcome = settle_case_state(spec.final_state, last_activity, self.now)
        client = None
        if spec.person is not None:
            first = self.root[spec.index]
            client = self.clients.get(first) or (self.case_of[first].client if first in self.case_of else None)
        user_id = self.rng("case", spec.index).choice(self.ctx.staff[desk.pk])
        return Case(
            reference=reference,
            handling_desk=desk,
            client=client,
            title=self.ctx.topics[spec.topics[0]].name[:200],
            status=status,
            outcome=outcome,
            closed_at=last_activity if status == "closed" else None,
            is_quick_contact=spec.quick,
            assignee_id=user_id,
            opened_at=spec.occurred_at,
            last_activity_at=last_activity,
            created_by_id=user_id,
        )

    def update_earlier_cases(self, new_ids: set[int]) -> None:
        """3. cases of an earlier run that got another consultation now"""
        for index in sorted({s.opener for s in self.todo if s.opener != s.index}):
            case = self.case_of[index]
            if case.pk in new_ids:
                continue
            last_activity = self.last_activity[index]
            status, outcome = settle_case_state(self.specs[index].final_state, last_activity, self.now)
            Case.objects.filter(pk=case.pk).update(
                last_activity_at=last_activity,
                status=status,
                outcome=outcome,
                closed_at=last_activity if status == "closed" else None,
            )

    def write_consultations(self) -> None:
        """4. consultations and their topics"""
        case_of, ctx = self.case_of, self.ctx
        consultations = [
            Consultation(
                case=case_of[spec.opener],
                desk=case_of[spec.opener].handling_desk,
                occurred_at=spec.occurred_at,
                channel=spec.channel,
                language=ctx.languages[spec.language],
                interpretation_mode=spec.interpretation_mode,
                minutes=spec.minutes,
                notes=spec.notes,
                actions=spec.actions,
                intake_token=demo_token(spec.index),
                created_by_id=case_of[spec.opener].created_by_id,
            )
            for spec in self.todo
        ]
        Consultation.objects.bulk_create(consultations)
        consultation_snapshots_fill(case_ids=sorted({c.case_id for c in consultations}))
        ConsultationTopic.objects.bulk_create(
            ConsultationTopic(consultation=c, topic=ctx.topics[code])
            for c, spec in zip(consultations, self.todo, strict=True)
            for code in spec.topics
        )
        # auto_now_add stamped "now": a demo consultation was logged when it happened.
        Consultation.objects.filter(pk__in=[c.pk for c in consultations]).update(created_at=F("occurred_at"))
        consultations_bulk_loaded.send(sender=Consultation, case_ids=sorted({c.case_id for c in consultations}))
        self.result.added = len(consultations)

    def write_follow_ups(self) -> None:
        """5. follow-ups"""
        follow_ups = []
        for spec in self.todo_openers:
            if spec.follow_up is None:
                continue
            due, note, status = spec.follow_up
            case = self.case_of[spec.index]
            completed_at = _office_hours(self.rng("follow_up", spec.index), due) if status != "open" else None
            follow_ups.append(
                FollowUp(
                    case=case,
                    due_date=due,
                    note=note,
                    status=status,
                    assignee_id=case.assignee_id,
                    completed_at=completed_at,
                    created_by_id=case.created_by_id,
                )
            )
        FollowUp.objects.bulk_create(follow_ups)
        self.result.follow_ups = len(follow_ups)


def _client(ctx: _SeedContext, spec: ConsultationSpec, rng: random.Random):
    desk = ctx.desks[spec.desk_code]
    person = spec.person
    client = Client(
        registered_desk=desk,
        name=person.name,
        name_kana=person.name_kana,
        name_latin=person.name_latin,
        birth_year=person.birth_year,
        nationality=person.nationality,
        preferred_language=ctx.languages.get(person.language),
        residence_status_id=ctx.statuses.get(person.residence_status),
        age_band=person.age_band,
        gender=person.gender,
        client_type=person.client_type,
        created_at=spec.occurred_at,
    )
    if person.residence_status and person.residence_status not in PERMANENT_STATUSES:
        client.period_of_stay_expiry = spec.occurred_at.date() + timedelta(days=rng.randint(-60, 3 * 365))
    where = rng.random()
    if where < 0.84:
        client.residence_municipality = desk.municipality
    elif where < 0.93:
        client.residence_municipality = rng.choice(ctx.municipalities)
    else:
        client.lives_outside_area = True
        client.residence_note = rng.choice(OUTSIDE_AREA)
    if rng.random() < 0.15:
        client.email = f"demo-{spec.index}@example.invalid"
    client.refresh_search_fields()  # bulk_create does not call save()
    return client
