"""Forms for editing a client, recording consent and forwarding a case (取次)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from consult.models import HandOffKind, HandOffStatus, InterpretationMode, Language, Organisation
from municipalities.models import Desk, Municipality

from .clients import ClientForm
from .widgets import DateInput


class ClientEditForm(ClientForm):
    """The client's details, with the moment they were loaded (optimistic locking)."""

    loaded_at = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, user, client, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        for name in self.MATCH_FIELDS:  # no likely-matches look-up while editing a known person
            for attr in ("hx-get", "hx-trigger", "data-match"):
                self.fields[name].widget.attrs.pop(attr, None)
        self.client = client
        if not self.is_bound:
            self.initial.update(
                {
                    **{name: getattr(client, name) for name in ClientEditForm.editable_fields()},
                    "residence_status": client.residence_status,
                    "residence_municipality": client.residence_municipality,
                    "preferred_language": client.preferred_language_id,
                    "loaded_at": client.updated_at.isoformat(),
                }
            )

    preferred_language = forms.ModelChoiceField(
        label=_("Preferred language"), queryset=Language.objects.active(), required=False, empty_label="—"
    )

    @staticmethod
    def editable_fields() -> tuple[str, ...]:
        return (
            "name",
            "name_kana",
            "name_latin",
            "birth_year",
            "nationality",
            "period_of_stay_expiry",
            "lives_outside_area",
            "residence_note",
            "age_band",
            "gender",
            "client_type",
            "phone",
            "email",
        )

    def clean_loaded_at(self):
        try:
            # parse_datetime raises for a well-formed impossible time ("…T25:61").
            value = parse_datetime(self.cleaned_data["loaded_at"] or "")
        except ValueError:
            value = None
        if value is None:
            raise forms.ValidationError(_("The form is damaged; reload the page."))
        return value

    def changes(self) -> dict:
        data = self.client_data()
        data["preferred_language"] = self.cleaned_data.get("preferred_language")
        result = {}
        for name in (*self.editable_fields(), "preferred_language", "residence_status", "residence_municipality"):
            before = getattr(self.client, name)
            after = data.get(name)
            if (before or None) != (after or None):
                result[name] = after
        return result


class ConsentForm(forms.Form):
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities of the consortium"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisation_kinds = forms.MultipleChoiceField(
        label=_("Kinds of organisation"),
        choices=Organisation.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Outside organisations"),
        queryset=Organisation.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    contact_by_desk = forms.BooleanField(
        label=_("Contact by the desk"),
        required=False,
        help_text=_("The desk may contact the client, e.g. before the period of stay expires."),
    )
    given_on = forms.DateField(label=_("Date of consent"), widget=DateInput(), initial=timezone.localdate)
    explanation_language = forms.ModelChoiceField(
        label=_("Language of the explanation shown"), queryset=Language.objects.active()
    )
    interpretation_mode = forms.ChoiceField(
        label=_("Interpreted by"), choices=InterpretationMode.choices, initial=InterpretationMode.NONE
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        consortium_id = client.registered_desk.municipality.consortium_id
        self.fields["municipalities"].queryset = Municipality.objects.filter(consortium_id=consortium_id).order_by(
            "code"
        )
        if client.preferred_language_id and not self.is_bound:
            self.initial.setdefault("explanation_language", client.preferred_language_id)

    def clean(self):
        data = super().clean()
        if not (
            data.get("municipalities")
            or data.get("organisations")
            or data.get("organisation_kinds")
            or data.get("contact_by_desk")
        ):
            raise forms.ValidationError(_("Choose at least one municipality or organisation that the consent covers."))
        return data


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Date of withdrawal"), widget=DateInput(), initial=timezone.localdate)


SEND_MODE_CHOICES = [
    ("consent", _("With the client's consent")),
    ("anonymous", _("Anonymously (no name, contact or notes)")),
    ("override", _("Override (legal basis recorded)")),
]


class HandOffSendForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=HandOffKind.choices, widget=forms.RadioSelect)
    to_desk = forms.ModelChoiceField(label=_("To desk"), queryset=Desk.objects.none(), required=False, empty_label="—")
    to_organisation = forms.ModelChoiceField(
        label=_("To organisation"), queryset=Organisation.objects.active(), required=False, empty_label="—"
    )
    shares_client = forms.BooleanField(label=_("Client details"), required=False, initial=True)
    shares_notes = forms.BooleanField(label=_("Consultation notes"), required=False)
    shares_sensitive = forms.BooleanField(label=_("Sensitive notes"), required=False)
    message = forms.CharField(
        label=_("Message to the receiver"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the receiver should know; no sensitive details."),
    )
    mode = forms.ChoiceField(label=_("Basis"), choices=SEND_MODE_CHOICES, initial="consent", widget=forms.RadioSelect)
    override_basis = forms.CharField(
        label=_("Legal basis"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only for an override: the law and article that allow providing the data without consent."),
    )

    def __init__(self, *args, case, can_override: bool, can_share_sensitive: bool, **kwargs):
        super().__init__(*args, **kwargs)
        consortium_id = case.handling_desk.municipality.consortium_id
        self.fields["to_desk"].queryset = (
            Desk.objects.filter(municipality__consortium_id=consortium_id, active=True)
            .exclude(pk=case.handling_desk_id)
            .select_related("municipality")
            .order_by("-is_hub", "municipality__code", "code")
        )
        self.fields["to_desk"].label_from_instance = lambda desk: f"{desk.municipality.name} — {desk.name}"
        if not can_override:
            self.fields["mode"].choices = SEND_MODE_CHOICES[:2]
            del self.fields["override_basis"]
        if not can_share_sensitive or not case.sensitive_notes:
            del self.fields["shares_sensitive"]
        if case.client_id is None:
            del self.fields["shares_client"]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == HandOffKind.EXTERNAL and not data.get("to_organisation"):
            self.add_error("to_organisation", _("Choose the organisation."))
        if kind in (HandOffKind.REFERRAL, HandOffKind.TRANSFER) and not data.get("to_desk"):
            self.add_error("to_desk", _("Choose the desk."))
        if kind == HandOffKind.EXTERNAL:
            data["to_desk"] = None
        else:
            data["to_organisation"] = None
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class InboxFilterForm(forms.Form):
    box = forms.ChoiceField(
        label=_("Hand-offs"),
        choices=[("to", _("to us")), ("from", _("from us"))],
        required=False,
        widget=forms.RadioSelect,
    )
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("all")), *HandOffStatus.choices], required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("all")), *HandOffKind.choices], required=False)
    desk = forms.TypedChoiceField(label=_("Desk"), coerce=int, required=False, empty_value=None)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, desks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desk"].choices = [("", _("all my desks")), *((d.pk, d.name) for d in desks)]
        if len(desks) <= 1:
            del self.fields["desk"]
