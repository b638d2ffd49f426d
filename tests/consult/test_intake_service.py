import uuid

import pytest

from consult import services
from consult.models import Case, Client, Consultation, Language, Topic


def _log(user, desk, token=None, **kwargs):
    return services.consultation_log(
        by=user,
        desk=desk,
        channel="walk_in",
        language=Language.objects.get(code="vi"),
        topics=[Topic.objects.get(code="residency.extension")],
        intake_token=token or uuid.uuid4(),
        **kwargs,
    )


def test_same_intake_token_creates_one_case(hub_staff, hub_desk):
    token = uuid.uuid4()
    first = _log(hub_staff, hub_desk, token)
    second = _log(hub_staff, hub_desk, token)
    assert first.pk == second.pk
    assert Case.objects.count() == 1
    assert Consultation.objects.count() == 1
    assert first.case.reference.startswith("KRS-")
    assert first.case.reference.endswith("-00001")


def test_reference_numbers_count_per_desk(hub_staff, ibara_clerk, hub_desk, ibara):
    a = _log(hub_staff, hub_desk)
    b = _log(hub_staff, hub_desk)
    c = _log(ibara_clerk, ibara.desks.get())
    assert a.case.reference[-5:] == "00001"
    assert b.case.reference[-5:] == "00002"
    assert c.case.reference.startswith("IBR-") and c.case.reference.endswith("00001")


def test_clerk_cannot_log_at_another_municipalitys_desk(ibara_clerk, hub_desk):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _log(ibara_clerk, hub_desk)
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ({"name": "田中 太郎"}, "田中"),
        ({"name": "田中 太郎"}, "田中太郎"),
        ({"name": "田中 太郎"}, "太郎 田中"),
        ({"name": "田中 太郎"}, "たなか"),
        ({"name_latin": "NGUYEN Van A"}, "nguyen van a"),
        ({"name_latin": "NGUYEN Van A"}, "van a nguyen"),
        ({"name": "グエン・ヴァン・ア", "name_latin": "Nguyen Van A"}, "nguyen van a"),
        ({"name": "グエン・ヴァン・ア"}, "ぐえん"),
        ({"name": "グエン・ヴァン・ア"}, "ｸﾞｴﾝ"),
        ({"name_latin": "Nguyễn Thị Lan"}, "NGUYEN THI"),
        ({"name_latin": "Maria Santos"}, "ＭＡＲＩＡ"),
    ],
)
def test_name_search_rules(hub_staff, hub_desk, stored, query):
    client = services.client_create(by=hub_staff, desk=hub_desk, data=stored)
    services.client_create(by=hub_staff, desk=hub_desk, data={"name": "佐藤 花子", "name_latin": "Sato Hanako"})
    found = list(Client.objects.visible_to(hub_staff).search(query))
    assert found == [client]


def test_client_of_another_municipality_cannot_be_attached(hub_staff, ibara_clerk, hub_desk, ibara):
    from django.core.exceptions import PermissionDenied

    hub_client = services.client_create(by=hub_staff, desk=hub_desk, data={"name": "山田 花子"})
    with pytest.raises(PermissionDenied):
        _log(ibara_clerk, ibara.desks.get(), client=hub_client)
    assert Case.objects.count() == 0


def test_partner_clerk_records_sensitive_notes_at_own_desk(ibara_clerk, ibara):
    case = _log(ibara_clerk, ibara.desks.get(), sensitive_notes="DV: synthetic test text").case
    assert case.sensitive_notes == "DV: synthetic test text"
