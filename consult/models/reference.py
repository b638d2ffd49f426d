"""Reference data shipped by the project (consult/data/*.csv) and kept
editable in the admin.  Names are translated with django-modeltranslation."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActiveQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Language(models.Model):
    """A language a consultation can be held in (a table, not an enum)."""

    class Direction(models.TextChoices):
        LTR = "ltr", _("left to right")
        RTL = "rtl", _("right to left")

    code = models.CharField(_("code (BCP 47)"), max_length=20, unique=True)
    autonym = models.CharField(_("autonym"), max_length=100, help_text=_("The language's name in itself."))
    name = models.CharField(_("name"), max_length=100)
    direction = models.CharField(_("text direction"), max_length=3, choices=Direction.choices, default=Direction.LTR)
    isa_core_2019 = models.BooleanField(
        _("ISA core language (2019)"), default=False, help_text=_("One of the languages the ISA asked desks to cover.")
    )
    isa_interpretation_service_2023 = models.BooleanField(_("ISA interpretation service (2023)"), default=False)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.autonym} ({self.name})" if self.autonym != self.name else self.name


class Topic(models.Model):
    """Two-level topic tree (相談内容).  A consultation can have several."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent topic"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(_("name"), max_length=150)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(parent=models.F("pk")), name="topic_not_own_parent"),
        ]

    def __str__(self) -> str:
        if self.parent_id:
            return f"{self.parent.name} › {self.name}"
        return self.name


class ResidenceStatusQuerySet(ActiveQuerySet):
    def valid_on(self, day):
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )


class ResidenceStatus(models.Model):
    """在留資格, with the dates between which it exists (育成就労 from 2027-04-01)."""

    class Group(models.TextChoices):
        WORK = "work", _("work-based")
        NON_WORK = "non_work", _("non-work")
        STATUS = "status", _("based on status or position")
        OTHER = "other", _("other")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    group = models.CharField(_("group"), max_length=16, choices=Group.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    objects = ResidenceStatusQuerySet.as_manager()

    class Meta:
        verbose_name = _("residence status")
        verbose_name_plural = _("residence statuses")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__isnull=True)
                | models.Q(valid_from__lte=models.F("valid_to")),
                name="residence_status_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day=None) -> bool:
        day = day or timezone.localdate()
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


class Organisation(models.Model):
    """An external organisation cases are referred to (出入国在留管理局, ハローワーク…)."""

    class Kind(models.TextChoices):
        IMMIGRATION = "immigration", _("immigration services")
        EMPLOYMENT = "employment", _("employment services")
        LABOUR = "labour", _("labour standards")
        LEGAL = "legal", _("legal aid and advice")
        WELFARE = "welfare", _("welfare")
        CHILD = "child", _("child protection")
        DV = "dv", _("domestic violence support")
        INTERNATIONAL = "international", _("international association")
        OTHER = "other", _("other")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    url = models.URLField(_("web site"), blank=True)
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("located in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations",
    )
    active = models.BooleanField(_("active"), default=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name
