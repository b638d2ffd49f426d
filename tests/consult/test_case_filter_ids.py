"""Case.language_ids and Case.topic_ids are kept by the database (migration
0016): the case list's language and topic filters read them instead of each
case's consultations.  These tests pin the triggers, and that the filters
find exactly the cases whose consultations match."""

import random

from django.db.models import Exists, OuterRef, Q

from consult.models import Case, Consultation, ConsultationTopic, Language, Topic
from consult.selectors.cases import CaseFilters, case_list_queryset
from tests.factories import ConsultationFactory, make_case


def _arrays(case) -> tuple[list[int], list[int]]:
    return Case.objects.values_list("language_ids", "topic_ids").get(pk=case.pk)


def _topic_ids(*codes) -> list[int]:
    return sorted(Topic.objects.filter(code__in=codes).values_list("pk", flat=True))


def _language_id(code) -> int:
    return Language.objects.get(code=code).pk


def test_a_new_case_holds_its_first_consultation_s_language_and_topics(hub_staff, hub_desk):
    case = make_case(hub_desk, hub_staff, language="vi", topics=["residency.extension", "tax.resident"])
    assert _arrays(case) == ([_language_id("vi")], _topic_ids("residency.extension", "tax.resident"))


def test_a_further_consultation_adds_its_language_and_topics_once(hub_staff, hub_desk):
    case = make_case(hub_desk, hub_staff, language="vi", topics=["residency.extension"])
    ConsultationFactory(
        case=case, created_by=hub_staff, language=Language.objects.get(code="en"), topics=["residency.extension"]
    )
    languages, topics = _arrays(case)
    assert languages == sorted([_language_id("vi"), _language_id("en")])
    assert topics == _topic_ids("residency.extension")


def test_topics_removed_changed_or_deleted_with_the_consultation_are_dropped(hub_staff, hub_desk):
    case = make_case(hub_desk, hub_staff, language="vi", topics=["residency.extension", "tax.resident"])
    consultation = case.consultations.get()
    ConsultationTopic.objects.filter(consultation=consultation, topic__code="tax.resident").delete()
    assert _arrays(case)[1] == _topic_ids("residency.extension")
    ConsultationTopic.objects.filter(consultation=consultation).update(topic=Topic.objects.get(code="tax.resident"))
    assert _arrays(case)[1] == _topic_ids("tax.resident")
    Consultation.objects.filter(pk=consultation.pk).update(language=Language.objects.get(code="en"))
    assert _arrays(case)[0] == [_language_id("en")]
    consultation.delete()
    assert _arrays(case) == ([], [])


def test_a_consultation_moved_to_another_case_moves_its_language_and_topics(hub_staff, hub_desk):
    source = make_case(hub_desk, hub_staff, language="vi", topics=["residency.extension"])
    target = make_case(hub_desk, hub_staff, language="en", topics=["tax.resident"])
    Consultation.objects.filter(case=source).update(case=target)
    assert _arrays(source) == ([], [])
    assert _arrays(target) == (
        sorted([_language_id("vi"), _language_id("en")]),
        _topic_ids("residency.extension", "tax.resident"),
    )


def test_a_stale_value_saved_from_python_is_corrected(hub_staff, hub_desk):
    case = make_case(hub_desk, hub_staff, language="vi", topics=["residency.extension"])
    stale = Case.objects.get(pk=case.pk)
    ConsultationFactory(
        case=case, created_by=hub_staff, language=Language.objects.get(code="en"), topics=["tax.resident"]
    )
    stale.title = "在留期間更新"
    stale.save()  # writes the arrays it read before the second consultation
    assert _arrays(case) == (
        sorted([_language_id("vi"), _language_id("en")]),
        _topic_ids("residency.extension", "tax.resident"),
    )


def test_the_filters_find_exactly_the_cases_whose_consultations_match(hub_staff, hub_desk):
    """The arrays against the consultations themselves (the filters' former
    EXISTS queries), over cases with one to three consultations of random
    languages and topics, for every language and every topic of a parent."""
    rng = random.Random(13)
    languages = ["vi", "en", "zh-Hans", "pt", "ne"]
    codes = ["residency.extension", "residency.change", "tax.resident", "medical.hospital", "employment.conditions"]
    codes = list(Topic.objects.filter(code__in=codes).values_list("code", flat=True))
    for _ in range(30):
        case = make_case(
            hub_desk, hub_staff, language=rng.choice(languages), topics=rng.sample(codes, rng.randint(1, 2))
        )
        for _ in range(rng.randint(0, 2)):
            ConsultationFactory(
                case=case,
                created_by=hub_staff,
                language=Language.objects.get(code=rng.choice(languages)),
                topics=rng.sample(codes, rng.randint(1, 2)),
            )
    checked = 0
    for code in languages:
        language_id = _language_id(code)
        expected = set(
            Case.objects.filter(Exists(Consultation.objects.filter(case=OuterRef("pk"), language_id=language_id)))
        )
        found = set(case_list_queryset(hub_staff, CaseFilters(language_id=language_id)))
        assert found == expected
        checked += bool(expected)
    for topic in Topic.objects.filter(Q(code__in=codes) | Q(children__code__in=codes)).distinct():
        family = Topic.objects.filter(Q(pk=topic.pk) | Q(parent_id=topic.pk)).values("pk")
        expected = set(
            Case.objects.filter(
                Exists(ConsultationTopic.objects.filter(consultation__case=OuterRef("pk"), topic_id__in=family))
            )
        )
        found = set(case_list_queryset(hub_staff, CaseFilters(topic_id=topic.pk)))
        assert found == expected
        checked += bool(expected)
    assert checked >= 6  # the sample did exercise the filters
