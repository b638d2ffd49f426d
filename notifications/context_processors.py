from .unread import unread_count


def unread(request):
    """The unread count in the header (cached per person: notifications/unread.py)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: unread_count(user)}
