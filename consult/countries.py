"""ISO 3166-1 countries for the nationality field (DESIGN §3), named in the
active interface language.

The names come from pycountry (ISO 3166-1 and its Debian iso-codes
translations), so nobody keeps a country list by hand.  The nationalities a
desk in Japan meets most often come first; the rest follow in the order a
reader of that language expects — 50音順 by reading in Japanese (中国 sorts
as ちゅうごく), alphabetical in English.  Built once per language and cached.
"""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django.utils.translation import get_language

from consult import names

# The nationalities most often seen at consultation desks in Japan
# (ISA statistics on foreign residents), in that order.
COMMON = ("VN", "CN", "PH", "BR", "NP", "ID", "KR", "MM", "LK", "TH", "US", "IN", "PE")

# 無国籍 (stateless) is a nationality choice of its own (DESIGN §3).  "XX" is
# in ISO 3166-1's user-assigned range, so it can never clash with a country.
STATELESS = "XX"

# Names the iso-codes catalogue words differently from Japanese official usage
# (在留カードの国籍・地域欄).
_JA_OVERRIDES = {"TW": "台湾", "TZ": "タンザニア"}


@lru_cache(maxsize=4)
def _catalogue(language: str):
    if language == "en":
        return None
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return None


def _base_language(language: str | None) -> str:
    return (language or "ja").split("-")[0].lower()


def _english_name(country) -> str:
    # common_name where ISO's name is a formal one: "Korea, Republic of" → "South Korea".
    return getattr(country, "common_name", None) or country.name


def country_name(code: str, language: str | None = None) -> str:
    """The name of an ISO 3166-1 alpha-2 code in `language` (default: active)."""
    if not code:
        return ""
    if code.upper() == STATELESS:
        from django.utils.translation import gettext, override

        with override(language or get_language()):
            return gettext("stateless")
    return dict(_named(_base_language(language or get_language()))).get(code.upper(), code.upper())


@lru_cache(maxsize=4)
def _named(language: str) -> tuple[tuple[str, str], ...]:
    catalogue = _catalogue(language)
    rows = []
    for country in pycountry.countries:
        english = _english_name(country)
        if language == "ja" and country.alpha_2 in _JA_OVERRIDES:
            name = _JA_OVERRIDES[country.alpha_2]
        else:
            name = catalogue.gettext(english) if catalogue else english
        rows.append((country.alpha_2, name))
    return tuple(rows)


@lru_cache(maxsize=1)
def _kakasi():
    import pykakasi

    return pykakasi.kakasi()


def _sort_key(name: str, language: str) -> str:
    if language == "ja":
        # Kanji names sort by their reading, together with kana names (50音順).
        return names.normalise("".join(item["hira"] for item in _kakasi().convert(name)))
    return names.normalise(name)


@lru_cache(maxsize=4)
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    named = dict(_named(language))
    common = [(code, named[code]) for code in COMMON]
    rest = sorted(
        ((code, name) for code, name in named.items() if code not in COMMON),
        key=lambda pair: (_sort_key(pair[1], language), pair[0]),
    )
    return (*common, *rest)


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """[(alpha-2, name)]: the common desk nationalities first, then the rest."""
    language = _base_language(language or get_language())
    choices = list(_choices(language))
    return [*choices[: len(COMMON)], (STATELESS, country_name(STATELESS, language)), *choices[len(COMMON) :]]


def is_country(code: str) -> bool:
    return bool(code) and (code.upper() == STATELESS or pycountry.countries.get(alpha_2=code.upper()) is not None)
