"""Keep the aggregates (reports/aggregates.py) correct as consultations are
added, edited or deleted: the old and new (month, desk) buckets are rebuilt
by a Celery task enqueued when the transaction commits.  Connected in ReportsConfig.ready — consult
sits below reports and never imports it."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from consult.models import Consultation, ConsultationTopic
from consult.signals import consultations_bulk_loaded
from core.tasks import enqueue

from .aggregates import bucket_of

_PENDING_ATTR = "_reports_old_bucket"


def _schedule(*buckets) -> None:
    """A worker rebuilds the buckets after the commit: the intake's request
    pays one broker message, not the recount (its query budget is 15)."""
    from .tasks import aggregates_rebuild_task

    buckets = sorted({b for b in buckets if b is not None})
    if buckets:
        enqueue(aggregates_rebuild_task, [[month.isoformat(), desk] for month, desk in buckets])


@receiver(pre_save, sender=Consultation)
def _remember_old_bucket(sender, instance: Consultation, **kwargs) -> None:
    if instance.pk and not kwargs.get("raw"):
        old = Consultation.objects.filter(pk=instance.pk).values_list("occurred_at", "desk_id").first()
        setattr(instance, _PENDING_ATTR, bucket_of(*old) if old else None)


@receiver(post_save, sender=Consultation)
def _consultation_saved(sender, instance: Consultation, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    _schedule(getattr(instance, _PENDING_ATTR, None), bucket_of(instance.occurred_at, instance.desk_id))


@receiver(post_delete, sender=Consultation)
def _consultation_deleted(sender, instance: Consultation, **kwargs) -> None:
    _schedule(bucket_of(instance.occurred_at, instance.desk_id))


@receiver([post_save, post_delete], sender=ConsultationTopic)
def _topic_link_changed(sender, instance: ConsultationTopic, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    row = Consultation.objects.filter(pk=instance.consultation_id).values_list("occurred_at", "desk_id").first()
    if row:
        _schedule(bucket_of(*row))


@receiver(consultations_bulk_loaded)
def _bulk_loaded(sender, **kwargs) -> None:
    """The demo seeder wrote consultations with SQL-level bulk inserts: recount
    everything once it commits (a command, not a request: run it here)."""
    from .aggregates import rebuild_all

    transaction.on_commit(rebuild_all)
