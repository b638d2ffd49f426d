"""Form fields and choice helpers shared by the consult forms."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django import forms
from django.utils.translation import gettext_lazy as _

from consult.models import (
    Language,
    Topic,
)
from consult.reference_cache import label_search_text, reference_rows

# The longest free text a form accepts (notes, sensitive notes): about ten
# pages.  Longer input gets a form error that keeps what was typed; the
# request size limit (DATA_UPLOAD_MAX_MEMORY_SIZE) sits well above it, so
# its bare 400 is never what a person at the counter sees.
NOTE_MAX_LENGTH = 20_000


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
    return label_search_text(
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
        search = label_search_text(topic.name, getattr(topic, "name_ja", ""), getattr(topic, "name_en", ""), topic.code)
        return TopicNode(topic, search, [node(child, topic) for child in by_parent.get(topic.pk, [])])

    return [node(topic) for topic in by_parent.get(None, [])]


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


class ColleagueChoiceField(forms.TypedChoiceField):
    """A colleague who can see the case (loaded once by the view)."""

    def __init__(self, *, colleagues, empty_label=None, **kwargs):
        self.colleagues = {u.pk: u for u in colleagues}
        super().__init__(
            coerce=self._to_user,
            empty_value=None,
            choices=[("", empty_label or _("Nobody"))] + [(str(u.pk), str(u)) for u in colleagues],
            **kwargs,
        )

    def _to_user(self, value):
        return self.colleagues[int(value)]


@cache
def _country_search(language: str) -> dict[str, str]:
    from consult.countries import country_choices, country_name

    return {
        code: label_search_text(name, country_name(code, "ja"), country_name(code, "en"), code)
        for code, name in country_choices(language)
    }


def country_search_texts() -> dict[str, str]:
    """alpha-2 → what the nationality filter matches (ja, kana, en, code)."""
    from django.utils.translation import get_language

    return _country_search((get_language() or "ja").split("-")[0])


def residence_status_search_texts() -> dict[str, str]:
    """pk → what the residence status filter matches: とくていぎのう, tokutei, specified skilled."""
    return {
        str(row.pk): label_search_text(
            row.name, getattr(row, "name_ja", ""), getattr(row, "name_en", ""), row.code.replace("_", " ")
        )
        for row in reference_rows("residence_statuses")
    }
