"""Name normalisation and the bigram index behind client name search.

People give their names in Latin letters, katakana, hiragana or kanji, in
any order, in full or half width.  Search must ignore width, case, spaces,
name order and the hiragana/katakana difference, and find two-character
kanji names such as 田中 through an index.  pg_trgm cannot: a two-character
query has no trigram inside it.  So each client row stores

* ``search_text`` — every normalised variant of every name it carries, and
* ``name_grams`` — the set of 1- and 2-character grams of those variants
  (a GIN-indexed ``text[]``),

and a query is answered by ``name_grams @> <grams of the query>`` (the GIN
index finds the candidates, like pg_bigm would) re-checked with
``search_text LIKE '%token%'`` for every query token.
See docs/decisions/0005-name-search.md.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import jaconv

# Separators people put between name parts: spaces of every width, the
# katakana middle dot, commas, hyphens, dots, slashes, brackets.
_SEPARATORS = re.compile(r"[\s\u30fb\uff65,，、.．\-‐－_/()（）\[\]「」'’\"]+")
# Invisible characters that a copy-paste drags into a name (zero-width
# space/joiners, word joiner, BOM, soft hyphen) and bidi controls: "Ngu\u200byen"
# must be found by "Nguyen", or duplicates slip through.
_INVISIBLE = re.compile(r"[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Variants are joined with this; it never occurs inside a variant.
VARIANT_SEPARATOR = "|"


def _strip_latin_diacritics(text: str) -> str:
    """Nguyễn → nguyen, but leave kana alone (NFKD would split が into か+゛)."""
    out = []
    for char in text:
        if "LATIN" in unicodedata.name(char, "") and ord(char) > 0x7F:
            decomposed = unicodedata.normalize("NFKD", char)
            out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
        else:
            out.append(char)
    return "".join(out)


def normalise(text: str) -> str:
    """Width, case, diacritics and kana script folded; separators kept as one space."""
    if not text:
        return ""
    text = _INVISIBLE.sub("", text)
    text = unicodedata.normalize("NFKC", text)  # ｸﾞｴﾝ → グエン, Ｔａｎａｋａ → Tanaka
    text = _strip_latin_diacritics(text).casefold()
    text = text.replace("đ", "d")  # Vietnamese đ has no decomposition
    text = jaconv.kata2hira(text)  # グエン → ぐえん
    text = text.replace("ゔ", "ぶ")  # ヴァン and ブァン are both written
    return _SEPARATORS.sub(" ", text).strip()


def tokens(text: str) -> list[str]:
    return [t for t in normalise(text).split(" ") if t]


@lru_cache(maxsize=1)
def _kakasi():
    import pykakasi

    return pykakasi.kakasi()


def _romaji_variants(text: str) -> list[str]:
    """Readings of kana (and kanji) in Hepburn: たろう → tarou and taro, in
    that order (a set's order changed from one process to the next, and with
    it the stored search text and the intake's data-search attributes)."""
    if not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text):
        return []
    romaji = "".join(item["hepburn"] for item in _kakasi().convert(text))
    romaji = normalise(romaji)
    simplified = re.sub(r"(?<=[ou])u|(?<=o)o", "", romaji)  # tarou/taroo → taro, yuuki → yuki
    return [variant for variant in dict.fromkeys((romaji, simplified)) if variant]


def _kana_reading(text: str) -> str:
    """Kanji → hiragana reading (田中 → たなか), so 'たなか' and 'tanaka' find 田中."""
    if not re.search(r"[\u4e00-\u9fff]", text):
        return ""
    return normalise("".join(item["hira"] for item in _kakasi().convert(text)))


def name_variants(*names: str) -> list[str]:
    """Every searchable form of the given names: each name normalised, its
    parts joined without spaces in given and reversed order, its kana
    reading and romaji (for kana/kanji names)."""
    variants: list[str] = []

    def add(value: str) -> None:
        if value and value not in variants:
            variants.append(value)

    for name in names:
        parts = tokens(name or "")
        if not parts:
            continue
        add(" ".join(parts))
        add("".join(parts))
        add("".join(reversed(parts)))
        reading = _kana_reading(" ".join(parts))
        if reading:
            add(reading)
            add(reading.replace(" ", ""))
        for romaji in _romaji_variants(" ".join(parts)):
            add(romaji)
            add(romaji.replace(" ", ""))
            add("".join(reversed(romaji.split(" "))))
    return variants


def search_text(*names: str) -> str:
    return VARIANT_SEPARATOR.join(name_variants(*names))


def grams_of(text: str) -> set[str]:
    """1- and 2-character grams of each space-free run of `text`."""
    grams: set[str] = set()
    for run in re.split(r"[ |]+", text):
        if not run:
            continue
        grams.update(run)
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def name_grams(*names: str) -> list[str]:
    return sorted(grams_of(search_text(*names)))


def query_tokens(query: str) -> list[str]:
    return tokens(query)


def has_trigrams(token: str) -> bool:
    """Whether pg_trgm can find `token` by its trigrams: three or more
    characters, all of them letters or digits (pg_trgm splits words at
    anything else, and a token with no whole trigram would read the whole
    trigram index)."""
    return len(token) >= 3 and all(ch.isalnum() for ch in token)


def query_grams(query: str) -> list[str]:
    """What a stored row must contain for `query` to match: the 2-grams of
    every token (a one-character token contributes itself)."""
    grams: set[str] = set()
    for token in query_tokens(query):
        if len(token) == 1:
            grams.add(token)
        else:
            grams.update(token[i : i + 2] for i in range(len(token) - 1))
    return sorted(grams)
