"""seed_demo --cases N: synthetic consultations with a realistic spread (issue 3, item 8)."""

import io
import re
from collections import Counter
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from consult import names, services
from consult.models import Case, CaseCounter, Client, Consultation, ConsultationTopic, FollowUp
from core.fiscal import fiscal_year
from demo.cases import DEMO_TOKEN_RANGE, seed_demo_cases
from municipalities.models import Consortium, Desk

LATIN = re.compile(r"[A-Za-z]")
KATAKANA = re.compile(r"[\u30a1-\u30fa]")
KANJI = re.compile(r"[\u4e00-\u9fff]")
NOW = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)


def _seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--password", "demo-test-pass-1", *args, stdout=out)
    return out.getvalue()


def _fingerprint() -> list[tuple]:
    """Everything a demo consultation is, except row ids and reference numbers."""
    rows = (
        Consultation.objects.filter(intake_token__range=DEMO_TOKEN_RANGE)
        .select_related("case__client", "case__handling_desk", "language")
        .order_by("intake_token")
    )
    first_of_case: dict[int, str] = {}
    out = []
    for c in rows:
        first_of_case.setdefault(c.case_id, str(c.intake_token))
        client = c.case.client
        out.append(
            (
                str(c.intake_token),
                first_of_case[c.case_id],
                c.case.handling_desk.code,
                c.occurred_at,
                c.channel,
                c.language.code,
                c.interpretation_mode,
                tuple(sorted(c.topics.values_list("code", flat=True))),
                c.case.status,
                c.case.outcome,
                (
                    client.name,
                    client.name_kana,
                    client.name_latin,
                    client.nationality,
                    client.residence_municipality_id,
                    client.residence_note,
                    client.email,
                    client.period_of_stay_expiry,
                )
                if client
                else None,
            )
        )
    return out


def _wipe() -> None:
    ConsultationTopic.objects.all().delete()
    FollowUp.objects.all().delete()
    Consultation.objects.all().delete()
    Case.earlier_cases.through.objects.all().delete()
    Case.objects.all().delete()
    Client.objects.all().delete()
    CaseCounter.objects.all().delete()


@pytest.mark.django_db
def test_200_demo_consultations_have_a_realistic_spread():
    output = _seed("--cases", "200", "--seed", "7")
    assert "0 already there, 200 added" in output

    consultations = Consultation.objects.filter(intake_token__range=DEMO_TOKEN_RANGE)
    assert consultations.count() == 200
    languages = Counter(consultations.values_list("language__code", flat=True))
    assert len(languages) >= 6, languages
    assert {"vi", "zh-Hans", "fil", "pt"} <= set(languages), languages
    assert languages.most_common(1)[0][0] == "vi"
    assert {"ja", "ja-x-easy"} & set(languages)

    desks = Counter(Case.objects.values_list("handling_desk__code", flat=True))
    assert set(desks) == set(Desk.objects.values_list("code", flat=True)) and len(desks) == 10
    assert desks.most_common(1)[0][0] == "KRS"  # the hub takes most
    assert desks["KRS"] > Case.objects.count() * 0.4

    names_given = list(Client.objects.values_list("name", "name_kana", "name_latin"))
    text = " ".join(" ".join(row) for row in names_given)
    assert LATIN.search(text) and KATAKANA.search(text) and KANJI.search(text)
    assert any(KANJI.search(name) for name, _kana, _latin in names_given)
    assert any(KATAKANA.search(name) and not KANJI.search(name) for name, _kana, _latin in names_given)
    assert Client.objects.exclude(nationality="").values("nationality").distinct().count() >= 5
    assert Client.objects.filter(lives_outside_area=True).exclude(residence_note="").exists()

    quick = Case.objects.filter(is_quick_contact=True)
    assert quick.exists() and not quick.exclude(client=None).exists()
    assert Case.objects.filter(is_quick_contact=False, client__isnull=False).exists()
    per_case = Counter(consultations.values_list("case_id", flat=True))
    assert max(per_case.values()) >= 2  # re-consultations
    assert len(Counter(consultations.values_list("channel", flat=True))) >= 4
    assert len(Counter(consultations.values_list("interpretation_mode", flat=True))) >= 4
    topics_per = Counter(ConsultationTopic.objects.values_list("consultation_id", flat=True))
    assert len(topics_per) == 200 and max(topics_per.values()) >= 2
    assert ConsultationTopic.objects.filter(topic__parent__isnull=False).exists()
    assert ConsultationTopic.objects.filter(topic__parent__isnull=True).exists()

    assert FollowUp.objects.exists()
    assert FollowUp.objects.filter(status="open", due_date__lt=timezone.localdate()).exists()  # overdue
    assert Case.objects.filter(status="closed").exclude(outcome="").exists()
    assert set(Case.objects.values_list("outcome", flat=True)) >= {"resolved", "referred"}
    years = {fiscal_year(at) for at in consultations.values_list("occurred_at", flat=True)}
    assert years == {fiscal_year() - 1, fiscal_year()}


@pytest.mark.django_db
def test_clients_carry_the_search_fields_save_would_write():
    _seed("--cases", "150", "--seed", "3")
    clients = list(Client.objects.all())
    assert clients
    for client in clients:
        expected = names.search_text(client.name, client.name_kana, client.name_latin)
        assert client.search_text == expected
        assert client.name_grams == sorted(names.grams_of(expected))
    some = clients[0]
    query = (some.name or some.name_latin).split()[0]
    assert some in Client.objects.search(query)


@pytest.mark.django_db
def test_reference_numbers_follow_the_counter_so_intake_continues_without_collision(hub_staff):
    _seed("--cases", "120", "--seed", "5")
    prefixes = Counter(ref.rsplit("-", 1)[0] for ref in Case.objects.values_list("reference", flat=True))
    for counter in CaseCounter.objects.select_related("desk"):
        prefix = f"{counter.desk.code}-{counter.fiscal_year}"
        numbers = sorted(
            int(ref.rsplit("-", 1)[1])
            for ref in Case.objects.filter(reference__startswith=prefix + "-").values_list("reference", flat=True)
        )
        assert numbers == list(range(1, counter.last_number + 1)), prefix
        assert prefixes[prefix] == counter.last_number
    hub = Desk.objects.get(code="KRS")
    reference = services.case_next_reference(desk=hub)
    assert not Case.objects.filter(reference=reference).exists()
    assert int(reference.rsplit("-", 1)[1]) == CaseCounter.objects.get(desk=hub, fiscal_year=fiscal_year()).last_number


@pytest.mark.django_db
def test_cases_is_a_target_a_second_run_adds_nothing_a_larger_one_tops_up():
    first = _seed("--cases", "80")
    assert "0 already there, 80 added" in first
    second = _seed("--cases", "80")
    assert "80 already there, 0 added" in second
    assert Consultation.objects.count() == 80
    third = _seed("--cases", "130")
    assert "80 already there, 50 added" in third
    assert Consultation.objects.count() == 130
    assert Consultation.objects.filter(intake_token__range=DEMO_TOKEN_RANGE).count() == 130


@pytest.mark.django_db
def test_same_seed_same_data_and_topping_up_equals_seeding_at_once(reference_data):
    call_command("seed_demo", "--password", "demo-test-pass-1", stdout=io.StringIO())
    consortium = Consortium.objects.get()

    seed_demo_cases(consortium=consortium, target=90, seed=11, now=NOW)
    at_once = _fingerprint()
    _wipe()
    seed_demo_cases(consortium=consortium, target=40, seed=11, now=NOW)
    seed_demo_cases(consortium=consortium, target=90, seed=11, now=NOW)
    topped_up = _fingerprint()
    assert len(at_once) == 90
    assert topped_up == at_once
    _wipe()
    seed_demo_cases(consortium=consortium, target=90, seed=12, now=NOW)
    assert _fingerprint() != at_once
