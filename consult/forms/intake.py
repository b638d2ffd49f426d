"""The intake form (相談受付); the client part is consult/forms/clients.py."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django import forms
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from consult.models import (
    Action,
    CaseOutcome,
    Channel,
    InterpretationMode,
)
from consult.reference_cache import reference_rows, rendered_fragment
from consult.selectors.follow_ups import follow_up_proposals
from municipalities.models import Desk
from municipalities.roles import Capability
from municipalities.visibility import user_can, user_memberships, visible_desk_ids

from .fields import (
    NOTE_MAX_LENGTH,
    DeskChoiceField,
    ReferenceChoiceField,
    TopicsField,
    language_label,
    language_search_text,
    topic_tree,
)
from .renderers import mark_chosen
from .widgets import DateInput, DateTimeLocalInput


def _now_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


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
        label=_("Interpretation mode"),
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
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )
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
        error_messages={"required": _("Choose the outcome: resolved, referred or continuing.")},
    )
    sensitive_notes = forms.CharField(
        label=_("Sensitive notes"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
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
        # The same desks as the queryset (which still validates a POST), from
        # the rows kept per process: no query per page (issue 13).
        self.fields["desk"].choices = [
            (desk.pk, self.fields["desk"].label_from_instance(desk))
            for desk in sorted(
                (d for d in reference_rows("desks") if d.pk in desk_ids and d.active),
                key=lambda d: (not d.is_hub, d.code),
            )
        ]
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

    def topic_list_html(self) -> str:
        """The topic checkboxes (templates/consult/partials/intake_topic_tree.html),
        rendered once per language and kept; the chosen ones ticked here."""
        html = rendered_fragment(
            ("intake-topics", get_language()),
            lambda: render_to_string("consult/partials/intake_topic_tree.html", {"topic_tree": topic_tree()}),
        )
        return mark_chosen(
            html.removesuffix("\n"),
            tag_start='<input type="checkbox" name="topics" value="',
            values=self.selected_topic_ids(),
            word="checked",
        )

    def follow_up_proposals(self) -> dict[str, dict]:
        """Per topic id, the follow-up its template proposes: the intake
        screen pre-fills the follow-up fields when such a topic is chosen."""
        if "follow_up_due" not in self.fields:
            return {}
        desk = self.case.handling_desk if self.case is not None else self.usual_desk
        return follow_up_proposals(desk=desk)

    def selected_topic_ids(self) -> set[str]:
        if self.is_bound:
            return {str(v) for v in self.data.getlist(self.add_prefix("topics"))}
        return {str(getattr(v, "pk", v)) for v in self.initial.get("topics", [])}

    def language_options_html(self) -> str:
        """The language select's options (templates/consult/partials/
        intake_language_options.html), kept per language; the chosen one selected here."""
        html = rendered_fragment(
            ("intake-languages", get_language()),
            lambda: render_to_string(
                "consult/partials/intake_language_options.html",
                {
                    "language_options": [
                        (str(lang.pk), language_label(lang), language_search_text(lang))
                        for lang in reference_rows("languages")
                    ]
                },
            ),
        )
        selected = str(self["language"].value() or "")
        return mark_chosen(
            html.removesuffix("\n"), tag_start='<option value="', values=[selected] if selected else [], word="selected"
        )

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
