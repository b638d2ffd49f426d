"""CaseCounter.objects.take_numbers: the one upsert behind every reference number."""

import pytest

from consult import services
from consult.models import CaseCounter
from tests.factories import DeskFactory

pytestmark = pytest.mark.django_db


def test_take_numbers_reserves_a_block_and_returns_its_last_number():
    desk = DeskFactory()
    assert CaseCounter.objects.take_numbers(desk=desk, fiscal_year=2026, count=3) == 3
    assert CaseCounter.objects.take_numbers(desk=desk, fiscal_year=2026) == 4
    assert CaseCounter.objects.take_numbers(desk=desk, fiscal_year=2026, count=10) == 14
    # Another fiscal year and another desk count on their own.
    assert CaseCounter.objects.take_numbers(desk=desk, fiscal_year=2027) == 1
    assert CaseCounter.objects.take_numbers(desk=DeskFactory(), fiscal_year=2026, count=2) == 2
    assert CaseCounter.objects.get(desk=desk, fiscal_year=2026).last_number == 14


def test_case_next_reference_continues_after_a_block(kurashiki):
    desk = kurashiki.desks.get(is_hub=True)
    first = services.case_next_reference(desk=desk)
    year, number = first.split("-")[1], int(first.rsplit("-", 1)[1])
    assert CaseCounter.objects.take_numbers(desk=desk, fiscal_year=int(year), count=5) == number + 5
    assert services.case_next_reference(desk=desk) == f"{desk.code}-{year}-{number + 6:05d}"


def test_take_numbers_refuses_an_empty_block():
    with pytest.raises(ValueError, match="at least 1"):
        CaseCounter.objects.take_numbers(desk=DeskFactory(), fiscal_year=2026, count=0)
