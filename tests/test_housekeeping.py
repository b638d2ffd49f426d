"""Housekeeping that beat runs from the code-defined schedule (config/celery.py):
expired drafts and the files of expired exports are deleted."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from config.celery import app
from core.models import Draft
from core.tasks import drafts_purge_expired_task
from reports.models import ExportJob
from reports.tasks import exports_purge_expired_task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_beat_schedule_runs_the_housekeeping_tasks():
    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"core.tasks.drafts_purge_expired_task", "reports.tasks.exports_purge_expired_task"} <= tasks
    assert {"core.tasks.drafts_purge_expired_task", "reports.tasks.exports_purge_expired_task"} <= set(app.tasks)


def test_expired_drafts_are_deleted_and_current_ones_kept():
    owner = UserFactory()
    now = timezone.now()
    old = Draft.objects.create(owner=owner, path="/a/", payload=b"x", expires_at=now - dt.timedelta(seconds=1))
    fresh = Draft.objects.create(owner=owner, path="/b/", payload=b"x", expires_at=now + dt.timedelta(minutes=10))
    assert drafts_purge_expired_task() == 1
    assert drafts_purge_expired_task() == 0  # a second run deletes nothing more
    assert list(Draft.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not Draft.objects.filter(pk=old.pk).exists()


def test_files_of_expired_exports_are_deleted(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    user = UserFactory()
    now = timezone.now()
    jobs = {}
    for name, expires in (("old", now - dt.timedelta(hours=1)), ("new", now + dt.timedelta(hours=1))):
        file_name = default_storage.save(f"exports/{name}.csv", ContentFile(b"a,b\n"))
        jobs[name] = ExportJob.objects.create(
            user=user, exporter="test", format="csv", status="done", file_name=file_name, expires_at=expires
        )
    assert exports_purge_expired_task() == 1
    assert exports_purge_expired_task() == 0
    jobs["old"].refresh_from_db()
    assert jobs["old"].file_name == "" and not (tmp_path / "exports/old.csv").exists()
    assert (tmp_path / "exports/new.csv").exists()
