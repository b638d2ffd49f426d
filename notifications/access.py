"""Fetch notifications through the person's scope: one's own (everyone), or
the rows of the desks a coordinator assigns work at (operator view)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from municipalities.roles import Capability
from municipalities.visibility import user_can, visible_desk_ids

from .models import Notification


def _pk(pk) -> int:
    try:
        return int(pk)
    except (TypeError, ValueError):
        raise Http404 from None


def get_own_notification(user, pk) -> Notification:
    return get_object_or_404(Notification.objects.filter(recipient=user), pk=_pk(pk))


def require_operator(user) -> None:
    """The operator view is for people who assign work (coordinators)."""
    if not user_can(user, Capability.ASSIGN_WORK):
        raise PermissionDenied


def operator_notifications(user):
    return Notification.objects.filter(desk_id__in=sorted(visible_desk_ids(user, Capability.ASSIGN_WORK)))


def get_notification_for_operator(user, pk) -> Notification:
    """404 outside the desks the person coordinates, 403 for someone who
    sees the desk but does not assign work there."""
    notification = get_object_or_404(Notification.objects.select_related("desk"), pk=_pk(pk))
    if notification.desk_id is None or notification.desk_id not in visible_desk_ids(user, Capability.VIEW_DESKS):
        raise Http404
    if notification.desk_id not in visible_desk_ids(user, Capability.ASSIGN_WORK):
        raise PermissionDenied
    return notification
