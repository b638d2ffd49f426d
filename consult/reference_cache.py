"""Reference data kept per process for the intake screen (languages, topics,
residence statuses, municipalities) and the type-to-filter text of their labels."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from django.utils.choices import BaseChoiceIterator, normalize_choices

from consult import names
from consult.models import Language, ResidenceStatus, Topic
from core.kept import KeptInProcess
from municipalities.models import Desk, Membership, Municipality
from municipalities.visibility import memberships_seeing_desks

# --- reference data for the intake screen ---------------------------------
# Languages, topics, residence statuses and municipalities change a few times
# a year (admin, load_reference) but every intake GET renders all of them and
# every POST validates against them.  They are kept per process for a minute
# (and dropped at once when a row is saved or deleted in this process), so an
# intake POST spends its query budget on the consultation, not on lookups.
REFERENCE_TTL_SECONDS = 60.0
_reference_cache = KeptInProcess(REFERENCE_TTL_SECONDS)


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
    if kind == "desks":
        # The case list's desk filter (issue 13): every desk, filtered by the
        # user's visible desk ids in Python.
        return tuple(Desk.objects.select_related("municipality").order_by("municipality__code", "code"))
    raise KeyError(kind)


def reference_rows(kind: str) -> tuple:
    return _reference_cache.get(kind, lambda: _load_reference(kind))


def reference_by_pk(kind: str) -> dict:
    """The same rows by primary key, loaded and kept like them (at most a
    minute old).  Read-only: a caller that needs more rows keeps its own dict."""
    return _reference_cache.get((kind, "by_pk"), lambda: {row.pk: row for row in _load_reference(kind)})


def clear_reference_cache(**kwargs) -> None:
    _reference_cache.clear()
    _people_cache.clear()
    _panel_cache.clear()
    _fragment_cache.clear()
    _panel_field_cache.clear()
    _choices_cache.clear()
    label_search_text.cache_clear()


# --- colleagues offered by the case list's assignee filter ---------------------
# One query per scope (the set of visible desks) and minute, not per list
# view (issue 13).  A new colleague shows in the filter of other processes
# within REFERENCE_TTL_SECONDS; in this process at once (signals below).
_people_cache = KeptInProcess(REFERENCE_TTL_SECONDS)


def desk_colleagues(desk_id: int) -> tuple:
    """People who can see (and so be assigned) cases handled at `desk_id`
    (the case page's follow-up form; a POST validates against a fresh list)."""
    key = frozenset({-desk_id})  # its own keys in the same cache
    return _people_cache.get(key, lambda: _people_seeing([desk_id]))


def assignable_people(desk_ids: frozenset[int]) -> tuple:
    """People who can see at least one of `desk_ids` (the assignee filter)."""
    return _people_cache.get(desk_ids, lambda: _people_seeing(desk_ids))


def _people_seeing(desk_ids) -> tuple:
    user_ids = memberships_seeing_desks(desk_ids).values("user_id")
    return tuple(get_user_model().objects.filter(pk__in=user_ids).order_by("display_name", "username"))


# --- the case list's filter panel, rendered ----------------------------------
# At its defaults the panel (a dozen fields, a few hundred options) renders
# the same HTML for everyone with the same visible desks and language; it was
# the largest part of the list's template time (issue 13).  Kept per process
# like the rows it is made of, and dropped with them.
PANEL_CACHE_MAX = 512
_panel_cache = KeptInProcess(REFERENCE_TTL_SECONDS, max_entries=PANEL_CACHE_MAX)


def rendered_filter_panel(key: tuple, render: Callable[[], str]) -> str:
    return _panel_cache.get(key, render)


# --- the intake screen's long lists, rendered --------------------------------
# The topic checkboxes, the language, nationality and residence status
# options: the same HTML for everyone with the same language (issue 13).
# Kept without any choice marked; the view marks what is selected
# (consult/forms/renderers.py, mark_chosen).  Dropped with the rows.
_fragment_cache = KeptInProcess(REFERENCE_TTL_SECONDS, max_entries=PANEL_CACHE_MAX)


def rendered_fragment(key: tuple, render: Callable[[], str]) -> str:
    return _fragment_cache.get(key, render)


# One field of that panel (its label, control, help and no error), rendered,
# per scope, language and the value it shows (issue 13): a filtered list
# renders the panel from these instead of a dozen fields and a few hundred
# options.  The value is part of the key, so a kept field shows exactly the
# selection it was rendered with; a field with an error is never kept.
_panel_field_cache = KeptInProcess(REFERENCE_TTL_SECONDS, max_entries=PANEL_CACHE_MAX)


def rendered_filter_field(key: tuple, render: Callable[[], str]) -> str:
    return _panel_field_cache.get(key, render)


# The choices of a form's fields built from these rows (the case list's
# filter form: a few hundred options per scope and language, issue 13).
_choices_cache = KeptInProcess(REFERENCE_TTL_SECONDS, max_entries=PANEL_CACHE_MAX)


def kept_choices(key: tuple, build: Callable[[], Any]) -> Any:
    return _choices_cache.get(key, build)


class KeptChoices(BaseChoiceIterator):
    """A field's choices normalised once, for choices kept across requests.

    Assigning a list to `field.choices` normalises every option again on
    each request (a few hundred for the case list's filter form, ~0.4 ms);
    Django takes a choice iterator as it is."""

    def __init__(self, choices) -> None:
        self._normalised = list(normalize_choices(choices))

    def __iter__(self):
        return iter(self._normalised)

    def __len__(self) -> int:
        return len(self._normalised)


def connect_signals() -> None:
    """Drop the cache when a reference row is saved or deleted in this
    process (called from ConsultConfig.ready())."""
    for model in (Language, Topic, ResidenceStatus, Municipality, Desk, Membership, get_user_model()):
        post_save.connect(clear_reference_cache, sender=model, dispatch_uid=f"intake-reference-{model.__name__}")
        post_delete.connect(clear_reference_cache, sender=model, dispatch_uid=f"intake-reference-del-{model.__name__}")


@lru_cache(maxsize=512)
def label_search_text(*labels: str) -> str:
    """What a type-to-filter box matches: every label normalised, plus the
    kana reading and romaji of Japanese labels (在留 ← ざいりゅう, zairyu),
    joined by "|" so that static/js/intake.js can tell a prefix match."""
    return names.VARIANT_SEPARATOR.join(names.name_variants(*[label for label in labels if label]))
