from django.utils import timezone

from .models import Heartbeat


def heartbeat_record(*, name: str) -> Heartbeat:
    """Idempotent: a second run only moves the timestamp."""
    heartbeat, _ = Heartbeat.objects.update_or_create(name=name, defaults={"last_seen": timezone.now()})
    return heartbeat
