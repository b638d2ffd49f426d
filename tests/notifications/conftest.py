import datetime as dt
from zoneinfo import ZoneInfo

import factory
import pytest

from tests.factories import CaseFactory, UserFactory

TOKYO = ZoneInfo("Asia/Tokyo")


def tokyo(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TOKYO)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "consult.FollowUp"

    case = factory.SubFactory(CaseFactory)
    due_date = factory.LazyFunction(lambda: dt.date(2027, 5, 6))
    assignee = factory.SubFactory(UserFactory)
    note = "在留カードの写しを確認する"
    created_by = factory.LazyAttribute(lambda o: o.case.created_by)


@pytest.fixture
def hub_desk_obj(kurashiki):
    return kurashiki.desks.first()


@pytest.fixture
def follow_up_for(hub_desk_obj):
    def make(assignee, **kwargs):
        case = CaseFactory(handling_desk=hub_desk_obj, assignee=assignee, created_by=assignee)
        return FollowUpFactory(case=case, assignee=assignee, **kwargs)

    return make
