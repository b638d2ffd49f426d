import logging

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

logger = logging.getLogger(__name__)


class StaffAccountAdapter(DefaultAccountAdapter):
    """Staff portal: nobody signs themselves up.  Administrators create or
    invite staff (admin site or `manage.py`); password reset is by e-mail."""

    def is_open_for_signup(self, request) -> bool:
        return False

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
