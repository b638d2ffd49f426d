"""bench_handoffs in a small mode on the test database: the hand-offs are
built consistently (every status, no hand-off to its own desk, accepted
referrals in the clients' desk_ids) and every inbox scenario is measured."""

import io
import re

import pytest
from django.core.management import call_command
from django.db.models import F

from consult.models import Client, HandOff, HandOffStatus

# The benchmark dataset builder is owner work (it disables triggers, sets sequences, ANALYZEs).
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
    pytest.mark.table_owner,
]


def test_small_inbox_bench(reference_data):
    out = io.StringIO()
    call_command(
        "bench_handoffs",
        "--consultations",
        "2000",
        "--handoffs",
        "300",
        "--repeat",
        "2",
        "--warmup",
        "0",
        stdout=out,
    )
    output = out.getvalue()
    assert 280 <= HandOff.objects.count() <= 320, output
    assert set(HandOff.objects.values_list("status", flat=True)) == set(HandOffStatus.values)
    assert not HandOff.objects.filter(to_desk=F("from_desk")).exists()
    accepted = HandOff.objects.filter(status="accepted", shares_client=True, case__client__isnull=False).first()
    assert accepted.to_desk_id in Client.objects.get(pk=accepted.case.client_id).desk_ids
    keys = set(re.findall(r"^\s+(inbox\.[\w.]+|home\.hub)\s+median", output, re.MULTILINE))
    assert keys == {
        "inbox.hub",
        "inbox.hub.pending",
        "inbox.hub.overdue",
        "inbox.hub.from",
        "inbox.hub.deep",
        "inbox.partner",
        "inbox.partner.from",
        "home.hub",
    }, output
