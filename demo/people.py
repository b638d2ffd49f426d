"""Synthetic people: names, origins, languages and residence statuses.

Everything here is generated from short lists of common name parts, drawn
with a seeded ``random.Random``: no real person's record is copied, and the
same seed always gives the same people.  :func:`make_person` gives one
person; ``seed_demo --cases N`` (demo/cases.py) and ``bench_cases``
(demo/bench/) draw their clients from it.

The mix imitates a desk in the Takahashi river basin (倉敷市 and its
partners): Vietnamese, Chinese, Filipino, Brazilian, Nepali and Indonesian
residents consult most; Japanese and やさしい日本語 are used too.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from consult.names import _strip_latin_diacritics
from demo.name_parts import (
    BRAZILIAN_FAMILY,
    BRAZILIAN_GIVEN,
    CHINESE_FAMILY,
    CHINESE_GIVEN,
    ENGLISH_FAMILY,
    ENGLISH_GIVEN,
    FILIPINO_FAMILY,
    FILIPINO_GIVEN,
    INDONESIAN_FIRST,
    INDONESIAN_SECOND,
    JAPANESE_FAMILY,
    JAPANESE_GIVEN,
    KOREAN_FAMILY,
    KOREAN_GIVEN,
    MYANMAR_PARTS,
    NEPALI_FAMILY,
    NEPALI_GIVEN,
    NIKKEI_FAMILY,
    SPANISH_FAMILY,
    SPANISH_GIVEN,
    SRI_LANKAN_FAMILY,
    SRI_LANKAN_GIVEN,
    THAI_FAMILY,
    THAI_GIVEN,
    VIETNAMESE_FAMILY,
    VIETNAMESE_GIVEN,
    VIETNAMESE_MIDDLE,
)

# Residence statuses without a period of stay (no expiry date on the card).
PERMANENT_STATUSES = frozenset({"permanent", "special_permanent", "japanese_national"})

# Places outside the consortium people come from (residence_note).
OUTSIDE_AREA = ["岡山市", "福山市", "玉野市", "赤磐市", "瀬戸内市", "広島県福山市", "香川県丸亀市"]


@dataclass(frozen=True)
class DemoPerson:
    """A synthetic client: names in the forms a counter would record."""

    name: str
    name_kana: str
    name_latin: str
    nationality: str
    language: str  # preferred language code (consult/data/languages.csv)
    residence_status: str  # code (consult/data/residence_statuses.csv) or ""
    gender: str
    age_band: str
    birth_year: int | None
    client_type: str


def _weighted(rng: random.Random, items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


def pick(rng: random.Random, table: dict[str, float]) -> str:
    """One key of `table`, drawn with the values as weights."""
    return rng.choices(list(table), weights=list(table.values()), k=1)[0]


def _latin_forms(rng: random.Random, family: list[tuple], given: list[tuple], *, family_first: bool):
    """(name as given, katakana reading, name in Latin letters) for a Latin-script name."""
    fam_latin = " ".join(p[0] for p in family)
    giv_latin = " ".join(p[0] for p in given)
    fam_kana = "".join(p[1].replace(" ", "") for p in family)
    giv_kana = "・".join(p[1].replace(" ", "・") for p in given)
    # The residence card: FAMILY Given, upper case, no diacritics are kept by
    # most printers — we keep them in a third of the cases.
    card = f"{fam_latin.upper()} {giv_latin.upper()}"
    written = f"{fam_latin} {giv_latin}" if family_first else f"{giv_latin} {fam_latin}"
    kana = f"{fam_kana}・{giv_kana}" if family_first else f"{giv_kana}・{fam_kana}"
    form = rng.random()
    if form < 0.45:  # written in Latin letters as the person writes it
        return written, (kana if rng.random() < 0.6 else ""), (card if rng.random() < 0.5 else "")
    if form < 0.80:  # written by staff in katakana, with the card name
        return kana, "", card
    if form < 0.90:  # residence card form only
        return card, kana if rng.random() < 0.5 else "", ""
    if form < 0.95:  # full-width letters typed on a Japanese keyboard
        fullwidth = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in card)
        return fullwidth, kana, ""
    return kana.replace("・", " "), "", written  # katakana with spaces, Latin as written


def _age(rng: random.Random, today: date, bands: dict[str, float]) -> tuple[str, int | None]:
    band = pick(rng, bands)
    ranges = {"u18": (6, 17), "18-29": (18, 29), "30-39": (30, 39), "40-49": (40, 49), "50-64": (50, 64)}
    if band in ranges and rng.random() < 0.8:
        low, high = ranges[band]
        return band, today.year - rng.randint(low, high)
    if band == "65+" and rng.random() < 0.8:
        return band, today.year - rng.randint(65, 85)
    return band, None


WORKER_AGES = {"18-29": 55, "30-39": 28, "40-49": 10, "50-64": 3, "unknown": 4}
SETTLED_AGES = {"u18": 3, "18-29": 15, "30-39": 30, "40-49": 27, "50-64": 17, "65+": 4, "unknown": 4}

# Origin: (weight, language mix, residence statuses, age bands)
ORIGINS: dict[str, tuple[float, dict[str, float], dict[str, float], dict[str, float]]] = {
    "VN": (
        27,
        {"vi": 80, "ja-x-easy": 12, "ja": 5, "en": 3},
        {
            "tit_1": 14,
            "tit_2": 22,
            "tit_3": 6,
            "ssw_1": 22,
            "engineer_humanities": 14,
            "student": 10,
            "dependent": 8,
            "permanent": 4,
        },
        WORKER_AGES,
    ),
    "CN": (
        15,
        {"zh-Hans": 75, "ja": 15, "ja-x-easy": 6, "zh-Hant": 4},
        {
            "permanent": 25,
            "engineer_humanities": 18,
            "student": 12,
            "dependent": 12,
            "spouse_japanese": 12,
            "tit_2": 8,
            "long_term": 5,
            "business_manager": 4,
            "japanese_national": 4,
        },
        SETTLED_AGES,
    ),
    "PH": (
        12,
        {"fil": 50, "en": 32, "ja-x-easy": 12, "ja": 6},
        {"permanent": 30, "spouse_japanese": 20, "long_term": 18, "ssw_1": 14, "tit_2": 10, "dependent": 8},
        SETTLED_AGES,
    ),
    "BR": (
        8,
        {"pt": 85, "ja": 9, "ja-x-easy": 6},
        {"long_term": 40, "permanent": 40, "spouse_japanese": 10, "dependent": 10},
        SETTLED_AGES,
    ),
    "NP": (
        8,
        {"ne": 70, "en": 15, "ja-x-easy": 15},
        {"student": 30, "dependent": 25, "skilled_labor": 25, "engineer_humanities": 15, "designated": 5},
        WORKER_AGES,
    ),
    "ID": (
        8,
        {"id": 80, "ja-x-easy": 15, "en": 5},
        {"tit_1": 25, "tit_2": 30, "ssw_1": 35, "student": 5, "dependent": 5},
        WORKER_AGES,
    ),
    "KR": (
        3,
        {"ko": 45, "ja": 55},
        {"special_permanent": 40, "permanent": 25, "spouse_japanese": 15, "engineer_humanities": 20},
        SETTLED_AGES,
    ),
    "MM": (
        4,
        {"my": 80, "ja-x-easy": 15, "en": 5},
        {"tit_2": 30, "ssw_1": 40, "designated": 20, "student": 10},
        WORKER_AGES,
    ),
    "JP": (6, {"ja": 85, "ja-x-easy": 15}, {"japanese_national": 100}, SETTLED_AGES),
    "TH": (
        1.5,
        {"th": 70, "ja-x-easy": 20, "en": 10},
        {"spouse_japanese": 40, "ssw_1": 40, "permanent": 20},
        SETTLED_AGES,
    ),
    "LK": (1.5, {"si": 50, "en": 40, "ja-x-easy": 10}, {"student": 50, "ssw_1": 30, "dependent": 20}, WORKER_AGES),
    "US": (
        1.5,
        {"en": 95, "ja": 5},
        {"instructor": 50, "spouse_japanese": 30, "engineer_humanities": 20},
        SETTLED_AGES,
    ),
    "PE": (1, {"es": 85, "ja": 15}, {"long_term": 50, "permanent": 50}, SETTLED_AGES),
}
CLIENT_TYPES = {"self": 86, "family": 7, "supporter": 3, "employer": 3, "agency": 1}
JAPANESE_CLIENT_TYPES = {"family": 35, "supporter": 20, "employer": 30, "agency": 5, "self": 10}


def make_person(rng: random.Random, *, today: date | None = None) -> DemoPerson:
    """One synthetic person of a weighted origin, with names in the forms a desk records."""
    today = today or date(2026, 4, 1)
    origin = _weighted(rng, list(ORIGINS), [o[0] for o in ORIGINS.values()])
    _, languages, statuses, ages = ORIGINS[origin]
    name, kana, latin = _names_for(rng, origin)
    age_band, birth_year = _age(rng, today, ages)
    client_type = pick(rng, JAPANESE_CLIENT_TYPES if origin == "JP" else CLIENT_TYPES)
    status = pick(rng, statuses)
    if origin == "JP" and client_type != "self":
        status = ""  # a Japanese employer or spouse calling for somebody else
    gender = pick(rng, {"female": 48, "male": 46, "unanswered": 5, "other": 1}) if rng.random() < 0.9 else ""
    return DemoPerson(
        name=name,
        name_kana=kana,
        name_latin=latin,
        nationality=origin,
        language=pick(rng, languages),
        residence_status=status,
        gender=gender,
        age_band=age_band,
        birth_year=birth_year,
        client_type=client_type,
    )


Names = tuple[str, str, str]  # (name as written, katakana reading, name in Latin letters)


def _vietnamese(rng: random.Random) -> Names:
    family = _weighted(rng, VIETNAMESE_FAMILY, [w for *_, w in VIETNAMESE_FAMILY])
    middle = _weighted(rng, VIETNAMESE_MIDDLE, [w for *_, w in VIETNAMESE_MIDDLE])
    given = rng.choice(VIETNAMESE_GIVEN)
    name, kana, latin = _latin_forms(rng, [family[:2]], [middle[:2], given], family_first=True)
    if rng.random() < 0.5:  # drop the diacritics, as many do on forms
        name, latin = (_strip_latin_diacritics(s).replace("Đ", "D").replace("đ", "d") for s in (name, latin))
    return name, kana, latin


def _filipino(rng: random.Random) -> Names:
    given = rng.choice(FILIPINO_GIVEN)
    if rng.random() < 0.12:  # married to a Japanese national: a Japanese family name
        jp = _weighted(rng, JAPANESE_FAMILY, [w for *_, w in JAPANESE_FAMILY])
        return f"{jp[0]} {given[1]}", f"{jp[1]} {given[1]}", f"{jp[2].upper()} {given[0].upper()}"
    family = [rng.choice(FILIPINO_FAMILY)]
    return _latin_forms(rng, family, [given], family_first=rng.random() < 0.3)


def _brazilian(rng: random.Random) -> Names:
    given = [rng.choice(BRAZILIAN_GIVEN)]
    if rng.random() < 0.3:
        given.append(rng.choice(BRAZILIAN_GIVEN))
    family = [rng.choice(NIKKEI_FAMILY if rng.random() < 0.35 else BRAZILIAN_FAMILY)]
    if rng.random() < 0.5:
        family.insert(0, rng.choice(BRAZILIAN_FAMILY))
    return _latin_forms(rng, family, given, family_first=rng.random() < 0.4)


def _indonesian(rng: random.Random) -> Names:
    if rng.random() < 0.15:  # one name only
        single = rng.choice(INDONESIAN_FIRST + INDONESIAN_SECOND)
        return (single[0], single[1], single[0].upper()) if rng.random() < 0.5 else (single[1], "", single[0].upper())
    return _latin_forms(rng, [rng.choice(INDONESIAN_SECOND)], [rng.choice(INDONESIAN_FIRST)], family_first=False)


def _myanmar(rng: random.Random) -> Names:
    parts = rng.sample(MYANMAR_PARTS, k=rng.choice((2, 2, 3)))
    return _latin_forms(rng, parts[:1], parts[1:], family_first=True)


def _given_family(family: list[tuple], given: list[tuple]):
    """A Latin-script name written given name first: one family and one given part."""
    return lambda rng: _latin_forms(rng, [rng.choice(family)], [rng.choice(given)], family_first=False)


def _peruvian(rng: random.Random) -> Names:
    return _latin_forms(rng, rng.sample(SPANISH_FAMILY, k=2), [rng.choice(SPANISH_GIVEN)], family_first=False)


def _kanji_name(rng: random.Random, origin: str) -> Names:
    """Chinese, Korean and Japanese names: kanji, katakana, and (mostly) Latin letters."""
    if origin == "CN":
        family = _weighted(rng, CHINESE_FAMILY, [w for *_, w in CHINESE_FAMILY])[:3]
        given = rng.choice(CHINESE_GIVEN)
    elif origin == "KR":
        family, given = rng.choice(KOREAN_FAMILY), rng.choice(KOREAN_GIVEN)
    else:
        family = _weighted(rng, JAPANESE_FAMILY, [w for *_, w in JAPANESE_FAMILY])[:3]
        given = rng.choice(JAPANESE_GIVEN)
    kanji = f"{family[0]} {given[0]}" if rng.random() < 0.7 else f"{family[0]}{given[0]}"
    kana = f"{family[1]} {given[1]}"
    latin = f"{family[2].upper()} {given[2].upper()}" if origin != "JP" or rng.random() < 0.3 else ""
    form = rng.random()
    if form < 0.75:
        return kanji, kana, latin
    if form < 0.9:
        return kanji, "", latin or kana
    return kana, "", latin  # written in katakana only


_NAMES_BY_ORIGIN = {
    "VN": _vietnamese,
    "PH": _filipino,
    "BR": _brazilian,
    "NP": _given_family(NEPALI_FAMILY, NEPALI_GIVEN),
    "ID": _indonesian,
    "MM": _myanmar,
    "TH": _given_family(THAI_FAMILY, THAI_GIVEN),
    "LK": _given_family(SRI_LANKAN_FAMILY, SRI_LANKAN_GIVEN),
    "US": _given_family(ENGLISH_FAMILY, ENGLISH_GIVEN),
    "PE": _peruvian,
    "CN": lambda rng: _kanji_name(rng, "CN"),
    "KR": lambda rng: _kanji_name(rng, "KR"),
    "JP": lambda rng: _kanji_name(rng, "JP"),
}


def _names_for(rng: random.Random, origin: str) -> Names:
    if origin not in _NAMES_BY_ORIGIN:
        raise ValueError(origin)
    return _NAMES_BY_ORIGIN[origin](rng)
