"""Exporter registry, case-list export, export jobs: anonymised unless the
personal-data capability, permission re-checked in the task, the link
expires after 7 days, XLSX rolls over to a new sheet, CSV has a BOM."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.utils import timezone
from openpyxl import load_workbook

from core.models import AuditEvent as AuditEntry
from municipalities.models import Membership
from reports.exporters import EXPORTERS
from reports.models import ExportJob, ExportStatus
from reports.services import export_run, export_start, exports_purge_expired
from reports.writers import write_xlsx
from tests.factories import ClientFactory, as_user, make_case

SECRET_NAME = "秘密 太郎"
SECRET_PHONE = "090-0000-4711"
SECRET_NOTE = "極秘メモ"


@pytest.fixture
def cases(coordinator, hub_desk):
    client = ClientFactory(registered_desk=hub_desk, name=SECRET_NAME, phone=SECRET_PHONE, email="x@example.invalid")
    first = make_case(hub_desk, coordinator, client=client)
    first.consultations.update(notes=SECRET_NOTE)
    make_case(hub_desk, coordinator)
    return first


def _read(job):
    with default_storage.open(job.file_name, "rb") as fh:
        return fh.read()


def test_registry_has_the_case_list():
    exporter = EXPORTERS["case_list"]
    assert exporter.identifier == "case_list" and exporter.required_capability == "export_anonymised"


def test_anonymised_case_list_has_no_name_contact_or_note(cases, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        job = export_start(by=coordinator, exporter="case_list", params={}, format="csv", personal=False)
    assert len(callbacks) == 1  # the task is enqueued once the job is committed
    job = export_run(job_id=str(job.pk))
    assert job.status == ExportStatus.DONE and job.rows_done == 2
    text = _read(job).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert len(rows) == 3
    assert cases.reference in {r[0] for r in rows}
    for secret in (SECRET_NAME, SECRET_PHONE, "x@example.invalid", SECRET_NOTE):
        assert secret not in text
    assert AuditEntry.objects.filter(action="export", object_id=str(job.pk)).exists()


def test_personal_export_needs_the_capability(cases, hub_stats):
    with pytest.raises(PermissionDenied):
        export_start(by=hub_stats, exporter="case_list", params={}, format="csv", personal=True)


def test_permission_is_rechecked_inside_the_task(cases, coordinator):
    job = export_start(by=coordinator, exporter="case_list", params={}, format="xlsx", personal=False)
    # The role is withdrawn before a worker picks the job up.
    Membership.objects.filter(user=coordinator).update(role="counter_staff")
    job = export_run(job_id=str(job.pk))
    assert job.status == ExportStatus.FAILED and job.error == "permission" and not job.file_name


def test_xlsx_export_follows_the_list_filters(cases, coordinator):
    job = export_start(
        by=coordinator, exporter="case_list", params={"q": cases.reference}, format="xlsx", personal=False
    )
    job = export_run(job_id=str(job.pk))
    wb = load_workbook(io.BytesIO(_read(job)), read_only=True)
    rows = list(wb.worksheets[0].values)
    assert len(rows) == 2 and rows[1][0] == cases.reference


def test_download_and_expiry(client, cases, coordinator, ibara_clerk, hub_stats):
    job = export_run(
        job_id=str(export_start(by=coordinator, exporter="case_list", params={}, format="csv", personal=False).pk)
    )
    url = f"/reports/exports/{job.pk}/download/"
    assert as_user(client, coordinator).get(url).status_code == 200
    assert client.post(url).status_code == 405
    # Someone else's job: 404 (hub statistics viewer without export: 404 too).
    assert as_user(client, ibara_clerk).get(url).status_code == 404
    assert as_user(client, hub_stats).get(url).status_code == 404
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert as_user(client, coordinator).get(url).status_code == 410
    assert exports_purge_expired() == 1
    assert not default_storage.exists(job.file_name)


def test_export_views(client, cases, coordinator, ibara_stats):
    assert as_user(client, ibara_stats).get("/reports/exports/").status_code == 404
    as_user(client, coordinator)
    assert client.get("/reports/exports/").status_code == 200
    response = client.post("/reports/exports/", {"exporter": "case_list", "format": "csv", "f_status": "open"})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.params == {"status": "open"}
    assert b"<progress" in client.get(response["Location"]).content
    export_run(job_id=str(job.pk))
    page = client.get(response["Location"])
    assert page.status_code == 200 and b"download/" in page.content


def test_xlsx_starts_a_new_sheet_past_the_row_limit(tmp_path):
    path = tmp_path / "x.xlsx"
    assert write_xlsx(path, ["n"], ([i] for i in range(7)), max_rows=3) == 7
    wb = load_workbook(path, read_only=True)
    assert [len(list(ws.values)) for ws in wb.worksheets] == [3, 3, 3, 2]
    assert next(iter(wb.worksheets[1].values)) == ("n",)


def test_only_coordinators_hold_the_personal_data_export():
    """docs/decisions/0014: the coordinator, who already sees the cases the
    export holds; administrators see no case (no view_cases)."""
    from municipalities.roles import ROLE_CAPABILITIES, Capability

    holders = {role for role, caps in ROLE_CAPABILITIES.items() if Capability.EXPORT_PERSONAL_DATA in caps}
    assert holders == {"coordinator"}


def test_personal_export_needs_the_capability_counter_staff(cases, hub_desk, kurashiki):
    from tests.factories import MembershipFactory, UserFactory

    staff = UserFactory(username="t-counter-export")
    MembershipFactory(user=staff, municipality=kurashiki, role="counter_staff", desk=hub_desk)
    with pytest.raises(PermissionDenied):
        export_start(by=staff, exporter="case_list", params={}, format="csv", personal=True)


def test_personal_export_with_the_capability(cases, coordinator):
    job = export_run(
        job_id=str(export_start(by=coordinator, exporter="case_list", params={}, format="csv", personal=True).pk)
    )
    text = _read(job).decode("utf-8")
    assert SECRET_NAME in text and SECRET_PHONE in text
    assert SECRET_NOTE not in text  # notes never leave in a list export
    assert AuditEntry.objects.filter(action="export", object_id=str(job.pk), summary__contains="personal").exists()


def test_personal_capability_is_rechecked_inside_the_task(cases, coordinator):
    job = export_start(by=coordinator, exporter="case_list", params={}, format="csv", personal=True)
    # Moved to the consortium office before the worker runs: anonymised exports
    # only (administrator), so the personal job stops.
    Membership.objects.filter(user=coordinator).update(role="administrator")
    job = export_run(job_id=str(job.pk))
    assert job.status == ExportStatus.FAILED and job.error == "permission" and not job.file_name


@pytest.fixture
def personal_exporter(monkeypatch):
    from municipalities.roles import Capability
    from reports.exporters import Exporter

    class PersonalContacts(Exporter):
        """Needs the personal-data export capability, as a contact list
        would: registered for these tests only."""

        identifier = "t_personal_contacts"
        label = "Contact list (test)"
        required_capability = Capability.EXPORT_PERSONAL_DATA

        def header(self):
            return ["name"]

        def rows(self):
            yield [SECRET_NAME]

        def count(self):
            return 1

    monkeypatch.setitem(EXPORTERS, PersonalContacts.identifier, PersonalContacts)
    return PersonalContacts


@pytest.fixture
def administrator(kurashiki):
    """export_anonymised without export_personal_data (docs/decisions/0014)."""
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username="t-admin-export")
    MembershipFactory(user=user, municipality=kurashiki, role="administrator", desk=kurashiki.desks.first())
    return user


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_export_form_lists_only_the_exporters_the_user_may_run(
    client, cases, administrator, coordinator, personal_exporter, language
):
    administrator.ui_language = language
    administrator.save(update_fields=["ui_language"])
    as_user(client, administrator)
    response = client.get("/reports/exports/", headers={"accept-language": language})
    offered = {value for value, _label in response.context["form"].fields["exporter"].choices}
    assert offered == {"case_list", "audit_trail", "cost_share", "cost_share_languages"}
    html = response.content.decode()
    assert 'value="t_personal_contacts"' not in html and "Contact list (test)" not in html
    assert ("操作記録" if language == "ja" else "Audit trail") in html

    # Posting it anyway is refused by the form: no job, the field in error.
    refused = client.post(
        "/reports/exports/", {"exporter": "t_personal_contacts", "format": "csv"}, headers={"accept-language": language}
    )
    assert refused.status_code == 200 and "exporter" in refused.context["form"].errors
    assert not ExportJob.objects.exists()
    # …and by the service, should anything call it directly (the run-time check stays).
    with pytest.raises(PermissionDenied):
        export_start(by=administrator, exporter="t_personal_contacts", params={}, format="csv", personal=False)

    # Whoever holds the capability sees it and may run it.
    as_user(client, coordinator)
    offered = {value for value, _label in client.get("/reports/exports/").context["form"].fields["exporter"].choices}
    assert "t_personal_contacts" in offered


def test_the_run_time_check_stays_for_a_listed_exporter(cases, coordinator, personal_exporter):
    """Listed when the form was shown; the capability withdrawn before the worker ran."""
    job = export_start(by=coordinator, exporter="t_personal_contacts", params={}, format="csv", personal=False)
    Membership.objects.filter(user=coordinator).update(role="administrator")
    job = export_run(job_id=str(job.pk))
    assert job.status == ExportStatus.FAILED and job.error == "permission" and not job.file_name
