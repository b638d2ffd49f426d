"""The dashboard's filters (the grant report takes the fiscal year only)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from consult.models import Channel, InterpretationMode, Language
from core.fiscal import fiscal_year
from municipalities.models import Municipality
from municipalities.visibility import user_can

from .counting import Filters, fiscal_year_label
from .exporters import EXPORTERS
from .models import ExportFormat


def fiscal_year_choices() -> list[tuple[int, str]]:
    current = fiscal_year()
    return [(y, fiscal_year_label(y)) for y in range(current, current - 6, -1)]


class StatisticsFilterForm(forms.Form):
    fy = forms.TypedChoiceField(label=_("fiscal year"), coerce=int, required=False)
    municipality = forms.ModelChoiceField(
        label=_("municipality"), queryset=Municipality.objects.none(), required=False, empty_label=_("all")
    )
    language = forms.ModelChoiceField(
        label=_("language used"), queryset=Language.objects.order_by("sort_order"), required=False, empty_label=_("all")
    )
    channel = forms.ChoiceField(label=_("channel"), required=False)
    interpretation_mode = forms.ChoiceField(label=_("interpretation mode"), required=False)

    def __init__(self, *args, municipality_ids: frozenset[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fy"].choices = fiscal_year_choices()
        self.fields["municipality"].queryset = Municipality.objects.filter(pk__in=municipality_ids).order_by("code")
        all_ = [("", _("all"))]
        self.fields["channel"].choices = all_ + list(Channel.choices)
        self.fields["interpretation_mode"].choices = all_ + list(InterpretationMode.choices)

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        municipality = data.get("municipality")
        language = data.get("language")
        return Filters(
            fiscal_year=data.get("fy") or fiscal_year(),
            municipality_ids=frozenset({municipality.pk}) if municipality else frozenset(),
            language_id=language.pk if language else None,
            channel=data.get("channel") or "",
            interpretation_mode=data.get("interpretation_mode") or "",
        )


class ExportStartForm(forms.Form):
    """Which export, which format, with personal data or not.  The exporter's
    own filters arrive as f_<name> fields (e.g. the case list's query string)."""

    exporter = forms.ChoiceField(label=_("export"))
    format = forms.ChoiceField(label=_("format"), choices=ExportFormat.choices, initial=ExportFormat.CSV)
    personal = forms.BooleanField(label=_("with personal data (name and contact)"), required=False)

    def __init__(self, *args, user, may_personal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the exporters this person may run; `export_start` and the
        # worker check the exporter's capability again when it runs.
        self.fields["exporter"].choices = [
            (e.identifier, e.label) for e in EXPORTERS.values() if user_can(user, e.required_capability)
        ]
        if not may_personal:
            del self.fields["personal"]

    def clean(self):
        data = super().clean()
        data.setdefault("personal", False)
        return data
