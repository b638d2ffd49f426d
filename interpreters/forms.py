from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consult.models import Language

from .models import (
    AvailabilityException,
    BookingStatus,
    Interpreter,
    InterpreterLanguage,
    Level,
    Modality,
    WeeklySlot,
)


def _aware(day, at) -> datetime:
    return datetime.combine(day, at, tzinfo=timezone.get_current_timezone())


class InterpreterForm(forms.ModelForm):
    modalities = forms.MultipleChoiceField(
        label=_("modalities"), choices=Modality.choices, widget=forms.CheckboxSelectMultiple
    )

    def clean_email_language(self):
        return self.cleaned_data.get("email_language") or Interpreter._meta.get_field("email_language").default

    class Meta:
        model = Interpreter
        fields = [
            "kind",
            "name",
            "name_latin",
            "modalities",
            "home_desk",
            "rate_per_minute",
            "business_days_only",
            "contract_from",
            "contract_to",
            "phone",
            "email",
            "email_language",
            "notes",
            "active",
        ]
        widgets = {
            "contract_from": forms.DateInput(attrs={"type": "date"}),
            "contract_to": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, desks=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only matters with an e-mail address; left out, it stays Japanese.
        self.fields["email_language"].required = False
        if desks is not None:
            self.fields["home_desk"].queryset = desks
        if self.instance.pk:
            # A person's bookings are protected by the no-double-booking
            # constraint and a service's are not: the kind stays what it was.
            self.fields["kind"].disabled = True

    def clean(self):
        data = super().clean()
        start, end = data.get("contract_from"), data.get("contract_to")
        if start and end and end < start:
            self.add_error("contract_to", _("The contract cannot end before it starts."))
        return data


LanguageFormSet = inlineformset_factory(
    Interpreter, InterpreterLanguage, fields=["language", "level"], extra=2, can_delete=True
)
SlotFormSet = inlineformset_factory(
    Interpreter,
    WeeklySlot,
    fields=["weekday", "starts", "ends"],
    extra=2,
    can_delete=True,
    widgets={"starts": forms.TimeInput(attrs={"type": "time"}), "ends": forms.TimeInput(attrs={"type": "time"})},
)


class PeriodMixin:
    """A date and two times (Asia/Tokyo), combined into starts_at/ends_at."""

    def clean_period(self, data):
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            if end <= start:
                self.add_error("end_time", _("The end must be after the start."))
            else:
                data["starts_at"], data["ends_at"] = _aware(day, start), _aware(day, end)
        return data


class AbsenceForm(PeriodMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=AvailabilityException.Kind.choices)
    day = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    until_day = forms.DateField(
        label=_("until (date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for one day."),
    )
    start_time = forms.TimeField(
        label=_("from"), initial="08:30", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("until"), initial="17:15", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        day, until = data.get("day"), data.get("until_day") or data.get("day")
        start, end = data.get("start_time"), data.get("end_time")
        if day and until and start and end:
            data["starts_at"], data["ends_at"] = _aware(day, start), _aware(until, end)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", _("The end must be after the start."))
        return data


class BookingForm(PeriodMixin, forms.Form):
    language = forms.ModelChoiceField(label=_("language"), queryset=Language.objects.active())
    modality = forms.ChoiceField(label=_("modality"), choices=Modality.choices)
    min_level = forms.TypedChoiceField(
        label=_("level needed"), choices=Level.choices, coerce=int, initial=Level.CONSULTATION
    )
    day = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("from"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label=_("until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place = forms.CharField(
        label=_("place"), max_length=200, required=False, help_text=_("For an on-site job: where to go.")
    )
    notes = forms.CharField(label=_("notes"), max_length=500, required=False)

    def __init__(self, *args, starts_at: datetime | None = None, minutes: int = 60, **kwargs):
        super().__init__(*args, **kwargs)
        if starts_at is not None and not self.is_bound:
            local = timezone.localtime(starts_at)
            self.initial.setdefault("day", local.date())
            self.initial.setdefault("start_time", local.time().replace(second=0, microsecond=0))
            self.initial.setdefault(
                "end_time", (local + timedelta(minutes=minutes)).time().replace(second=0, microsecond=0)
            )

    def clean(self):
        return self.clean_period(super().clean())


class ConfirmForm(forms.Form):
    interpreter = forms.ModelChoiceField(label=_("interpreter"), queryset=Interpreter.objects.none())

    def __init__(self, *args, interpreters=None, **kwargs):
        super().__init__(*args, **kwargs)
        if interpreters is not None:
            self.fields["interpreter"].queryset = interpreters


class CompleteForm(forms.Form):
    actual_minutes = forms.IntegerField(label=_("minutes interpreted"), min_value=1, max_value=1440)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300)


class ExclusionForm(forms.Form):
    interpreter = forms.ModelChoiceField(label=_("interpreter"), queryset=Interpreter.objects.none(), empty_label="—")
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, interpreters=None, **kwargs):
        super().__init__(*args, **kwargs)
        if interpreters is not None:
            self.fields["interpreter"].queryset = interpreters


class BookingFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", _("open (requested or confirmed)")), *BookingStatus.choices]
    )
