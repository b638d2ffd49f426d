"""Follow-up due dates in business days: the case page's default, and the
follow-ups that topic templates (data kept by administrators) propose on
the intake screen."""

import datetime as dt

import pytest
from django.utils import timezone

from consult.forms.follow_ups import FollowUpForm
from consult.forms.intake import IntakeForm
from consult.models import FollowUpTemplate, Topic
from consult.selectors.follow_ups import business_days_later, follow_up_proposals
from core import calendar
from municipalities.models import MunicipalClosure
from tests.factories import as_user

pytestmark = pytest.mark.django_db


def test_reference_data_ships_templates_and_keeps_an_administrators_change(reference_data):
    from django.core.management import call_command

    template = FollowUpTemplate.objects.get(topic__code="residency.extension")
    assert template.business_days == 5
    assert FollowUpTemplate.objects.get(topic__code="social_insurance.health").business_days == 10
    FollowUpTemplate.objects.filter(pk=template.pk).update(business_days=7, note_ja="変更した内容")
    call_command("load_reference", verbosity=0)
    template.refresh_from_db()
    assert (template.business_days, template.note_ja) == (7, "変更した内容")


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (dt.date(2027, 4, 28), 5, dt.date(2027, 5, 11)),  # across Golden Week: 4/30, 5/6, 5/7, 5/10, 5/11
        (dt.date(2026, 12, 25), 5, dt.date(2027, 1, 7)),  # across 12/29–1/3: 12/28, 1/4, 1/5, 1/6, 1/7
        (dt.date(2027, 1, 2), 1, dt.date(2027, 1, 4)),  # from inside the closure
    ],
)
def test_due_dates_count_business_days(start, days, expected):
    due = business_days_later(days, start=start)
    assert due == expected
    assert calendar.is_business_day(due)
    assert calendar.business_days_between(start, due) == days


def test_a_municipal_closure_moves_the_due_date(kurashiki):
    desk = kurashiki.desks.first()
    plain = business_days_later(5, desk=desk, start=dt.date(2027, 4, 28))
    MunicipalClosure.objects.create(municipality=kurashiki, date=plain, reason="システム更新")
    assert business_days_later(5, desk=desk, start=dt.date(2027, 4, 28)) > plain


def test_the_follow_up_forms_default_is_five_business_days(hub_staff, kurashiki):
    desk = kurashiki.desks.first()
    form = FollowUpForm(colleagues=[hub_staff], desk=desk)
    due = form.initial["due_date"]
    assert calendar.is_business_day(due)
    assert calendar.business_days_between(timezone.localdate(), due) == 5


def test_intake_proposes_each_templated_topics_follow_up_on_a_business_day(hub_staff):
    form = IntakeForm(user=hub_staff)
    proposals = form.follow_up_proposals()
    extension = Topic.objects.get(code="residency.extension")
    proposal = proposals[str(extension.pk)]
    due = dt.date.fromisoformat(proposal["due"])
    assert proposal["days"] == 5 and proposal["note"] == "在留期間更新の申請状況を電話で確認する"
    assert calendar.is_business_day(due) and calendar.business_days_between(timezone.localdate(), due) == 5
    assert str(Topic.objects.get(code="residency.card").pk) not in proposals  # no template, no proposal
    FollowUpTemplate.objects.filter(topic=extension).update(active=False)
    assert str(extension.pk) not in IntakeForm(user=hub_staff).follow_up_proposals()


def test_the_intake_page_carries_the_proposals(client, hub_staff):
    as_user(client, hub_staff)
    html = client.get("/consultations/new/").content.decode()
    import json
    import re

    block = re.search(r'<script id="follow-up-proposals" type="application/json">(.*?)</script>', html, re.S)
    proposals = json.loads(block.group(1))
    extension = Topic.objects.get(code="residency.extension")
    assert proposals[str(extension.pk)]["note"] == "在留期間更新の申請状況を電話で確認する"
    assert "js/follow-up-proposal" in html


def test_proposals_follow_the_desks_closures(kurashiki):
    desk = kurashiki.desks.first()
    start = dt.date(2027, 4, 28)
    before = follow_up_proposals(desk=desk, start=start)
    extension = str(Topic.objects.get(code="residency.extension").pk)
    MunicipalClosure.objects.create(municipality=kurashiki, date=dt.date.fromisoformat(before[extension]["due"]))
    after = follow_up_proposals(desk=desk, start=start)
    assert after[extension]["due"] > before[extension]["due"]
