"""Fetch objects through the user's scope: 404 outside it, never 403."""

from django.shortcuts import get_object_or_404

from .models import Desk
from .visibility import visible_desks


def get_desk_for_user(user, pk: int) -> Desk:
    return get_object_or_404(visible_desks(user).select_related("municipality__consortium"), pk=pk)
