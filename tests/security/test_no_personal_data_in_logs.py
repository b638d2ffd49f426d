"""Issue 12 point 10: no personal data in application logs.

Seeded synthetic clients with unmistakable names, contact details, notes and
sensitive notes; then a full set of requests: every URL of the URL
configuration (walked as tests/core/test_deny_by_default.py does, so new
views are covered without listing them), with the ids of the seeded records
in every integer slot, GET with the searched terms in every usual query
parameter and POST with them in every usual form field, signed in as a
coordinator and as an administrator — plus intake, client search and the
audit export run by a worker function.  Every log record emitted meanwhile,
at every level and from every logger (and whatever reached stdout/stderr),
is grepped for the seeded values and the searched terms."""

from __future__ import annotations

import logging
import re
import uuid

import pytest
from django.urls import URLPattern, reverse

from core.audit import audit_log
from tests.core.test_deny_by_default import all_urls
from tests.factories import ClientFactory, MembershipFactory, UserFactory, as_user, make_case

pytestmark = pytest.mark.django_db

NAME = "ログ検査 花子"
NAME_LATIN = "LOGCHECK Hanako"
NAME_KANA = "ログケンサ ハナコ"
PHONE = "090-7777-1234"
EMAIL = "logcheck-hanako@example.invalid"
NOTE = "ログ検査用の相談内容メモ"
SENSITIVE = "ログ検査用の要配慮メモ"
SEARCHED = ["Qwertzlog", "検索語ぽよ"]
SECRETS = [NAME, NAME_LATIN, NAME_KANA, PHONE, EMAIL, NOTE, SENSITIVE, *SEARCHED, "LOGCHECK", "Hanako", "花子"]

QUERY_KEYS = ("q", "name", "search", "client_name", "term", "who", "case")
FORM_KEYS = ("q", "name", "name_kana", "name_latin", "client_name", "phone", "email", "notes", "sensitive_notes",
             "title", "message", "reason", "note", "place", "override_basis", "decline_reason", "who")  # fmt: skip
# Signing out in the middle would make the rest anonymous requests.
SKIP = {"account_logout"}


@pytest.fixture
def seeded(coordinator, hub_desk):
    person = ClientFactory(
        registered_desk=hub_desk, name=NAME, name_latin=NAME_LATIN, name_kana=NAME_KANA, phone=PHONE, email=EMAIL
    )
    case = make_case(hub_desk, coordinator, client=person, title=f"{NAME}の件", sensitive_notes=SENSITIVE)
    case.consultations.update(notes=NOTE)
    audit_log(actor=coordinator, action="view", obj=case, case=case, desk=hub_desk, summary="case page")
    return {"client": person, "case": case, "consultation": case.consultations.get()}


@pytest.fixture
def administrator(kurashiki):
    user = UserFactory(username="t-admin-logs")
    MembershipFactory(user=user, municipality=kurashiki, role="administrator", desk=kurashiki.desks.first())
    return user


def _urls(seeded) -> list[tuple[str, str]]:
    ids = sorted({seeded["client"].pk, seeded["case"].pk, seeded["consultation"].pk})
    out = []
    for key, url, entry in all_urls():
        if key in SKIP or key.startswith("admin"):
            continue
        out.append((key, url))
        int_slots = [
            name for name, conv in getattr(entry.pattern, "converters", {}).items() if "Int" in type(conv).__name__
        ]
        if int_slots and isinstance(entry, URLPattern) and entry.name and ":" in key:
            for pk in ids:
                try:
                    out.append((key, reverse(key, kwargs=dict.fromkeys(int_slots, pk))))
                except Exception:  # noqa: BLE001,S112 - a pattern with other slots keeps its sample URL
                    continue
    return out


def _run_everything(client, user, seeded) -> int:
    as_user(client, user)
    client.raise_request_exception = False  # a 500 is logged, as in production
    query = dict.fromkeys(QUERY_KEYS, SEARCHED[0])
    form = dict.fromkeys(FORM_KEYS, f"{SEARCHED[1]} {NAME}")
    requests = 0
    for _key, url in _urls(seeded):
        client.get(url, query)
        client.post(url, form)
        requests += 2
        as_user(client, user)  # a POST may have changed the session (e.g. an MFA or password page)
    # The daily work with names in it: intake search, likely matches, client search, the audit trail.
    for path in ("/cases/", "/clients/search/", "/consultations/new/", "/reports/audit/"):
        for term in (NAME, NAME_LATIN, *SEARCHED):
            client.get(path, {"q": term, "name": term, "who": term})
            requests += 1
    return requests


def test_no_seeded_name_or_searched_term_reaches_any_log(client, seeded, coordinator, administrator, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    requests = _run_everything(client, coordinator, seeded) + _run_everything(client, administrator, seeded)
    assert requests > 300

    # The audit export, as the worker runs it.
    from reports.models import ExportJob
    from reports.services import export_run, export_start

    job = export_start(by=administrator, exporter="audit_trail", params={"who": SEARCHED[0]}, format="csv",
                       personal=False)  # fmt: skip
    export_run(job_id=str(job.pk))
    assert ExportJob.objects.get(pk=job.pk).status == "done"

    lines = []
    for record in caplog.records:
        lines.append(record.getMessage())
        if record.exc_text or record.exc_info:
            lines.append(logging.Formatter().formatException(record.exc_info) if record.exc_info else record.exc_text)
    out, err = capfd.readouterr()
    lines += out.splitlines() + err.splitlines()
    assert len(caplog.records) > 0  # the logs were captured (404s and the like are logged)
    found = [(secret, line[:200]) for line in lines for secret in SECRETS if secret in line]
    assert not found, f"personal data in the logs: {found[:10]}"


def test_the_grep_would_find_a_leak(caplog):
    """The check above can fail: a name logged the way a careless view would."""
    caplog.set_level(logging.DEBUG)
    logging.getLogger("consult.views").info("searched for %s", NAME)
    assert any(NAME in record.getMessage() for record in caplog.records)
    assert re.search(r"ログ検査", caplog.text)
    assert str(uuid.UUID(int=1))  # keeps the sampler's UUID import honest
