"""The database router against a real streaming replica (issue 13 point 4):
report reads go to the replica, writes and everything else to the primary,
and whoever just wrote reads their own writes (core/dbrouting.py).

A primary and its hot standby are started for this module (tests/pgpair.py)
and Django's `default` and `replica` aliases are pointed at them; replay on
the standby is paused to make the replica visibly behind, so where a figure
came from shows in the figure itself."""

from __future__ import annotations

import contextlib
import time
import uuid

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import dbrouting
from tests.conftest import skip_or_fail
from tests.factories import MembershipFactory, UserFactory, as_user
from tests.pgpair import PrimaryReplicaPair, server_bindir

ALIASES = (DEFAULT_DB_ALIAS, dbrouting.REPLICA)


def _forget(alias: str) -> None:
    try:
        wrapper = connections[alias]
    except Exception:  # noqa: BLE001 - alias not configured: nothing to close
        return
    wrapper.close()
    if hasattr(wrapper, "close_pool"):
        wrapper.close_pool()
    with contextlib.suppress(AttributeError):
        del connections[alias]


@pytest.fixture(scope="module")
def pair(django_db_blocker):
    if server_bindir() is None:
        skip_or_fail("PostgreSQL server binaries (initdb, pg_basebackup) are not installed (Debian postgresql-15)")
    saved = {alias: connections.settings.get(alias) for alias in ALIASES}
    with PrimaryReplicaPair() as pair, django_db_blocker.unblock():
        pair.create_database("madoguchi_pair")
        base = saved[DEFAULT_DB_ALIAS]
        for alias, cluster in ((DEFAULT_DB_ALIAS, pair.primary), (dbrouting.REPLICA, pair.replica)):
            _forget(alias)
            connections.settings[alias] = {
                **base,
                "NAME": "madoguchi_pair",
                "USER": "postgres",
                "PASSWORD": "",
                "HOST": "127.0.0.1",
                "PORT": str(cluster.port),
                "OPTIONS": dict(base.get("OPTIONS", {})),
                "TEST": {"MIRROR": DEFAULT_DB_ALIAS} if alias == dbrouting.REPLICA else base.get("TEST", {}),
            }
        try:
            call_command("migrate", verbosity=0, interactive=False)
            call_command("load_reference", verbosity=0)
            pair.wait_for_replay()
            yield pair
        finally:
            pair.resume_replay()
            for alias in ALIASES:
                _forget(alias)
                if saved[alias] is None:
                    connections.settings.pop(alias, None)
                else:
                    connections.settings[alias] = saved[alias]


@pytest.fixture
def eager_tasks(monkeypatch):
    """The aggregate rebuild runs in-process, as a worker would."""
    from config.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


def _member(code: str, role: str):
    from municipalities.models import Municipality

    municipality = Municipality.objects.get(code=code)
    user = UserFactory(username=f"pair-{role}-{uuid.uuid4().hex[:8]}")
    MembershipFactory(user=user, municipality=municipality, role=role, desk=municipality.desks.first())
    return user, municipality.desks.first()


def _intake(desk) -> dict:
    from consult.models import Language, Topic

    return {
        "desk": str(desk.pk),
        "language": str(Language.objects.get(code="vi").pk),
        "channel": "walk_in",
        "interpretation_mode": "bilingual",
        "topics": [str(Topic.objects.get(code="residency.extension").pk)],
        "notes": "在留期間更新の必要書類を案内",
        "actions": ["information"],
        "minutes": "20",
        "outcome": "resolved",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "intake_token": str(uuid.uuid4()),
        "client_choice": "",
        "q": "",
    }


def _dashboard_total(client) -> tuple[int, list[str], list[str]]:
    """The dashboard's consultation total, and the SQL each database ran for it."""
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
        CaptureQueriesContext(connections[dbrouting.REPLICA]) as on_replica,
    ):
        response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    return (
        response.context["totals"]["consultations"],
        [q["sql"] for q in on_primary.captured_queries],
        [q["sql"] for q in on_replica.captured_queries],
    )


def _consultations(alias: str) -> int:
    from consult.models import Consultation

    return Consultation.objects.using(alias).count()


def test_the_pair_is_a_primary_and_a_hot_standby(pair):
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_setting('port')")
        assert cursor.fetchone() == (False, str(pair.primary.port))
    with connections[dbrouting.REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), current_setting('port')")
        assert cursor.fetchone() == (True, str(pair.replica.port))


def test_report_reads_go_to_the_replica_writes_to_the_primary_and_the_writer_reads_their_writes(
    pair, client, eager_tasks
):
    from django.test import Client

    coordinator, hub_desk = _member("332020", "coordinator")  # writes consultations and sees statistics
    viewer, _ = _member("332020", "statistics_viewer")
    viewer_client = as_user(Client(), viewer)
    as_user(client, coordinator)
    pair.wait_for_replay()
    before, _, on_replica = _dashboard_total(viewer_client)
    assert any("reports_" in sql for sql in on_replica), "the dashboard's figures come from the replica"
    stored = _consultations(DEFAULT_DB_ALIAS)

    # The replica stops replaying: from now on it is visibly behind.
    pair.pause_replay()
    response = client.post(reverse("consult:consultation_new"), _intake(hub_desk))
    assert response.status_code == 302, response.content[:2000]
    assert response.cookies[dbrouting.PIN_COOKIE]["max-age"] == 15
    # The write went to the primary; the paused replica does not have it.
    assert _consultations(DEFAULT_DB_ALIAS) == stored + 1
    assert _consultations(dbrouting.REPLICA) == stored

    # Read-your-writes: the coordinator who just wrote is on the primary.
    total, on_primary, on_replica = _dashboard_total(client)
    assert total == before + 1
    assert on_replica == [] and any("reports_" in sql for sql in on_primary)
    # Everybody else reads the replica, which has not got it yet.
    total, _, on_replica = _dashboard_total(viewer_client)
    assert total == before and on_replica
    # Once the pin has run out, the writer is back on the replica too.
    client.cookies[dbrouting.PIN_COOKIE] = str(int(time.time()) - 1)
    assert _dashboard_total(client)[0] == before

    pair.resume_replay()
    pair.wait_for_replay()
    assert _dashboard_total(viewer_client)[0] == before + 1


def test_other_pages_read_the_primary(pair, client):
    clerk, _ = _member("332071", "partner_clerk")
    as_user(client, clerk)
    with CaptureQueriesContext(connections[dbrouting.REPLICA]) as on_replica:
        assert client.get(reverse("consult:case_list")).status_code == 200
        assert client.get(reverse("home")).status_code == 200
    assert on_replica.captured_queries == []


def test_an_export_reads_the_replica_once_it_has_the_requesters_writes(pair, eager_tasks):
    from reports.models import ExportStatus
    from reports.services import export_start

    coordinator, _ = _member("332020", "coordinator")
    pair.wait_for_replay()
    with CaptureQueriesContext(connections[dbrouting.REPLICA]) as on_replica:
        # Committed at once (autocommit): the task runs in-process (eager_tasks) as a worker would.
        job = export_start(by=coordinator, exporter="case_list", params={}, format="csv", personal=False)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, job.error
    replica_sql = " ".join(q["sql"] for q in on_replica.captured_queries)
    assert "consult_case" in replica_sql and "pg_last_wal_replay_lsn" in replica_sql

    # A replica that cannot catch up in time: the export reads the primary instead.
    pair.pause_replay()
    try:
        _member("332020", "coordinator")  # a write the replica will not replay
        assert dbrouting.replica_caught_up(timeout=0.3) is False
        with dbrouting.replica_reads(fresh=True, timeout=0.3):
            assert dbrouting.read_alias() == DEFAULT_DB_ALIAS
        with dbrouting.replica_reads():
            assert dbrouting.read_alias() == dbrouting.REPLICA
            with dbrouting.primary_reads():
                assert dbrouting.read_alias() == DEFAULT_DB_ALIAS
    finally:
        pair.resume_replay()
