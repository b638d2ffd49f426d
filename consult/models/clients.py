"""Clients (相談者) and what is recorded about them (DESIGN §3)."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from consult import names
from municipalities.roles import Capability
from municipalities.visibility import visible_desks_q


class AgeBand(models.TextChoices):
    UNDER_18 = "u18", _("under 18")
    AGE_18_29 = "18-29", _("18–29")
    AGE_30_39 = "30-39", _("30–39")
    AGE_40_49 = "40-49", _("40–49")
    AGE_50_64 = "50-64", _("50–64")
    AGE_65_PLUS = "65+", _("65 and over")
    UNKNOWN = "unknown", _("unknown")


class Gender(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    OTHER = "other", pgettext_lazy("gender", "other")
    UNANSWERED = "unanswered", _("not answered")


class ClientType(models.TextChoices):
    SELF = "self", _("the person concerned (本人)")
    FAMILY = "family", _("family member")
    SUPPORTER = "supporter", _("supporter")
    EMPLOYER = "employer", _("employer or receiving organisation")
    AGENCY = "agency", _("related agency")


class ClientQuerySet(models.QuerySet):
    def visible_to(self, user) -> ClientQuerySet:
        """Clients registered at a desk the user sees, or with a case there
        (`desk_ids` holds both, maintained by the database — see the field)."""
        return self.filter(merged_into__isnull=True).filter(
            visible_desks_q(user, capability=Capability.VIEW_CASES, desk_field="desk_ids", lookup="overlap")
        )

    def search(self, query: str) -> ClientQuerySet:
        """Name search: every token occurs in `search_text` (LIKE '%token%').

        The candidates come from an index (docs/decisions/0005): when every
        token has three characters or more, the trigram index on
        `search_text` answers the LIKEs themselves (client_search_trgm_desks_gin);
        a shorter token (田中) has no trigram, so the bigram containment of
        `name_grams` narrows first (client_name_desks_gin).  Both give the
        same rows; trigrams are the sharper sieve — "anan" is 4,700
        candidates for 3,700 matches where its bigrams an/na are 33,000
        (1,000,000 consultations, docs/decisions/0018, fourth pass)."""
        tokens = names.query_tokens(query)
        if not tokens:
            return self.none()
        qs = self
        if not all(names.has_trigrams(token) for token in tokens):
            qs = qs.filter(name_grams__contains=names.query_grams(query))
        for token in tokens:
            qs = qs.filter(search_text__contains=token)
        return qs


class Client(models.Model):
    """A person who consults (相談者).  Optional: many consultations are anonymous."""

    registered_desk = models.ForeignKey(
        "municipalities.Desk", verbose_name=_("registered at"), on_delete=models.PROTECT, related_name="clients"
    )
    name = models.CharField(
        _("name as given"), max_length=200, blank=True, help_text=_("Any script, any order, as the person writes it.")
    )
    name_kana = models.CharField(_("reading (katakana)"), max_length=200, blank=True)
    name_latin = models.CharField(_("name in Latin letters"), max_length=200, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, blank=True, help_text=_("ISO 3166 country code."))
    preferred_language = models.ForeignKey(
        "consult.Language",
        verbose_name=_("preferred language"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    residence_status = models.ForeignKey(
        "consult.ResidenceStatus",
        verbose_name=_("residence status"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    period_of_stay_expiry = models.DateField(_("period of stay expires"), null=True, blank=True)
    residence_municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("municipality of residence"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resident_clients",
    )
    lives_outside_area = models.BooleanField(
        _("lives outside the consortium"), default=False, help_text=_("Counted as “outside the area” in statistics.")
    )
    residence_note = models.CharField(
        _("place of residence (outside the area)"), max_length=100, blank=True, help_text=_("e.g. 岡山市")
    )
    age_band = models.CharField(_("age band"), max_length=8, choices=AgeBand.choices, blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    client_type = models.CharField(_("client type"), max_length=12, choices=ClientType.choices, default=ClientType.SELF)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # almost always NULL: a partial index (Meta) holds only the tombstones
    )
    desk_ids = ArrayField(
        models.BigIntegerField(),
        editable=False,
        default=list,
        help_text="Registered desk and every desk handling one of the client's cases. Maintained by triggers "
        "(migration 0004) so that name search can lead with the tenant in one GIN index; never set it in Python.",
    )
    search_text = models.TextField(editable=False, default="")
    name_grams = ArrayField(models.CharField(max_length=2), editable=False, default=list)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        indexes = [
            # Name search within the desks a person sees, in one index scan:
            # a partner clerk's query does not pay for the whole consortium.
            GinIndex(fields=["name_grams", "desk_ids"], name="client_name_desks_gin"),
            # Tokens of three characters or more: LIKE '%token%' on trigrams
            # (pg_trgm), sharper than bigrams; also within the visible desks.
            GinIndex(OpClass("search_text", name="gin_trgm_ops"), "desk_ids", name="client_search_trgm_desks_gin"),
            models.Index(fields=["registered_desk", "-created_at"], name="client_desk_created_idx"),
            models.Index(
                fields=["merged_into"], condition=models.Q(merged_into__isnull=False), name="client_merged_into_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(merged_into=models.F("pk")), name="client_not_merged_into_self"),
            models.CheckConstraint(
                condition=models.Q(birth_year__isnull=True) | models.Q(birth_year__gte=1900, birth_year__lte=2100),
                name="client_birth_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        self.refresh_search_fields()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "name_grams"}
        super().save(*args, **kwargs)

    def refresh_search_fields(self) -> None:
        self.search_text = names.search_text(self.name, self.name_kana, self.name_latin)
        self.name_grams = sorted(names.grams_of(self.search_text))

    @property
    def display_name(self) -> str:
        parts = [p for p in (self.name, self.name_latin or self.name_kana) if p]
        if len(parts) == 2 and parts[0] != parts[1]:
            return f"{parts[0]} ({parts[1]})"
        return parts[0] if parts else str(_("(no name)"))
