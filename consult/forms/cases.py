"""Forms of the case list and the case page.

Choices are built once per form, one query per kind (desks, colleagues,
languages, topics, municipalities), so validating or rendering a filter costs
no query per value and the list's query count does not depend on its input."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from consult.access import case_access
from consult.models import (
    CaseOutcome,
    CaseStatus,
)
from consult.reference_cache import KeptChoices, assignable_people, kept_choices, reference_rows
from consult.selectors.cases import (
    DEFAULT_PER_PAGE,
    DEFAULT_SORT,
    PER_PAGE_CHOICES,
    STATUS_ACTIVE,
    CaseFilters,
)
from municipalities.visibility import visible_desk_ids

from .fields import NOTE_MAX_LENGTH, ColleagueChoiceField, language_label
from .widgets import DateInput, QuickSelect, QuickTextInput

ASSIGNEE_ME = "me"
ASSIGNEE_NONE = "none"
RESIDENCE_OUTSIDE = "outside"


def _user_label(user) -> str:
    return str(user)


class CaseListFilterForm(forms.Form):
    """The case list's GET form.  Every field is optional; a value that
    does not validate is reported next to its field and left out of the
    query (the other filters still apply)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("A client's name in any script or order (e.g. 田中, Nguyen Van A), or a reference number."),
        widget=QuickTextInput,
    )
    status = forms.ChoiceField(label=_("Status"), required=False, widget=QuickSelect)
    desk = forms.TypedChoiceField(
        label=_("Handling desk"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False, widget=QuickSelect)
    language = forms.TypedChoiceField(
        label=_("Language used"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )
    topic = forms.TypedChoiceField(
        label=_("Topic"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("A main topic includes its sub-topics."),
        widget=QuickSelect,
    )
    opened_from = forms.DateField(label=_("Opened from"), required=False, widget=DateInput())
    opened_to = forms.DateField(label=_("Opened until"), required=False, widget=DateInput())
    residence = forms.ChoiceField(label=_("Municipality of residence"), required=False, widget=QuickSelect)
    overdue = forms.BooleanField(label=_("Only cases with overdue follow-ups"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        widget=QuickSelect,
        choices=[
            ("activity", _("Latest activity first")),
            ("opened", _("Opened, newest first")),
            ("opened_asc", _("Opened, oldest first")),
            ("reference", _("Reference number")),
        ],
    )
    per_page = forms.TypedChoiceField(
        label=_("Rows per page"),
        required=False,
        widget=QuickSelect,
        coerce=int,
        empty_value=DEFAULT_PER_PAGE,
        choices=[(str(n), str(n)) for n in PER_PAGE_CHOICES],
    )

    def __init__(self, data=None, *, user, **kwargs):
        if data is not None:
            # An absent sort or page size shows (and means) the default.
            data = data.copy()
            if not data.get("sort"):
                data["sort"] = DEFAULT_SORT
            if not data.get("per_page"):
                data["per_page"] = str(DEFAULT_PER_PAGE)
        kwargs.setdefault("initial", {"sort": DEFAULT_SORT, "per_page": str(DEFAULT_PER_PAGE)})
        super().__init__(data, **kwargs)
        self.user = user
        desk_ids = frozenset(visible_desk_ids(user))
        self.desks = [d for d in reference_rows("desks") if d.pk in desk_ids]
        # The options are the same for everyone with the same visible desks
        # and language: built once per process and minute from the
        # reference cache, and dropped with it (consult/reference_cache.py).
        options = kept_choices(
            ("case-list-filter", get_language(), desk_ids),
            lambda: {name: KeptChoices(choices) for name, choices in self._options(desk_ids).items()},
        )
        for name, choices in options.items():
            self.fields[name].choices = choices

    def _options(self, desk_ids: frozenset[int]) -> dict[str, list]:
        any_status = [("", _("Any status")), (STATUS_ACTIVE, _("Not closed"))]
        people = assignable_people(desk_ids)
        consortium_ids = {d.municipality.consortium_id for d in self.desks}
        municipalities = sorted(
            (m for m in reference_rows("municipalities") if m.consortium_id in consortium_ids), key=lambda m: m.code
        )
        return {
            "status": [*any_status, *CaseStatus.choices],
            "desk": [("", _("All desks I can see"))] + [(str(d.pk), d.name) for d in self.desks],
            "assignee": [
                ("", _("Anyone")),
                (ASSIGNEE_ME, _("Me")),
                (ASSIGNEE_NONE, _("Nobody (unassigned)")),
            ]
            + [(str(u.pk), _user_label(u)) for u in people],
            "language": [("", _("Any language"))]
            + [(str(lang.pk), language_label(lang)) for lang in reference_rows("languages")],
            "topic": [("", _("Any topic")), *self._topic_choices()],
            "residence": [("", _("Any")), (RESIDENCE_OUTSIDE, _("Outside the area"))]
            + [(str(m.pk), m.name) for m in municipalities],
        }

    @staticmethod
    def _topic_choices():
        rows = reference_rows("topics")
        children: dict[int, list] = {}
        for topic in rows:
            if topic.parent_id:
                children.setdefault(topic.parent_id, []).append(topic)
        choices = []
        for topic in rows:
            if topic.parent_id is None:
                group = [(str(topic.pk), _("%(topic)s (all)") % {"topic": topic.name})]
                group += [(str(child.pk), child.name) for child in children.get(topic.pk, [])]
                choices.append((topic.name, group))
        return choices

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("opened_from"), cleaned.get("opened_to")
        if start and end and start > end:
            self.add_error("opened_to", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> CaseFilters:
        """The valid part of the input as CaseFilters (call after is_valid())."""
        data = getattr(self, "cleaned_data", {})
        assignee = data.get("assignee") or None
        if assignee not in (None, ASSIGNEE_ME, ASSIGNEE_NONE):
            assignee = int(assignee)
        residence = data.get("residence") or None
        if residence not in (None, RESIDENCE_OUTSIDE):
            residence = int(residence)
        return CaseFilters(
            q=data.get("q") or "",
            status=data.get("status") or "",
            desk_id=data.get("desk"),
            assignee=assignee,
            language_id=data.get("language"),
            topic_id=data.get("topic"),
            opened_from=data.get("opened_from"),
            opened_to=data.get("opened_to"),
            residence=residence,
            overdue=bool(data.get("overdue")),
            sort=data.get("sort") or DEFAULT_SORT,
        )

    def page_size(self) -> int:
        return getattr(self, "cleaned_data", {}).get("per_page") or DEFAULT_PER_PAGE

    def panel_at_defaults(self) -> bool:
        """Every field of the filter panel (all but the search box) at its
        default: the panel's HTML is then the same for everyone with the
        same visible desks and language (the view keeps it per process)."""
        if not self.is_bound:
            return True
        if self.errors:
            return False
        data = self.cleaned_data
        return all(data.get(name) == value for name, value in self.panel_defaults().items())

    @staticmethod
    def panel_defaults() -> dict:
        return {
            "status": "",
            "desk": None,
            "assignee": "",
            "language": None,
            "topic": None,
            "opened_from": None,
            "opened_to": None,
            "residence": "",
            "overdue": False,
            "sort": DEFAULT_SORT,
            "per_page": DEFAULT_PER_PAGE,
        }

    def is_filtered(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in self.fields if name not in ("sort", "per_page"))


class CaseEditForm(forms.Form):
    """Title, status, outcome, assignee and — for holders of
    VIEW_SENSITIVE_NOTES only — the sensitive notes.  Without that
    capability the field is not part of the form at all, so a posted value
    is ignored, not saved."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(label=_("Subject"), max_length=200, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=CaseStatus.choices)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", "—"), *CaseOutcome.choices],
        help_text=_("Required when the case is closed."),
    )
    sensitive_notes = forms.CharField(
        label=_("Sensitive notes"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "要配慮個人情報: health, DV, crime victim, disability. Visible only to staff with this permission."
        ),
    )

    def __init__(self, data=None, *, case, user, colleagues, **kwargs):
        initial = {
            "version": case.version,
            "title": case.title,
            "status": case.status,
            "outcome": case.outcome,
            "assignee": str(case.assignee_id) if case.assignee_id else "",
            "sensitive_notes": case.sensitive_notes,
        }
        super().__init__(data, initial=initial, **kwargs)
        self.case = case
        colleagues = list(colleagues)
        if case.assignee_id and all(u.pk != case.assignee_id for u in colleagues):
            # The current assignee no longer sees the case (moved desk, left):
            # keep them selectable so that saving a title does not unassign.
            colleagues.append(case.assignee)
        access = case_access(user, case)
        self.can_assign = access.can_assign
        if not self.can_assign:
            # Without ASSIGN_WORK a person can take a case on, not hand it
            # to somebody else or unassign a colleague.
            colleagues = [u for u in colleagues if u.pk in (user.pk, case.assignee_id)]
        self.fields["assignee"] = ColleagueChoiceField(
            label=_("Assignee"),
            required=not self.can_assign and case.assignee_id is not None,
            colleagues=colleagues,
            help_text=None if self.can_assign else _("You can take this case on yourself; coordinators assign others."),
        )
        # Keep the field order readable: assignee after outcome.
        self.order_fields(["version", "title", "status", "outcome", "assignee", "sensitive_notes"])
        self.can_see_sensitive = access.can_see_sensitive_notes
        if not self.can_see_sensitive:
            del self.fields["sensitive_notes"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == CaseStatus.CLOSED and not cleaned.get("outcome"):
            self.add_error("outcome", _("A closed case needs an outcome."))
        return cleaned

    def changes(self) -> dict:
        """Only what differs from the case as loaded: a field nobody touched
        is not written (and not listed in the audit trail)."""
        current = {
            "title": self.case.title,
            "status": self.case.status,
            "outcome": self.case.outcome,
            "assignee": self.case.assignee_id,
            "sensitive_notes": self.case.sensitive_notes,
        }
        changes = {}
        for name in ("title", "status", "outcome", "assignee", "sensitive_notes"):
            if name not in self.fields:
                continue
            value = self.cleaned_data.get(name)
            compare = value.pk if name == "assignee" and value is not None else value
            if compare != current[name] and not (compare in (None, "") and current[name] in (None, "")):
                changes[name] = value
        return changes


class CaseCloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CaseOutcome.choices, widget=forms.RadioSelect)


class CaseReopenForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class EarlierCaseForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference number of the related case"),
        max_length=40,
        help_text=_("e.g. KRS-2025-00042"),
    )
