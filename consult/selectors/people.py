"""Desks and colleagues offered by the case list's filters and the case page."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from accounts.models import User
from municipalities.models import Desk
from municipalities.visibility import memberships_seeing_desks, visible_desk_ids


def visible_desks(user: User) -> QuerySet[Desk]:
    return Desk.objects.filter(pk__in=sorted(visible_desk_ids(user))).select_related("municipality")


def colleagues_for_desk(desk: Desk) -> QuerySet:
    """People who can see (and so be assigned) cases handled at `desk`."""
    user_ids = memberships_seeing_desks([desk.pk]).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids).order_by("display_name", "username")


def assignable_users(user: User) -> QuerySet:
    """People who can see at least one desk `user` sees (the assignee filter)."""
    user_ids = memberships_seeing_desks(visible_desk_ids(user)).values("user_id")
    return get_user_model().objects.filter(pk__in=user_ids).order_by("display_name", "username")
