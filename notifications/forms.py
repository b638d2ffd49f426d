from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Channel, State
from .registry import kinds


class PreferencesForm(forms.Form):
    """One choice per registered kind.  A kind left out of the POST keeps
    its current choice (the page always sends them all)."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds.all():
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=Channel.choices,
                required=False,
                initial=current.get(kind.key, kind.default_channel),
                widget=forms.RadioSelect,
            )


class OperatorFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("All")), *State.choices])
