"""bench_reminders at a small size: it builds its rows, times the claim,
dispatches every due one exactly once and reports."""

import io
import re

import pytest
from django.core.management import call_command

from notifications.models import Notification, State

# Benchmark dataset builders are owner work (ANALYZE, VACUUM).
pytestmark = [pytest.mark.django_db, pytest.mark.table_owner]


def test_bench_reminders_small_in_process(reference_data):
    out = io.StringIO()
    call_command("bench_reminders", pending=300, due=60, recipients=5, claim_runs=3, in_process=True, stdout=out)
    text = out.getvalue()
    assert "pending rows: 360 (due now: 60)" in text
    assert re.search(r"claimed \d+ rows per run; median [\d.]+ ms", text)
    assert "60 sent in" in text
    assert Notification.objects.filter(state=State.SENT).count() == 60
    assert Notification.objects.filter(state=State.PENDING).count() == 300


def test_bench_reminders_refuses_a_database_not_named_for_it(settings):
    from django.core.management.base import CommandError
    from django.db import connection

    name = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = "madoguchi"
    try:
        with pytest.raises(CommandError, match="benchmark database"):
            call_command("bench_reminders", due=1, pending=1, stdout=io.StringIO())
    finally:
        connection.settings_dict["NAME"] = name
