"""The Celery app.  The periodic schedule lives here, in code (DESIGN §6):
beat only wakes tasks that claim due rows from PostgreSQL; no far-future ETA
ever goes to the broker.  Run exactly one beat (docker-compose: one replica).
See docs/decisions/0002-beat-scheduler.md.
"""

import os
import uuid
from pathlib import Path

from celery import Celery
from celery.schedules import crontab
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.conf import settings

app = Celery("madoguchi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Each beat process names itself, so that the notifications tick can tell a
# second beat (started by mistake) from the leader and drop its ticks.
BEAT_ID = uuid.uuid4().hex[:12]

app.conf.beat_schedule = {
    # Proves that beat and a worker are alive; /healthz reads its timestamp.
    "beat-heartbeat": {"task": "core.tasks.beat_heartbeat", "schedule": settings.HEARTBEAT_INTERVAL_SECONDS},
    # Produces reminders, claims due notifications, sweeps dead claims.
    "notifications-tick": {
        "task": "notifications.tasks.tick",
        "schedule": settings.NOTIFICATIONS_TICK_SECONDS,
        "args": (BEAT_ID,),
    },
    # Housekeeping (idempotent: a second run deletes nothing more).
    # Drafts kept after a session expired hold encrypted personal data:
    # deleted soon after their DRAFT_TTL_SECONDS.
    "core-drafts-purge-expired": {"task": "core.tasks.drafts_purge_expired_task", "schedule": crontab(minute="*/15")},
    # Files of expired exports (reports/): nightly, at 03:10 Asia/Tokyo (CELERY_TIMEZONE).
    "reports-exports-purge-expired": {
        "task": "reports.tasks.exports_purge_expired_task",
        "schedule": crontab(hour=3, minute=10),
    },
    # Retention (core/retention.py): anonymise what expired, drop expired audit
    # partitions and create the months ahead; 02:30 Asia/Tokyo, outside office hours.
    "retention-nightly": {"task": "core.tasks.retention_nightly", "schedule": crontab(hour=2, minute=30)},
}

# Without REDIS_URL the broker is kombu's filesystem transport
# (docs/decisions/0003-broker-without-server.md): its folders must exist
# before a worker, beat or the web process touches it.
if settings.CELERY_BROKER_URL.startswith("filesystem://"):
    for _key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS[_key]).mkdir(parents=True, exist_ok=True)
# Beat keeps its small state file (last run times) in the data folder.
Path(settings.CELERY_BEAT_SCHEDULE_FILENAME).parent.mkdir(parents=True, exist_ok=True)


@beat_init.connect
def _heartbeat_on_start(sender=None, **kwargs):
    """Beat's interval schedule first fires one interval after start; send one
    heartbeat at once so /healthz turns green as soon as beat and a worker run."""
    sender.app.send_task("core.tasks.beat_heartbeat")
