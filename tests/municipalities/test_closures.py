"""Extra closures per municipality: data in MunicipalClosure, read by
closures_for and honoured by core.calendar."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from core.calendar import add_business_days, business_days_between, is_business_day
from municipalities.calendar import closures_for
from municipalities.models import MunicipalClosure

pytestmark = pytest.mark.django_db


def test_closures_for_a_municipality_only(kurashiki, ibara):
    MunicipalClosure.objects.create(municipality=ibara, date=date(2026, 12, 1), reason="庁舎移転")
    MunicipalClosure.objects.create(municipality=ibara, date=date(2027, 2, 1), reason="")
    MunicipalClosure.objects.create(municipality=kurashiki, date=date(2026, 12, 2), reason="")

    assert closures_for(ibara) == {date(2026, 12, 1), date(2027, 2, 1)}
    assert closures_for(ibara.pk, end=date(2026, 12, 31)) == {date(2026, 12, 1)}
    assert closures_for(ibara, start=date(2027, 1, 1)) == {date(2027, 2, 1)}

    ibara_closed = closures_for(ibara)
    assert not is_business_day(date(2026, 12, 1), extra_closures=ibara_closed)
    assert is_business_day(date(2026, 12, 1), extra_closures=closures_for(kurashiki))
    assert add_business_days(date(2026, 11, 30), 1, extra_closures=ibara_closed) == date(2026, 12, 2)
    assert business_days_between(date(2026, 11, 30), date(2026, 12, 3), extra_closures=ibara_closed) == 2


def test_one_closure_per_municipality_and_day(ibara):
    MunicipalClosure.objects.create(municipality=ibara, date=date(2026, 12, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        MunicipalClosure.objects.create(municipality=ibara, date=date(2026, 12, 1), reason="again")
