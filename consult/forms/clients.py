"""Clients: a new client's details, which client a consultation is for, merging."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consult.countries import country_choices, is_country
from consult.models import (
    AgeBand,
    ClientType,
    Gender,
)
from municipalities.visibility import user_memberships

from .fields import ReferenceChoiceField, country_search_texts, residence_status_search_texts
from .widgets import DateInput, FilterSelect

CLIENT_ANONYMOUS = ""
CLIENT_NEW = "new"


def birth_year_bounds() -> tuple[int, int]:
    return 1900, timezone.localdate().year


class ClientForm(forms.Form):
    """A new client's details as given at the counter (DESIGN §3).  Field
    names match Client's and the likely-matches endpoint's parameters."""

    name = forms.CharField(
        label=_("Name as given"),
        max_length=200,
        required=False,
        help_text=_("Any script and order, as the person writes it, e.g. 田中 太郎 or NGUYEN Van A."),
    )
    name_kana = forms.CharField(label=_("Reading (katakana)"), max_length=200, required=False)
    name_latin = forms.CharField(label=_("Name in Latin letters"), max_length=200, required=False)
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1, "autocomplete": "off"}),
    )
    # Type-to-filter pickers (issue 9): about 250 countries, 38 statuses.
    nationality = forms.ChoiceField(
        label=_("Nationality"),
        required=False,
        widget=FilterSelect(
            search=country_search_texts,
            filter_label=_("Filter nationalities"),
            placeholder=_("e.g. べとなむ, viet, VN"),
        ),
    )
    residence_status = ReferenceChoiceField(
        kind="residence_statuses",
        label=_("Residence status"),
        required=False,
        rows_filter=lambda status: status.is_valid_on(timezone.localdate()),
        widget=FilterSelect(
            search=residence_status_search_texts,
            filter_label=_("Filter residence statuses"),
            placeholder=_("e.g. とくてい, eijuu, skilled"),
        ),
    )
    period_of_stay_expiry = forms.DateField(label=_("Period of stay expires"), required=False, widget=DateInput())
    residence_municipality = ReferenceChoiceField(
        kind="municipalities",
        label=_("Municipality of residence"),
        required=False,
        help_text=_("Or tick “lives outside the consortium”."),
    )
    lives_outside_area = forms.BooleanField(label=_("Lives outside the consortium"), required=False)
    residence_note = forms.CharField(
        label=_("Place of residence (outside the area)"), max_length=100, required=False, help_text=_("e.g. 岡山市")
    )
    age_band = forms.ChoiceField(label=_("Age band"), required=False, choices=[("", "—"), *AgeBand.choices])
    gender = forms.ChoiceField(label=_("Gender"), required=False, choices=[("", "—"), *Gender.choices])
    client_type = forms.ChoiceField(label=_("Client type"), choices=ClientType.choices, initial=ClientType.SELF)
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    email = forms.EmailField(label=_("E-mail"), required=False)

    MATCH_FIELDS = ("name", "name_kana", "name_latin", "birth_year", "nationality")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = [("", "—"), *country_choices()]
        lo, hi = birth_year_bounds()
        self.fields["birth_year"].widget.attrs.update(min=lo, max=hi)
        # The municipalities of the user's own consortia; anywhere else is
        # "outside the consortium" (with an optional place name).
        consortium_ids = {m.municipality.consortium_id for m in user_memberships(user)}
        self.fields["residence_municipality"].rows_filter = lambda m: m.consortium_id in consortium_ids
        # Typing a name (or birth year, nationality) asks for likely matches;
        # hx-target and hx-include come from the surrounding element.
        matches_url = reverse("consult:client_matches")
        for name in self.MATCH_FIELDS:
            trigger = "change" if name == "nationality" else "input changed delay:400ms"
            self.fields[name].widget.attrs.update({"hx-get": matches_url, "hx-trigger": trigger, "data-match": ""})
        self.fields["name"].widget.attrs.setdefault("autocomplete", "off")
        self.fields["name_kana"].widget.attrs.setdefault("autocomplete", "off")
        self.fields["name_latin"].widget.attrs.setdefault("autocomplete", "off")

    def clean_birth_year(self):
        value = self.cleaned_data.get("birth_year")
        lo, hi = birth_year_bounds()
        if value is not None and not lo <= value <= hi:
            raise forms.ValidationError(
                _("Enter a year of birth between %(low)s and %(high)s (Western calendar, e.g. 1990)."),
                params={"low": lo, "high": hi},
            )
        return value

    def clean_nationality(self):
        value = (self.cleaned_data.get("nationality") or "").upper()
        if value and not is_country(value):
            raise forms.ValidationError(_("Choose a country from the list."))
        return value

    def clean_period_of_stay_expiry(self):
        value = self.cleaned_data.get("period_of_stay_expiry")
        if value is None:
            return value
        today = timezone.localdate()
        if value < today - timedelta(days=365 * 3):
            raise forms.ValidationError(_("This expiry date is more than three years ago. Check the year."))
        if value > today + timedelta(days=365 * 10 + 3):
            raise forms.ValidationError(
                _("A period of stay ends at most 10 years ahead (permanent residents have none). Check the date.")
            )
        return value

    def clean(self):
        data = super().clean()
        if not any((data.get(f) or "").strip() for f in ("name", "name_kana", "name_latin")):
            raise forms.ValidationError(
                _("Enter the new client's name (in any script), or record the consultation anonymously."),
                code="name_missing",
            )
        if data.get("lives_outside_area") and data.get("residence_municipality"):
            self.add_error(
                "residence_municipality",
                _("Choose a municipality of the consortium or “lives outside the consortium”, not both."),
            )
        if data.get("residence_note") and not data.get("residence_municipality"):
            data["lives_outside_area"] = True  # a place name outside the area implies it
        return data

    def client_data(self) -> dict:
        """cleaned_data in the shape services.CLIENT_FIELDS expects."""
        data = dict(self.cleaned_data)
        for key in ("residence_status", "residence_municipality"):
            data[key] = data.get(key)
        for key in ("name", "name_kana", "name_latin", "residence_note", "phone", "email", "age_band", "gender"):
            data[key] = (data.get(key) or "").strip()
        return data


class ClientChoiceForm(forms.Form):
    """Which client a consultation is for: nobody (anonymous), a new client
    (ClientForm), or an existing one picked from the search results or the
    likely matches — one radio group, `client_choice`, across all three."""

    client_choice = forms.CharField(required=False)
    q = forms.CharField(label=_("Find a registered client"), required=False, max_length=100)

    def __init__(self, *args, user, allow_anonymous: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.allow_anonymous = allow_anonymous

    def clean_client_choice(self):
        from consult.models import Client

        value = (self.cleaned_data.get("client_choice") or "").strip()
        if value == CLIENT_NEW:
            return value
        if value == CLIENT_ANONYMOUS:
            if not self.allow_anonymous:
                raise forms.ValidationError(_("Choose a client or register a new one."))
            return value
        client = None
        if value.isdigit():
            client = Client.objects.visible_to(self.user).filter(pk=int(value)).first()
        if client is None:
            raise forms.ValidationError(_("This client is not available. Search again."))
        self.cleaned_data["client"] = client
        return value

    @property
    def mode(self) -> str:
        value = self["client_choice"].value() or ""
        return value if value in (CLIENT_ANONYMOUS, CLIENT_NEW) else "existing"

    @property
    def client(self):
        return getattr(self, "cleaned_data", {}).get("client")


class ClientMergeForm(forms.Form):
    keep = forms.IntegerField(widget=forms.HiddenInput)
    merge = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("I have checked that these records are the same person."),
        error_messages={"required": _("Confirm that the two records are the same person.")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("keep") is not None and cleaned.get("keep") == cleaned.get("merge"):
            raise forms.ValidationError(_("Choose two different clients."))
        return cleaned
