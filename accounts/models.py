from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff member.  What they may see comes from their memberships
    (municipalities.Membership), never from Django's is_staff flag."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    ui_language = models.CharField(
        _("interface language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="ja",
        help_text=_("Used for the screens and for notifications sent to this person."),
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username
