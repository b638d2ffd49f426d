import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import translation

logger = logging.getLogger(__name__)


class StaffAccountAdapter(DefaultAccountAdapter):
    """Staff portal: nobody signs themselves up.  Administrators create or
    invite staff (admin site or `manage.py`); password reset is by e-mail."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def pre_authenticate(self, request, **credentials) -> None:
        """allauth refuses a sign-in here once the failed-attempt budget is
        spent (ACCOUNT_RATE_LIMITS): that lock-out goes to the audit trail."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            from .audit import Action, audit_auth, known_user

            audit_auth(action=Action.LOCKOUT, user=known_user(credentials.get("username")), summary="rate limit")
            raise

    def reauthenticate(self, user, password: str) -> bool:
        """Re-entering the password before a sensitive change or an export
        goes to the audit trail (a wrong one is a failed sign-in there,
        through Django's user_login_failed)."""
        from .audit import Action, audit_auth

        ok = super().reauthenticate(user, password)
        if ok:
            audit_auth(action=Action.REAUTH, user=user, actor=user, summary="password")
        return ok

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """E-mails go out in the recipient's interface language, not in the
        language of whoever (or whichever browser) triggered them."""
        with translation.override(recipient_language(email, context.get("user"))):
            try:
                super().send_mail(template_prefix, email, context)
            except OSError as exc:  # smtplib.SMTPException, refused connection, timeout
                # The mail relay is down.  Answer exactly as for an address
                # with no account (a 500 would tell who has one) and log
                # what happened without the address or the message (the
                # exception text of SMTP errors can carry both).
                logger.error("account mail %r could not be sent: %s", template_prefix, type(exc).__name__)


def recipient_language(email: str, user=None) -> str:
    """The interface language of the staff member an e-mail goes to; the
    portal's default language for an address no staff member has."""
    if user is None:
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).order_by("pk").first()
    language = getattr(user, "ui_language", "")
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class StaffMFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        """Someone whose role requires MFA keeps at least one authenticator
        (an app or a key; recovery codes alone are a fallback, not a factor)."""
        from .mfa import mfa_required

        if authenticator.type == authenticator.Type.RECOVERY_CODES or not mfa_required(authenticator.user):
            return super().can_delete_authenticator(authenticator)
        others = (
            type(authenticator)
            .objects.filter(user_id=authenticator.user_id)
            .exclude(pk=authenticator.pk)
            .exclude(type=authenticator.Type.RECOVERY_CODES)
        )
        return others.exists() and super().can_delete_authenticator(authenticator)


class StaffUserSessionsAdapter(DefaultUserSessionsAdapter):
    def end_sessions(self, sessions) -> None:
        """A person ends their other sessions from /accounts/sessions/: each
        one goes to the audit trail."""
        from .audit import Action, audit_auth

        for session in sessions:
            user = session.user
            session.end()
            audit_auth(action=Action.SESSION_END, user=user, actor=user, summary="ended by the person")
