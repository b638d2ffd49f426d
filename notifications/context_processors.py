from .models import Notification


def unread(request):
    """The unread count in the header (one indexed count per page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: Notification.objects.for_inbox(user).unread().count()}
