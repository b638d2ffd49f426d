"""Session policy (issue 12 points 8 and 9), after authentication:

* an absolute limit on a session's life (SESSION_ABSOLUTE_SECONDS from
  sign-in, beside the idle timeout): past it the person is signed out and
  the deny-by-default middleware sends them to sign-in (a form they sent
  is kept, as after an idle timeout: core/drafts.py);
* a person whose role requires MFA (accounts/mfa.py) reaches no page but
  the sign-in, MFA and own-account pages until this session has used a
  second factor: without an authenticator they are sent to set one up,
  with one to confirm it (allauth's MFA re-authentication).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import mfa
from .sessions import SIGNED_IN_AT_KEY, end_reason_note

# Reachable before the second factor: the second factor itself, signing out,
# the person's own account pages (no one else's data), and the page shell.
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {
        "account_login",
        "account_logout",
        "account_reauthenticate",
        "account_change_password",
        "account_email",
        "usersessions_list",
        "set_language",
        "session_extend",
        "healthz",
    }
)


def _open_before_second_factor(view_name: str | None) -> bool:
    # allauth's MFA pages have no namespace ("admin:mfa_…" is the admin's).
    return bool(view_name) and (view_name in OPEN_BEFORE_SECOND_FACTOR or view_name.startswith("mfa_"))


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and self._past_absolute_limit(request):
            end_reason_note(user, "absolute timeout")
            logout(request)
            messages.info(
                request,
                _("You were signed out: a session lasts at most %(hours)s hours. Please sign in again.")
                % {"hours": f"{settings.SESSION_ABSOLUTE_SECONDS / 3600:g}"},
            )
        return self.get_response(request)

    @staticmethod
    def _past_absolute_limit(request) -> bool:
        signed_in_at = request.session.get(SIGNED_IN_AT_KEY)
        # A session without the mark predates this rule: it gets no more time.
        if not isinstance(signed_in_at, int | float):
            return True
        return time.time() - signed_in_at > settings.SESSION_ABSOLUTE_SECONDS

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        if _open_before_second_factor(match.view_name if match else None):
            return None
        if mfa.session_used_second_factor(request) or not mfa.mfa_required(user):
            return None
        next_query = urlencode({"next": request.get_full_path()})
        if mfa.has_authenticator(user):
            return redirect(f"{reverse('mfa_reauthenticate')}?{next_query}")
        messages.warning(
            request,
            _(
                "Your role requires two-step verification before any page with personal data. "
                "Set up an authenticator app or a security key to continue."
            ),
        )
        return redirect(reverse("mfa_index"))
