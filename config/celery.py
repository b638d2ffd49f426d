"""The Celery app.  The periodic schedule lives here, in code (DESIGN §6):
beat only wakes tasks that claim due rows from PostgreSQL; no far-future ETA
ever goes to the broker.  Run exactly one beat (docker-compose: one replica).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("madoguchi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Proves that beat and a worker are alive; /healthz reads its timestamp.
    "beat-heartbeat": {"task": "core.tasks.beat_heartbeat", "schedule": 60.0},
}
