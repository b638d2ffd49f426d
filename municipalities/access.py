"""Fetch objects through the user's scope: 404 outside it, never 403."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import get_object_or_404

from .models import Desk
from .visibility import visible_desks

if TYPE_CHECKING:
    from .visibility import AnyUser


def get_desk_for_user(user: AnyUser, pk: int) -> Desk:
    return get_object_or_404(visible_desks(user).select_related("municipality__consortium"), pk=pk)
