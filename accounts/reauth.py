"""Re-authentication before a sensitive step (issue 12 point 8): allauth's
re-authentication (password, or a second factor), valid for
ACCOUNT_REAUTHENTICATION_TIMEOUT seconds.  A POST is kept and replayed
after the re-authentication (allauth's suspended request)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from allauth.account.internal.flows.reauthentication import is_reauthentication_required
from allauth.core.exceptions import ReauthenticationRequired


def reauthentication_required_if(condition: Callable[..., bool]):
    """`condition(request, *view_args, **view_kwargs)` says whether this
    request is sensitive (e.g. an export with personal data).  Put it
    inside the view's access checks' reach: the condition must itself only
    look at what the person may see."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if (
                request.user.is_authenticated
                and condition(request, *args, **kwargs)
                and is_reauthentication_required(request, app="allauth.account")
            ):
                raise ReauthenticationRequired()
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorator
