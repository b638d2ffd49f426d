"""Which words a document shows, in which language (issue 14, decision 0020).

A document is printed for one client language L:

* ``ja``: Japanese only (one column);
* ``ja-x-easy``: Japanese | やさしい日本語 with furigana;
* L with a *reviewed* translation of every text the document uses:
  Japanese | L, the L column in L's script direction;
* otherwise (a text untranslated, or translated but not reviewed):
  Japanese | やさしい日本語 + English, and the document says why at the top.

One query loads every text of the document with its L and English rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .furigana import furigana
from .models import DocumentKind, DocumentText

JAPANESE, EASY = "ja", "ja-x-easy"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Variant:
    """One language shown in the client column."""

    name: str  # "easy", "client" or "en"
    code: str  # the language whose texts and date formats it uses
    lang: str  # the HTML lang attribute
    direction: str = "ltr"


@dataclass
class Part:
    lang: str
    direction: str
    variant: str
    html: SafeString


@dataclass
class Pair:
    ja: SafeString
    client: list[Part] = field(default_factory=list)


def _fill(text: str, params: dict, variant: str, *, html: bool) -> str:
    """Placeholders {name} filled from params[name] (a str, or a dict per
    variant); an unknown placeholder stays as typed (an administrator's typo
    must not break a print)."""

    def value(match):
        name = match.group(1)
        if name not in params:
            return match.group(0)
        found = params[name]
        found = found.get(variant, found.get("ja", "")) if isinstance(found, dict) else found
        return escape(found) if html else str(found)

    return _PLACEHOLDER.sub(value, text)


class DocumentTexts:
    def __init__(self, *, kind: str, language):
        """language: a consult.Language (code, autonym, name_ja, name_en, direction)."""
        self.kind = kind
        self.language = language
        self._texts = {text.key: text for text in _load(kind, language.code)}
        self.fallback_reason = self._fallback_reason()
        self.variants = self._variants()

    # --- which columns ------------------------------------------------------------
    def _used_keys(self) -> list[str]:
        return [key for key in self._texts if not key.startswith("notice.")]

    def _fallback_reason(self) -> str | None:
        code = self.language.code
        if code in (JAPANESE, EASY):
            return None
        rows = [self._texts[key].by_language.get(code) for key in self._used_keys()]
        if any(row is None for row in rows):
            return "missing"
        if not all(row.reviewed for row in rows):
            return "unreviewed"
        return None

    def _variants(self) -> list[Variant]:
        code = self.language.code
        if code == JAPANESE:
            return []
        if code == EASY:
            return [Variant("easy", EASY, "ja")]
        if self.fallback_reason is None:
            return [Variant("client", code, code, self.language.direction)]
        return [Variant("easy", EASY, "ja"), Variant("en", "en", "en")]

    @property
    def is_fallback(self) -> bool:
        return self.fallback_reason is not None

    @property
    def single_column(self) -> bool:
        return not self.variants

    @property
    def direction(self) -> str:
        return self.variants[0].direction if len(self.variants) == 1 else "ltr"

    # --- words --------------------------------------------------------------------------
    def _raw(self, key: str, variant: Variant | None) -> str:
        text = self._texts.get(key)
        if text is None:
            return key
        if variant is None:
            return text.japanese
        if variant.name == "easy":
            return text.easy_japanese
        row = text.by_language.get(variant.code)
        return row.translation if row is not None else text.japanese

    def pair(self, key: str, **params) -> Pair:
        ja = mark_safe(_fill(escape(self._raw(key, None)), params, "ja", html=False))  # noqa: S308 - escaped
        parts = []
        for variant in self.variants:
            raw = self._raw(key, variant)
            if variant.name == "easy":
                html = furigana(_fill(raw, params, "easy", html=False))
            else:
                html = mark_safe(_fill(escape(raw), params, variant.name, html=False))  # noqa: S308 - escaped
            parts.append(Part(variant.lang, variant.direction, variant.name, html))
        return Pair(ja=ja, client=parts)

    def value(self, make) -> Pair:
        """A value computed per language: make(code) → text (a date, hours)."""
        parts = [
            Part(v.lang, v.direction, v.name, escape(make(v.code if v.name != "easy" else JAPANESE)))
            for v in self.variants
        ]
        return Pair(ja=escape(make(JAPANESE)), client=parts)

    def same(self, text: str) -> Pair:
        """A value written once for every reader (a name, an address)."""
        return Pair(ja=escape(text), client=[Part("ja", "ltr", "same", escape(text))] if self.variants else [])

    def notice(self) -> Pair | None:
        if not self.is_fallback:
            return None
        language = {"ja": self.language.name_ja, "easy": self.language.name_ja, "en": self.language.name_en}
        return self.pair(f"notice.{self.fallback_reason}", language=language)


def _load(kind: str, code: str) -> list[DocumentText]:
    from django.db.models import Prefetch

    from .models import DocumentTranslation

    texts = list(
        DocumentText.objects.filter(document__in=[kind, DocumentKind.COMMON]).prefetch_related(
            Prefetch(
                "translations",
                queryset=DocumentTranslation.objects.filter(language_code__in=sorted({code, "en"})),
                to_attr="loaded_translations",
            )
        )
    )
    for text in texts:
        text.by_language = {row.language_code: row for row in text.loaded_translations}
    return texts
