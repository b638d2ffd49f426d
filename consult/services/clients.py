"""Clients: register, merge duplicates."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Model
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_log
from municipalities.models import Desk
from municipalities.roles import Capability

from ..models import (
    Case,
    Client,
)
from ._permissions import require_at_desk

CLIENT_FIELDS = (
    "name",
    "name_kana",
    "name_latin",
    "birth_year",
    "nationality",
    "preferred_language",
    "residence_status",
    "period_of_stay_expiry",
    "residence_municipality",
    "lives_outside_area",
    "residence_note",
    "age_band",
    "gender",
    "client_type",
    "phone",
    "email",
)


_CLIENT_RELATED_FIELDS = ("preferred_language", "residence_status", "residence_municipality")


def _client_build(*, desk: Desk, data: dict) -> Client:
    """A validated, unsaved client registered at `desk`.

    Related objects handed over as loaded instances are not looked up again,
    and the birth-year check constraint is tested here in Python rather than
    by one query per constraint: the intake POST has a budget of 15 queries.
    The database enforces both anyway."""
    client = Client(registered_desk=desk, **{k: v for k, v in data.items() if k in CLIENT_FIELDS})
    loaded = [name for name in _CLIENT_RELATED_FIELDS if isinstance(data.get(name), Model) and data[name].pk]
    client.full_clean(exclude=["registered_desk", *loaded], validate_constraints=False)
    if client.birth_year is not None and not 1900 <= client.birth_year <= 2100:
        raise ValidationError({"birth_year": _("Enter a year between 1900 and 2100.")})
    return client


def client_create(*, by: User, desk: Desk, data: dict) -> Client:
    require_at_desk(by, Capability.LOG_CONSULTATIONS, desk)
    client = _client_build(desk=desk, data=data)
    with transaction.atomic():
        client.save()
        audit_log(actor=by, action="create", obj=client, desk=desk)
    return client


def client_merge(*, keep: Client, merge: Client, by: User) -> Client:
    """Merge a duplicate into `keep`: every case follows, blank fields of
    `keep` are filled from the duplicate, and the duplicate stays as a
    tombstone pointing at `keep` (links and the audit trail still resolve).

    Two coordinators may merge the same records at the same moment (A into B
    while B into A, or B into A while B into C).  Both rows are therefore
    locked in primary-key order, so the two transactions queue on the same
    first row instead of deadlocking, and "already merged" is decided on the
    rows as they are once locked, not as the caller loaded them: the second
    merge finds a tombstone and changes nothing."""
    if keep.pk == merge.pk:
        raise ValidationError(_("A client cannot be merged with itself."))
    require_at_desk(by, Capability.MERGE_CLIENTS, keep.registered_desk)
    require_at_desk(by, Capability.MERGE_CLIENTS, merge.registered_desk)
    with transaction.atomic():
        locked = {c.pk: c for c in Client.objects.select_for_update().filter(pk__in=[keep.pk, merge.pk]).order_by("pk")}
        if len(locked) != 2 or any(c.merged_into_id for c in locked.values()):
            raise ValidationError(
                _("One of these clients has just been merged by someone else. Nothing was changed; search again.")
            )
        keep, merge = locked[keep.pk], locked[merge.pk]
        filled = []
        for field in CLIENT_FIELDS:
            if getattr(keep, field) in ("", None, False) and getattr(merge, field) not in ("", None, False):
                setattr(keep, field, getattr(merge, field))
                filled.append(field)
        keep.save()
        moved = list(Case.objects.filter(client=merge).values_list("pk", flat=True))
        Case.objects.filter(pk__in=moved).update(client=keep, version=F("version") + 1)
        merge.merged_into = keep
        merge.save(update_fields=["merged_into", "updated_at"])
        audit_log(
            actor=by,
            action="merge",
            obj=keep,
            desk=keep.registered_desk,
            summary=f"client {merge.pk} merged into {keep.pk}",
            changes={"merged_client": merge.pk, "cases_moved": moved, "fields_filled": filled},
        )
    return keep


def client_lock_live(client: Client, *, by: User) -> None:
    """Inside a transaction: check that `by` may see `client` and that it is
    not (or no longer) a tombstone, and lock it against a concurrent merge
    until the transaction ends, so nothing new is attached to a record that
    is being merged away.  One query on the usual path (the intake's query
    budget): the visibility check itself takes the lock.  FOR NO KEY UPDATE
    conflicts with the merge's FOR UPDATE, not with foreign-key checks."""
    locked = Client.objects.visible_to(by).select_for_update(no_key=True).filter(pk=client.pk)
    if list(locked.values_list("pk", flat=True)):
        return
    if Client.objects.filter(pk=client.pk, merged_into__isnull=False).exists():
        raise ValidationError(_("This client has just been merged into another record. Search again."))
    raise PermissionDenied
