from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.validators import validate_local_government_code

from .roles import ROLE_CAPABILITIES, Role


class Consortium(models.Model):
    """A named group of municipalities sharing one hub desk (DESIGN §2)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    hub_municipality = models.OneToOneField(
        "Municipality",
        verbose_name=_("hub municipality"),
        on_delete=models.PROTECT,
        related_name="hub_of",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("consortium")
        verbose_name_plural = _("consortia")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    class Kind(models.TextChoices):
        PREFECTURE = "prefecture", _("prefecture")
        CITY = "city", pgettext_lazy("municipality kind", "city")
        TOWN = "town", pgettext_lazy("municipality kind", "town")
        VILLAGE = "village", pgettext_lazy("municipality kind", "village")
        WARD = "ward", pgettext_lazy("municipality kind", "ward")

    code = models.CharField(
        _("local government code"),
        max_length=6,
        unique=True,
        validators=[validate_local_government_code],
        help_text=_("全国地方公共団体コード: 6 digits, the last one a check digit."),
    )
    name = models.CharField(_("name"), max_length=100)
    reading = models.CharField(_("reading (kana)"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    district = models.CharField(_("district (郡)"), max_length=50, blank=True)
    consortium = models.ForeignKey(
        Consortium,
        verbose_name=_("consortium"),
        on_delete=models.PROTECT,
        related_name="municipalities",
        null=True,
        blank=True,
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[0-9]{6}$"), name="municipality_code_six_digits")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_hub(self) -> bool:
        return self.consortium_id is not None and self.consortium.hub_municipality_id == self.pk

    @property
    def prefecture_code(self) -> str:
        return self.code[:2]


class Desk(models.Model):
    """A place where consultations are taken (窓口).  A case is always
    handled by exactly one desk."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="desks"
    )
    code = models.CharField(
        _("desk code"),
        max_length=8,
        unique=True,
        help_text=_("Short upper-case prefix of case reference numbers, e.g. KRS."),
    )
    name = models.CharField(_("name"), max_length=200)
    is_hub = models.BooleanField(_("hub desk"), default=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("desk")
        verbose_name_plural = _("desks")
        ordering = ["municipality__code", "code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[A-Z0-9]{2,8}$"), name="desk_code_format"),
        ]
        indexes = [models.Index(fields=["municipality", "code"], name="desk_municipality_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("desk_detail", args=[self.pk])


class MembershipQuerySet(models.QuerySet):
    def active(self) -> "MembershipQuerySet":
        return self.filter(active=True, user__is_active=True)


class Membership(models.Model):
    """User × municipality × role.  Everything a user sees is scoped by these."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="memberships"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    desk = models.ForeignKey(
        Desk,
        verbose_name=_("usual desk"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("The counter this person usually works at, if any."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["municipality__code", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "municipality", "role"], name="membership_unique_role"),
        ]
        indexes = [models.Index(fields=["municipality", "role"], name="membership_muni_role_idx")]

    def __str__(self) -> str:
        return f"{self.user} — {self.municipality} ({self.get_role_display()})"

    def clean(self) -> None:
        super().clean()
        if self.desk_id and self.municipality_id and self.desk.municipality_id != self.municipality_id:
            raise ValidationError(
                {"desk": _("The usual desk must be one of this municipality's desks.")}, code="desk_elsewhere"
            )

    @property
    def capabilities(self) -> frozenset[str]:
        return ROLE_CAPABILITIES.get(self.role, frozenset())

    def has(self, capability: str) -> bool:
        return capability in self.capabilities


class MunicipalClosure(models.Model):
    """A day a municipality's offices are closed on top of weekends, national
    holidays and 12/29–1/3 (e.g. a local holiday or an office move).  Read
    by `municipalities.calendar.closures_for` for `core.calendar`."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="closures"
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("office closure")
        verbose_name_plural = _("office closures")
        ordering = ["municipality__code", "date"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "date"], name="municipal_closure_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.date:%Y-%m-%d}"
