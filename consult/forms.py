"""Forms of the consult app.

Intake (相談受付) and clients live here; other screens keep their own form
classes further down, each in its own section.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from django import forms
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consult import names
from consult.countries import country_choices, is_country
from consult.models import (
    Action,
    AgeBand,
    CaseOutcome,
    Channel,
    ClientType,
    Gender,
    InterpretationMode,
    Language,
    ResidenceStatus,
    Topic,
)
from municipalities.models import Desk, Municipality
from municipalities.roles import Capability
from municipalities.visibility import user_can, user_memberships, visible_desk_ids

# --- reference data for the intake screen ---------------------------------
# Languages, topics, residence statuses and municipalities change a few times
# a year (admin, load_reference) but every intake GET renders all of them and
# every POST validates against them.  They are kept per process for a minute
# (and dropped at once when a row is saved or deleted in this process), so an
# intake POST spends its query budget on the consultation, not on lookups.
REFERENCE_TTL_SECONDS = 60.0
_reference_cache: dict[str, tuple[float, tuple]] = {}


def _load_reference(kind: str) -> tuple:
    if kind == "languages":
        return tuple(Language.objects.active().order_by("sort_order", "code"))
    if kind == "topics":
        return tuple(Topic.objects.active().select_related("parent").order_by("sort_order", "code"))
    if kind == "residence_statuses":
        return tuple(ResidenceStatus.objects.active().order_by("sort_order", "code"))
    if kind == "municipalities":
        return tuple(
            Municipality.objects.filter(active=True, consortium__isnull=False)
            .select_related("consortium")
            .order_by("consortium__code", "code")
        )
    raise KeyError(kind)


def reference_rows(kind: str) -> tuple:
    now = time.monotonic()
    hit = _reference_cache.get(kind)
    if hit is not None and now - hit[0] < REFERENCE_TTL_SECONDS:
        return hit[1]
    rows = _load_reference(kind)
    _reference_cache[kind] = (now, rows)
    return rows


def clear_reference_cache(**kwargs) -> None:
    _reference_cache.clear()
    _search_text.cache_clear()


for _model in (Language, Topic, ResidenceStatus, Municipality):
    post_save.connect(clear_reference_cache, sender=_model, dispatch_uid=f"intake-reference-{_model.__name__}")
    post_delete.connect(clear_reference_cache, sender=_model, dispatch_uid=f"intake-reference-del-{_model.__name__}")


@lru_cache(maxsize=512)
def _search_text(*labels: str) -> str:
    """What a type-to-filter box matches: every label normalised, plus the
    kana reading and romaji of Japanese labels (在留 ← ざいりゅう, zairyu),
    joined by "|" so that static/js/intake.js can tell a prefix match."""
    return names.VARIANT_SEPARATOR.join(names.name_variants(*[label for label in labels if label]))


class ReferenceChoiceField(forms.ChoiceField):
    """A choice among cached reference rows; cleans to the model instance."""

    def __init__(self, *, kind: str, label_for=None, rows_filter=None, **kwargs):
        self.kind = kind
        self.label_for = label_for or str
        self.rows_filter = rows_filter
        super().__init__(choices=self._choices, **kwargs)

    def rows(self) -> tuple:
        rows = reference_rows(self.kind)
        return tuple(r for r in rows if self.rows_filter(r)) if self.rows_filter else rows

    def _choices(self):
        return [("", "—"), *((str(r.pk), self.label_for(r)) for r in self.rows())]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        for row in self.rows():
            if str(row.pk) == str(value):
                return row
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )

    def validate(self, value):
        if value is None and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def prepare_value(self, value):
        return value.pk if hasattr(value, "pk") else value


def language_label(language: Language) -> str:
    """ "Tiếng Việt — ベトナム語": the autonym first, so people can point at it."""
    if language.autonym and language.autonym != language.name:
        return f"{language.autonym} — {language.name}"
    return language.name


def language_search_text(language: Language) -> str:
    return _search_text(
        language.autonym,
        language.name,
        getattr(language, "name_ja", ""),
        getattr(language, "name_en", ""),
        language.code,
    )


@dataclass
class TopicNode:
    topic: Topic
    search: str
    children: list[TopicNode]


def topic_tree() -> list[TopicNode]:
    rows = reference_rows("topics")
    by_parent: dict[int | None, list[Topic]] = {}
    for topic in rows:
        by_parent.setdefault(topic.parent_id, []).append(topic)

    def node(topic: Topic, parent: Topic | None = None) -> TopicNode:
        search = _search_text(topic.name, getattr(topic, "name_ja", ""), getattr(topic, "name_en", ""), topic.code)
        return TopicNode(topic, search, [node(child, topic) for child in by_parent.get(topic.pk, [])])

    return [node(topic) for topic in by_parent.get(None, [])]


def _now_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class DeskChoiceField(forms.ModelChoiceField):
    """The desks where the user may log consultations.  Their usual desk
    (loaded with their memberships) is taken as it is, without a query."""

    usual_desk = None

    def to_python(self, value):
        if self.usual_desk is not None and str(value) == str(self.usual_desk.pk):
            return self.usual_desk
        return super().to_python(value)


class TopicsField(forms.MultipleChoiceField):
    """Several topics of the two-level tree; cleans to Topic instances."""

    default_error_messages = {"required": _("Choose at least one topic.")}

    def __init__(self, **kwargs):
        super().__init__(choices=self._choices, **kwargs)

    def _choices(self):
        return [(str(t.pk), t.name) for t in reference_rows("topics")]

    def clean(self, value):
        value = super().clean(value)
        wanted = {str(v) for v in value}
        return [t for t in reference_rows("topics") if str(t.pk) in wanted]


# --- intake ----------------------------------------------------------------
class IntakeForm(forms.Form):
    """One consultation (相談受付): a new case, a quick contact, or another
    consultation in an existing case (再相談).  The client part is ClientForm."""

    # Field order is the tab order of the screen: what the person brings
    # first, then who they are, then what was done; the defaults last.
    language = ReferenceChoiceField(
        kind="languages",
        label=_("Language used"),
        label_for=language_label,
        help_text=_("Type to filter: the language's own name, its Japanese or English name."),
        error_messages={"required": _("Choose the language the consultation was held in.")},
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=Channel.choices,
        initial=Channel.WALK_IN,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the person contacted the desk.")},
    )
    interpretation_mode = forms.ChoiceField(
        label=_("Interpretation"),
        choices=InterpretationMode.choices,
        initial=InterpretationMode.NONE,
        error_messages={"required": _("Choose how the consultation was interpreted (or “none”).")},
    )
    topics = TopicsField(
        label=_("Topics"),
        help_text=_(
            "Several allowed. Type to filter; Enter ticks the first match. In the list, ↑↓ move and Space ticks."
        ),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    actions = forms.MultipleChoiceField(
        label=_("Actions taken"), choices=Action.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    minutes = forms.IntegerField(
        label=_("Minutes spent"),
        required=False,
        min_value=0,
        max_value=1440,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
        error_messages={
            "min_value": _("Enter a number of minutes between 0 and 1440."),
            "max_value": _("Enter a number of minutes between 0 and 1440."),
            "invalid": _("Enter a number of minutes between 0 and 1440."),
        },
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=CaseOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the outcome: resolved at the desk, referred, or continuing.")},
    )
    sensitive_notes = forms.CharField(
        label=_("Sensitive notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Health, DV, crime victim, disability (要配慮個人情報). Shown only to staff allowed to see them."),
    )
    follow_up_due = forms.DateField(label=_("Follow-up due"), required=False, widget=DateInput())
    follow_up_note = forms.CharField(label=_("Follow-up: what to do"), required=False, max_length=500)
    # Filled in on the form; left out of a POST they mean "my desk, now".
    desk = DeskChoiceField(label=_("Desk"), queryset=Desk.objects.none(), empty_label=None, required=False)
    occurred_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=DateTimeLocalInput(),
        required=False,
        help_text=_("Now, unless you are logging an earlier consultation."),
    )
    intake_token = forms.UUIDField(widget=forms.HiddenInput)

    QUICK_FIELDS = ("language", "channel", "topics", "outcome", "desk", "occurred_at", "intake_token")

    def __init__(self, *args, user, case=None, quick: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.case = case
        self.quick = quick
        desk_ids = visible_desk_ids(user, Capability.LOG_CONSULTATIONS)
        self.fields["desk"].queryset = Desk.objects.filter(pk__in=sorted(desk_ids), active=True).order_by(
            "-is_hub", "code"
        )
        # The desk the person usually works at (their membership's desk).
        self.usual_desk = next(
            (m.desk for m in user_memberships(user) if m.desk_id in desk_ids and m.desk.active), None
        )
        self.fields["desk"].usual_desk = self.usual_desk
        if not self.is_bound:
            self.initial.setdefault("intake_token", uuid.uuid4())
            self.initial.setdefault("occurred_at", _now_minute())
            if self.usual_desk is not None:
                self.initial.setdefault("desk", self.usual_desk.pk)
        if quick:
            for name in list(self.fields):
                if name not in self.QUICK_FIELDS:
                    del self.fields[name]
            self.fields["outcome"].initial = CaseOutcome.RESOLVED
            self.fields["outcome"].required = False  # left out: resolved at the desk
            self.fields["outcome"].help_text = _("A quick contact is usually resolved at the desk.")
        if case is not None:
            # Another consultation in a case: the outcome changes only if chosen.
            self.fields["outcome"].required = False
            self.fields["outcome"].choices = [("", _("leave as it is")), *CaseOutcome.choices]
            self.fields["outcome"].initial = ""
        if "sensitive_notes" in self.fields and not user_can(user, Capability.VIEW_SENSITIVE_NOTES):
            del self.fields["sensitive_notes"]

    def topic_tree(self) -> list[TopicNode]:
        return topic_tree()

    def selected_topic_ids(self) -> set[str]:
        if self.is_bound:
            return {str(v) for v in self.data.getlist(self.add_prefix("topics"))}
        return {str(getattr(v, "pk", v)) for v in self.initial.get("topics", [])}

    def language_options(self):
        """(value, label, search text, selected) for the language select."""
        selected = str(self["language"].value() or "")
        return [
            (str(lang.pk), language_label(lang), language_search_text(lang), str(lang.pk) == selected)
            for lang in reference_rows("languages")
        ]

    def clean_desk(self):
        desk = self.cleaned_data.get("desk")
        if desk is None:
            desk = self.usual_desk
        if desk is None:
            choices = list(self.fields["desk"].queryset[:2])
            desk = choices[0] if len(choices) == 1 else None
        if desk is None:
            raise forms.ValidationError(_("Choose the desk where the consultation took place."))
        return desk

    def clean_outcome(self):
        value = self.cleaned_data.get("outcome") or ""
        if not value and self.quick:
            value = CaseOutcome.RESOLVED
        return value

    def clean_occurred_at(self):
        value = self.cleaned_data.get("occurred_at")
        now = timezone.now()
        if value is None:
            return now
        if value > now + timedelta(minutes=10):
            raise forms.ValidationError(
                _("The date and time is in the future. Enter when the consultation took place.")
            )
        if value < now - timedelta(days=366):
            raise forms.ValidationError(_("The date and time is more than a year ago. Check the year."))
        return value

    def clean_follow_up_due(self):
        value = self.cleaned_data.get("follow_up_due")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("The follow-up date is in the past."))
        return value

    def clean(self):
        data = super().clean()
        due, note = data.get("follow_up_due"), (data.get("follow_up_note") or "").strip()
        if due and not note:
            self.add_error("follow_up_note", _("Say what to do on the follow-up date."))
        if note and not due and "follow_up_due" not in self.errors:
            self.add_error("follow_up_due", _("Give the follow-up a due date."))
        desk = data.get("desk")
        if data.get("sensitive_notes") and desk and not user_can(self.user, Capability.VIEW_SENSITIVE_NOTES, desk=desk):
            self.add_error("sensitive_notes", _("You may not record sensitive notes at this desk."))
        return data


# --- clients -----------------------------------------------------------------
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
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    residence_status = ReferenceChoiceField(
        kind="residence_statuses",
        label=_("Residence status"),
        required=False,
        rows_filter=lambda status: status.is_valid_on(timezone.localdate()),
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
        matches_url = reverse("client_matches")
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
