"""What staff choose before printing a document: the language, and for the
slip and the letter the facts they carry.  Bound to GET (printing changes
nothing); bad input gives form errors, never a 500."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from consult.models import Language, Organisation
from interpreters.models import Booking, BookingStatus

# The standard items of "what to bring", in the order printed (texts bring.*).
BRING_ITEMS = [
    ("residence_card", _("Residence card")),
    ("passport", _("Passport")),
    ("mynumber", _("My Number Card")),
    ("insurance", _("Health insurance certificate or card")),
    ("seal", _("Personal seal (hanko)")),
    ("letters", _("Letters and documents received")),
    ("payslip", _("Payslips")),
    ("this_paper", _("This paper")),
]


class LanguageChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        # PostgreSQL refuses NUL in text: answer with the form error, not a 500.
        if isinstance(value, str) and "\x00" in value:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)

    def label_from_instance(self, obj):
        return f"{obj.autonym} — {obj.name}" if obj.autonym != obj.name else obj.name


class DocumentForm(forms.Form):
    language = LanguageChoiceField(
        label=_("Language of the document"),
        queryset=Language.objects.active(),
        to_field_name="code",
        error_messages={"invalid_choice": _("Choose a language from the list.")},
    )

    def __init__(self, *args, case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)


class SlipForm(DocumentForm):
    booking = forms.ModelChoiceField(
        label=_("Interpreter booking"),
        queryset=Booking.objects.none(),
        required=False,
        empty_label=_("(no interpreter)"),
        help_text=_("Date, time and place are taken from the booking when left empty."),
    )
    day = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.TimeField(label=_("Time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=200,
        help_text=_("Left empty: the handling desk and its address."),
    )
    bring = forms.MultipleChoiceField(
        label=_("What to bring"), choices=BRING_ITEMS, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["booking"].queryset = (
            Booking.objects.filter(case=case)
            .exclude(status__in=[BookingStatus.CANCELLED, BookingStatus.NO_SHOW])
            .select_related("language", "interpreter")
            .order_by("-starts_at")
        )
        self.fields["booking"].label_from_instance = lambda b: (
            f"{b.starts_at:%Y-%m-%d %H:%M} {b.language.name} {b.get_modality_display()} ({b.get_status_display()})"
        )

    def clean(self):
        data = super().clean()
        booking = data.get("booking")
        missing = not data.get("day") or not data.get("at")
        if booking is None and missing and "day" not in self.errors and "at" not in self.errors:
            raise forms.ValidationError(_("Enter the date and time, or choose an interpreter booking."))
        return data


class ReferralForm(DocumentForm):
    organisation = forms.ModelChoiceField(
        label=_("Referred to"),
        queryset=Organisation.objects.active().order_by("kind", "code"),
        error_messages={"invalid_choice": _("Choose an organisation from the list.")},
    )
    bring = forms.MultipleChoiceField(
        label=_("What to bring"), choices=BRING_ITEMS, required=False, widget=forms.CheckboxSelectMultiple
    )


class ConsentForm(DocumentForm):
    pass


FORMS = {"slip": SlipForm, "referral": ReferralForm, "consent": ConsentForm}
