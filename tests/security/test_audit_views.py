"""Issue 12 point 4: every screen that shows a named client's data writes an
audit event, coalesced like the case page (a reload within five minutes adds
nothing), and a removal that removed nothing writes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consult.services.cases import case_link_earlier
from core.models import AuditEvent
from tests.factories import ClientFactory, as_user, make_case

pytestmark = pytest.mark.django_db


def _views(user, obj) -> int:
    return AuditEvent.objects.filter(
        actor=user, action="view", object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).count()


@pytest.fixture
def person(hub_desk):
    return ClientFactory(registered_desk=hub_desk, name="山本 一郎", name_latin="Yamamoto Ichiro")


def test_case_edit_page_is_audited_once_per_visit(client, coordinator, hub_desk, hub_staff, person):
    case = make_case(hub_desk, hub_staff, client=person)
    c = as_user(client, coordinator)
    url = reverse("consult:case_edit", args=[case.pk])
    assert c.get(url).status_code == 200
    assert c.get(url).status_code == 200
    event = AuditEvent.objects.get(actor=coordinator, action="view", case=case)
    assert event.object_id == str(case.pk)


def test_merge_page_audits_both_clients(client, coordinator, hub_desk, person):
    other = ClientFactory(registered_desk=hub_desk, name="ヤマモト イチロウ")
    c = as_user(client, coordinator)
    url = reverse("consult:client_merge")
    for _ in range(2):
        assert c.get(url, {"keep": person.pk, "merge": other.pk}).status_code == 200
    assert (_views(coordinator, person), _views(coordinator, other)) == (1, 1)
    assert AuditEvent.objects.get(object_id=str(other.pk), action="view").summary == "merge comparison"


def test_intake_prefilled_with_a_client_is_audited(client, hub_staff, person):
    c = as_user(client, hub_staff)
    response = c.get(reverse("consult:consultation_new"), {"client": person.pk})
    assert response.status_code == 200 and "山本 一郎" in response.content.decode()
    assert _views(hub_staff, person) == 1


def test_client_search_results_are_audited_and_coalesced(client, hub_staff, hub_desk, person):
    stranger = ClientFactory(registered_desk=hub_desk, name="鈴木 次郎")
    c = as_user(client, hub_staff)
    for q in ("山本", "山本 一", "yamamoto"):
        response = c.get(reverse("consult:client_search"), {"q": q})
        assert f'value="{person.pk}"' in response.content.decode()
    assert _views(hub_staff, person) == 1
    assert _views(hub_staff, stranger) == 0  # not listed, not recorded
    event = AuditEvent.objects.get(object_id=str(person.pk), action="view")
    assert (event.summary, event.desk_id, event.case_id) == ("client search", hub_desk.pk, None)


def test_case_list_audits_the_clients_it_names(client, coordinator, hub_desk, hub_staff, person):
    case = make_case(hub_desk, hub_staff, client=person)
    c = as_user(client, coordinator)
    assert case.reference in c.get(reverse("consult:case_list")).content.decode()
    assert _views(coordinator, person) == 1
    # Opening the case afterwards is still recorded (the list recorded the client, not the case).
    c.get(reverse("consult:case_detail", args=[case.pk]))
    assert AuditEvent.objects.filter(actor=coordinator, action="view", case=case).count() == 1


def test_a_removal_that_removed_nothing_writes_nothing(client, hub_staff, hub_desk, person):
    case = make_case(hub_desk, hub_staff, client=person)
    c = as_user(client, hub_staff)
    before = AuditEvent.objects.filter(action="update").count()
    response = c.post(reverse("consult:case_unlink_earlier", args=[case.pk, case.pk]))
    assert response.status_code in (302, 303)
    assert AuditEvent.objects.filter(action="update").count() == before


def test_a_real_removal_is_audited_once(client, hub_staff, hub_desk, person):
    from datetime import timedelta

    from django.utils import timezone

    earlier = make_case(hub_desk, hub_staff, client=person, when=timezone.now() - timedelta(days=30))
    case = make_case(hub_desk, hub_staff, client=person)
    case_link_earlier(case=case, earlier=earlier, by=hub_staff)
    c = as_user(client, hub_staff)
    url = reverse("consult:case_unlink_earlier", args=[case.pk, earlier.pk])
    c.post(url)
    c.post(url)  # the second removes nothing
    removals = AuditEvent.objects.filter(action="update", case=case, changes__earlier_cases__1=None)
    assert removals.count() == 1
    assert not case.earlier_cases.exists()
