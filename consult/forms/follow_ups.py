"""Follow-ups on the case page."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from consult.models import (
    FollowUp,
)

from .fields import ColleagueChoiceField
from .widgets import DateInput


class FollowUpForm(forms.Form):
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())
    note = forms.CharField(label=pgettext_lazy("follow-up", "What to do"), max_length=500)

    def __init__(self, data=None, *, colleagues, default_assignee=None, **kwargs):
        initial = {"due_date": timezone.localdate() + timedelta(days=7)}
        if default_assignee is not None and any(u.pk == default_assignee.pk for u in colleagues):
            initial["assignee"] = str(default_assignee.pk)
        super().__init__(data, initial=initial, **kwargs)
        self.fields["assignee"] = ColleagueChoiceField(
            label=_("Assignee"), required=False, colleagues=colleagues, empty_label=_("Myself")
        )

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due


class FollowUpStatusForm(forms.Form):
    status = forms.ChoiceField(choices=FollowUp.Status.choices)
