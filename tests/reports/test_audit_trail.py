"""Issue 12 point 10: the audit trail for the auditor — browse and filter
(who, what, which case, when, from where), page newest first, export to
CSV/XLSX through the export jobs; only for `view_audit_trail`, within its
scope; outsiders and everyone else 404; no-store; Japanese and English."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from core.audit import audit_log, reset_client_address, set_client_address
from core.models import AuditEvent
from reports.audit_trail import PER_PAGE
from reports.exporters import EXPORTERS
from reports.models import ExportJob
from reports.services import export_run
from tests.factories import MembershipFactory, UserFactory, as_user, make_case

pytestmark = pytest.mark.django_db
JST = ZoneInfo("Asia/Tokyo")
URL = "/reports/audit/"


@pytest.fixture
def administrator(kurashiki):
    user = UserFactory(username="t-admin", display_name="監査 担当")
    MembershipFactory(user=user, municipality=kurashiki, role="administrator", desk=kurashiki.desks.first())
    return user


@pytest.fixture
def trail(hub_staff, coordinator, ibara_clerk, hub_desk, ibara_desk, second_consortium):
    """Events at the hub and at Ibara (both in scope) and at the other
    consortium (never in scope), from two addresses."""
    hub_case = make_case(hub_desk, hub_staff, reference="KRS-2026-00042")
    ibara_case = make_case(ibara_desk, ibara_clerk, reference="IBR-2026-00007")
    other_desk = second_consortium["hub"].desks.first()
    other_user = second_consortium["staff"]
    other_case = make_case(other_desk, other_user, reference="FAR-2026-00001")
    token = set_client_address("10.20.0.15")
    try:
        audit_log(actor=hub_staff, action="view", obj=hub_case, case=hub_case, desk=hub_desk, summary="case page")
        audit_log(actor=coordinator, action="update", obj=hub_case, case=hub_case, desk=hub_desk, summary="status")
    finally:
        reset_client_address(token)
    token = set_client_address("192.0.2.7")
    try:
        audit_log(actor=ibara_clerk, action="forward", obj=ibara_case, case=ibara_case, desk=ibara_desk)
        audit_log(actor=other_user, action="view", obj=other_case, case=other_case, desk=other_desk, summary="far")
    finally:
        reset_client_address(token)
    return {"hub": hub_case, "ibara": ibara_case, "other": other_case}


def _others(response, viewer) -> list[AuditEvent]:
    """The rows of the page but the viewer's own sign-in: administrators sign
    in with a second factor, and that sign-in is itself in the trail (it must
    be there)."""
    rows = response.context["rows"]
    own = [e for e in rows if e.action == "login" and e.actor_id == viewer.pk and e.case_id is None]
    assert len(own) == 1, [(e.action, e.actor_id) for e in rows]
    return [e for e in rows if e not in own]


def _refs(response, viewer=None) -> list[str]:
    """The case references of the page; with `viewer`, after their own sign-in."""
    rows = _others(response, viewer) if viewer else response.context["rows"]
    return [e.case.reference if e.case else "" for e in rows]


def test_the_administrator_sees_the_consortium_and_nothing_else(client, administrator, trail):
    response = as_user(client, administrator).get(URL)
    other_user_name = AuditEvent.objects.get(case=trail["other"]).actor.username
    assert response.status_code == 200
    assert sorted(_refs(response, administrator)) == ["IBR-2026-00007", "KRS-2026-00042", "KRS-2026-00042"]
    assert b"FAR-2026" not in response.content and other_user_name not in response.content.decode()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"who": "t-staff-hub"}, ["KRS-2026-00042"]),
        ({"action": "forward"}, ["IBR-2026-00007"]),
        ({"case": "krs-2026"}, ["KRS-2026-00042", "KRS-2026-00042"]),
        ({"address": "10.20.0.0/16"}, ["KRS-2026-00042", "KRS-2026-00042"]),
        ({"address": "192.0.2.7"}, ["IBR-2026-00007"]),
        ({"object_type": "consult.case", "action": "update"}, ["KRS-2026-00042"]),
        ({"date_from": "2000-01-01", "date_to": "2001-01-01"}, []),
    ],
)
def test_filters(client, administrator, trail, params, expected):
    response = as_user(client, administrator).get(URL, params)
    assert response.status_code == 200
    assert sorted(_refs(response)) == sorted(expected)


def test_filter_by_day_in_japan_time(client, administrator, trail, hub_desk):
    # 2026-04-01 00:30 in Tokyo is still 31 March in UTC.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditevent (at, action, object_type, object_id, summary, changes, desk_id) "
            "VALUES (%s, 'export', 'reports.exportjob', 'x', 'first day', '{}', %s)",
            [datetime(2026, 4, 1, 0, 30, tzinfo=JST), hub_desk.pk],
        )
    rows = as_user(client, administrator).get(URL, {"date_from": "2026-04-01", "date_to": "2026-04-01"}).context["rows"]
    assert [e.summary for e in rows] == ["first day"]
    rows = client.get(URL, {"date_to": "2026-03-31", "action": "export"}).context["rows"]
    assert rows == []


@pytest.mark.parametrize(
    "params",
    [{"address": "not an address"}, {"date_from": "9999-12-31"}, {"date_from": "2026-05-01", "date_to": "2026-04-01"}],
)
def test_bad_filters_are_form_errors_not_500(client, administrator, trail, params):
    response = as_user(client, administrator).get(URL, params)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert len(_others(response, administrator)) == 3  # the bad filter is left out


def test_keyset_pages_newest_first(client, administrator, hub_desk, hub_staff):
    case = make_case(hub_desk, hub_staff)
    for n in range(PER_PAGE + 5):
        audit_log(actor=hub_staff, action="view", obj=case, case=case, desk=hub_desk, summary=f"n{n}")
    as_user(client, administrator)
    first = client.get(URL, {"who": "t-staff-hub"})
    assert len(first.context["rows"]) == PER_PAGE
    assert first.context["rows"][0].summary == f"n{PER_PAGE + 4}"
    second = client.get(URL, {"who": "t-staff-hub", "after": first.context["next_cursor"]})
    assert [e.summary for e in second.context["rows"]] == ["n4", "n3", "n2", "n1", "n0"]
    assert second.context["next_cursor"] is None
    assert client.get(URL, {"after": "garbage"}).status_code == 200


@pytest.mark.parametrize("who", ["hub_staff", "ibara_clerk", "hub_stats", "outsider"])
def test_everyone_without_the_capability_gets_404(client, trail, request, who):
    user = request.getfixturevalue(who)
    as_user(client, user)
    assert client.get(URL).status_code == 404
    assert client.post("/reports/audit/export/", {"format": "csv"}).status_code == 404


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_wrong_methods(client, administrator):
    as_user(client, administrator)
    assert client.post(URL).status_code == 405
    assert client.get("/reports/audit/export/").status_code == 405


def test_a_coordinator_sees_the_trail_of_their_consortium(client, coordinator, trail):
    refs = _refs(as_user(client, coordinator).get(URL))
    assert "FAR-2026-00001" not in refs and "IBR-2026-00007" in refs


def test_a_partner_administrator_sees_only_their_municipality(client, ibara, trail):
    user = UserFactory(username="t-admin-ibara")
    MembershipFactory(user=user, municipality=ibara, role="administrator", desk=ibara.desks.first())
    assert _refs(as_user(client, user).get(URL), user) == ["IBR-2026-00007"]


def test_looking_at_the_trail_is_itself_recorded_once(client, administrator, trail):
    as_user(client, administrator)
    client.get(URL)
    client.get(URL, {"action": "view"})
    seen = AuditEvent.objects.filter(actor=administrator, action="view", summary="audit trail viewed")
    assert seen.count() == 1


@pytest.mark.parametrize(
    ("language", "words"),
    [("ja", ["操作記録", "絞り込む", "接続元"]), ("en", ["Audit trail", "Apply filters", "From where"])],
)
def test_japanese_and_english(client, administrator, trail, language, words):
    administrator.ui_language = language
    administrator.save(update_fields=["ui_language"])
    response = as_user(client, administrator).get(URL, headers={"accept-language": language})
    text = response.content.decode()
    for word in words:
        assert word in text, word


def test_csv_export_follows_the_filters_and_scope(client, administrator, trail, django_capture_on_commit_callbacks):
    assert EXPORTERS["audit_trail"].required_capability == "view_audit_trail"
    as_user(client, administrator)
    response = client.post("/reports/audit/export/", {"format": "csv", "case": "KRS"})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.exporter == "audit_trail" and job.params == {"case": "KRS"} and not job.personal
    assert AuditEvent.objects.filter(actor=administrator, action="export", object_id=str(job.pk)).exists()
    export_run(job_id=str(job.pk))
    with default_storage.open(ExportJob.objects.get().file_name, "rb") as fh:
        rows = list(csv.reader(io.StringIO(fh.read().decode("utf-8-sig"))))
    assert len(rows) == 3  # header + the two hub events
    assert {row[6] for row in rows[1:]} == {"KRS-2026-00042"}
    assert {row[8] for row in rows[1:]} == {"10.20.0.15"}
    download = client.get(f"/reports/exports/{job.pk}/download/")
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]


def test_xlsx_export(client, administrator, trail):
    as_user(client, administrator)
    client.post("/reports/audit/export/", {"format": "xlsx", "address": "192.0.2.0/24"})
    job = export_run(job_id=str(ExportJob.objects.get().pk))
    with default_storage.open(job.file_name, "rb") as fh:
        sheet = load_workbook(io.BytesIO(fh.read()), read_only=True).active
        rows = list(sheet.values)
    assert len(rows) == 2 and rows[1][6] == "IBR-2026-00007" and rows[1][8] == "192.0.2.7"


def test_export_pages_through_more_than_one_chunk(administrator, hub_desk, hub_staff, monkeypatch):
    from reports.exporters import audit_trail as module

    monkeypatch.setattr(module, "CHUNK", 7)
    case = make_case(hub_desk, hub_staff)
    base = timezone.now() - timedelta(hours=1)
    with connection.cursor() as cursor:
        for n in range(20):  # some share a timestamp: the keyset must not skip or repeat them
            cursor.execute(
                "INSERT INTO core_auditevent (at, action, object_type, object_id, summary, changes, desk_id, case_id) "
                "VALUES (%s, 'view', 'consult.case', %s, %s, '{}', %s, %s)",
                [base + timedelta(minutes=n // 3), str(case.pk), f"n{n}", hub_desk.pk, case.pk],
            )
    exporter = module.AuditTrailExporter(user=administrator, params={"action": "view"}, personal=False)
    summaries = [row[9] for row in exporter.rows()]
    assert sorted(summaries) == sorted(f"n{n}" for n in range(20)) and exporter.count() == 20


@pytest.mark.parametrize(
    ("language", "label", "when", "until"),
    [
        ("ja", "操作記録", "2026年12月1日（火）0:30", "2099年1月1日（木）8:45"),
        ("en", "Audit trail", "Tue 1 Dec 2026 00:30", "Thu 1 Jan 2099 08:45"),
    ],
)
def test_the_export_page_names_the_export_in_words_and_tokyo_time(
    client, administrator, trail, language, label, when, until
):
    """Not "audit_trail 2026-11-30 15:30" (the identifier and UTC): the
    exporter's label in the reader's language, the time in Asia/Tokyo."""
    administrator.ui_language = language
    administrator.save(update_fields=["ui_language"])
    as_user(client, administrator)
    client.post("/reports/audit/export/", {"format": "csv"})
    job = ExportJob.objects.get()
    started = datetime(2026, 11, 30, 15, 30, tzinfo=ZoneInfo("UTC"))  # 0:30 on 1 December in Tokyo
    expires = datetime(2098, 12, 31, 23, 45, tzinfo=ZoneInfo("UTC"))  # 8:45 on 1 January 2099 in Tokyo
    ExportJob.objects.filter(pk=job.pk).update(created_at=started, expires_at=expires)
    job = export_run(job_id=str(job.pk))
    response = client.get(f"/reports/exports/{job.pk}/", headers={"accept-language": language})
    html = response.content.decode()
    title = html[html.index("<title>") : html.index("</title>")]
    heading = html[html.index('data-testid="export-title">') : html.index("</h1>")]
    assert label in title and label in heading
    for text in (title, heading):
        assert "audit_trail" not in text and "15:30" not in text
    assert when in html and until in html and "15:30" not in html
    listing = client.get("/reports/exports/", headers={"accept-language": language}).content.decode()
    link = listing[listing.index(f'/reports/exports/{job.pk}/">') :]
    link = link[link.index(">") + 1 : link.index("</a>")]
    assert link.startswith(f"{label} ") and "audit_trail" not in link and "15:30" not in link and "0:30" in link
    download = client.get(f"/reports/exports/{job.pk}/download/")
    assert download["Content-Disposition"].endswith('filename="audit_trail-20261201.csv"')  # the day in Tokyo
