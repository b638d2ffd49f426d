"""Synthetic people and consultations for demo data and the benchmark.

Everything here is generated from short lists of common name parts, drawn
with a seeded ``random.Random``: no real person's record is copied, and the
same seed always gives the same people.  ``seed_demo --cases N`` turns the
specs of :func:`consultation_specs` into rows (:func:`seed_demo_cases`);
``bench_cases`` draws its name pool from :func:`make_person` (consult/bench.py).

The mix imitates a desk in the Takahashi river basin (倉敷市 and its
partners): Vietnamese, Chinese, Filipino, Brazilian, Nepali and Indonesian
residents consult most; Japanese and やさしい日本語 are used too, and the hub
desk takes most consultations.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation

from core.fiscal import fiscal_year

from .signals import consultations_bulk_loaded
from .snapshots import consultation_snapshots_fill

# --- names -----------------------------------------------------------------
# (Latin, katakana) or (kanji, katakana reading, Latin) name parts.  The
# katakana is how a Japanese counter would write the name down.

VIETNAMESE_FAMILY = [
    ("Nguyễn", "グエン", 38),
    ("Trần", "チャン", 11),
    ("Lê", "レ", 9),
    ("Phạm", "ファム", 7),
    ("Hoàng", "ホアン", 5),
    ("Huỳnh", "フイン", 4),
    ("Phan", "ファン", 4),
    ("Vũ", "ヴー", 4),
    ("Võ", "ヴォー", 4),
    ("Đặng", "ダン", 3),
    ("Bùi", "ブイ", 3),
    ("Đỗ", "ドー", 3),
    ("Hồ", "ホー", 2),
    ("Ngô", "ゴー", 2),
    ("Dương", "ズオン", 2),
]
VIETNAMESE_MIDDLE = [
    ("Văn", "ヴァン", 30),
    ("Thị", "ティ", 30),
    ("Đức", "ドゥック", 6),
    ("Minh", "ミン", 8),
    ("Ngọc", "ゴック", 6),
    ("Thanh", "タイン", 8),
    ("Hữu", "フウ", 5),
    ("Quang", "クアン", 5),
]
VIETNAMESE_GIVEN = [
    ("Anh", "アイン"),
    ("Linh", "リン"),
    ("Hùng", "フン"),
    ("Lan", "ラン"),
    ("Mai", "マイ"),
    ("Tuấn", "トゥアン"),
    ("Hương", "フオン"),
    ("Dũng", "ズン"),
    ("Trang", "チャン"),
    ("Nam", "ナム"),
    ("Hà", "ハー"),
    ("Thảo", "タオ"),
    ("Long", "ロン"),
    ("Huy", "フイ"),
    ("Khánh", "カイン"),
    ("Phúc", "フック"),
    ("Yến", "イエン"),
    ("Quân", "クアン"),
]

FILIPINO_GIVEN = [
    ("Maria", "マリア"),
    ("Jose", "ホセ"),
    ("Mark", "マーク"),
    ("John Paul", "ジョン ポール"),
    ("Jennifer", "ジェニファー"),
    ("Angelica", "アンジェリカ"),
    ("Ramon", "ラモン"),
    ("Cristina", "クリスティーナ"),
    ("Rowena", "ロウェナ"),
    ("Arnel", "アーネル"),
    ("Michelle", "ミシェル"),
    ("Joy", "ジョイ"),
    ("Rodel", "ロデル"),
    ("Grace", "グレース"),
    ("Marites", "マリテス"),
]
FILIPINO_FAMILY = [
    ("Santos", "サントス"),
    ("Reyes", "レイエス"),
    ("Cruz", "クルス"),
    ("Bautista", "バウティスタ"),
    ("Garcia", "ガルシア"),
    ("Mendoza", "メンドーサ"),
    ("Dela Cruz", "デラクルス"),
    ("Villanueva", "ビリャヌエバ"),
    ("Ramos", "ラモス"),
    ("Aquino", "アキノ"),
    ("Castillo", "カスティーヨ"),
    ("Flores", "フローレス"),
    ("Gonzales", "ゴンザレス"),
    ("Navarro", "ナバロ"),
]

BRAZILIAN_GIVEN = [
    ("Ana", "アナ"),
    ("João", "ジョアン"),
    ("Lucas", "ルーカス"),
    ("Gabriel", "ガブリエル"),
    ("Juliana", "ジュリアナ"),
    ("Fernanda", "フェルナンダ"),
    ("Rafael", "ハファエル"),
    ("Mariana", "マリアナ"),
    ("Bruno", "ブルーノ"),
    ("Camila", "カミラ"),
    ("Thiago", "チアゴ"),
    ("Larissa", "ラリッサ"),
    ("Paulo", "パウロ"),
    ("Beatriz", "ベアトリス"),
]
BRAZILIAN_FAMILY = [
    ("Silva", "シルバ"),
    ("Santos", "サントス"),
    ("Oliveira", "オリヴェイラ"),
    ("Souza", "ソウザ"),
    ("Pereira", "ペレイラ"),
    ("Lima", "リマ"),
    ("Carvalho", "カルヴァーリョ"),
    ("Ferreira", "フェレイラ"),
    ("Rodrigues", "ホドリゲス"),
    ("Almeida", "アルメイダ"),
    ("Costa", "コスタ"),
    ("Gomes", "ゴメス"),
]
# Brazilians of Japanese descent (日系) often carry a Japanese family name.
NIKKEI_FAMILY = [
    ("Yamamoto", "ヤマモト"),
    ("Nakamura", "ナカムラ"),
    ("Higa", "ヒガ"),
    ("Suzuki", "スズキ"),
    ("Tanaka", "タナカ"),
    ("Oshiro", "オオシロ"),
]

NEPALI_GIVEN = [
    ("Ram", "ラム"),
    ("Sita", "シタ"),
    ("Bikash", "ビカス"),
    ("Sunita", "スニタ"),
    ("Prakash", "プラカス"),
    ("Anita", "アニタ"),
    ("Suman", "スマン"),
    ("Gita", "ギタ"),
    ("Rajesh", "ラジェス"),
    ("Sabina", "サビナ"),
    ("Dipak", "ディパク"),
    ("Puja", "プジャ"),
    ("Bishnu", "ビシュヌ"),
]
NEPALI_FAMILY = [
    ("Shrestha", "シュレスタ"),
    ("Gurung", "グルン"),
    ("Tamang", "タマン"),
    ("Rai", "ライ"),
    ("Magar", "マガル"),
    ("Thapa", "タパ"),
    ("Sharma", "シャルマ"),
    ("Adhikari", "アディカリ"),
    ("Karki", "カルキ"),
    ("Limbu", "リンブ"),
    ("Bhandari", "バンダリ"),
    ("Poudel", "ポウデル"),
]

INDONESIAN_FIRST = [
    ("Siti", "シティ"),
    ("Agus", "アグス"),
    ("Dewi", "デウィ"),
    ("Budi", "ブディ"),
    ("Rina", "リナ"),
    ("Eko", "エコ"),
    ("Putri", "プトリ"),
    ("Ahmad", "アフマド"),
    ("Wahyu", "ワフユ"),
    ("Sri", "スリ"),
    ("Muhammad", "ムハンマド"),
    ("Nur", "ヌル"),
]
INDONESIAN_SECOND = [
    ("Setiawan", "セティアワン"),
    ("Lestari", "レスタリ"),
    ("Santoso", "サントソ"),
    ("Wati", "ワティ"),
    ("Prasetyo", "プラセティオ"),
    ("Rahayu", "ラハユ"),
    ("Fauzi", "ファウジ"),
    ("Hidayat", "ヒダヤット"),
    ("Wahyuni", "ワフユニ"),
    ("Kurniawan", "クルニアワン"),
    ("Saputra", "サプトラ"),
]

MYANMAR_PARTS = [
    ("Aung", "アウン"),
    ("Kyaw", "チョー"),
    ("Thida", "ティダ"),
    ("Win", "ウィン"),
    ("Zaw", "ゾー"),
    ("Hlaing", "フライン"),
    ("Myint", "ミン"),
    ("Nandar", "ナンダー"),
    ("Phyu", "ピュー"),
    ("Htet", "テッ"),
]

THAI_GIVEN = [("Somchai", "ソムチャイ"), ("Malee", "マリー"), ("Suda", "スダー"), ("Anan", "アナン")]
THAI_FAMILY = [("Srisuk", "シースック"), ("Wongsa", "ウォンサー"), ("Chaiyaphum", "チャイヤプーム")]

ENGLISH_GIVEN = [("Emily", "エミリー"), ("James", "ジェームス"), ("Sarah", "サラ"), ("Daniel", "ダニエル")]
ENGLISH_FAMILY = [("Smith", "スミス"), ("Brown", "ブラウン"), ("Wilson", "ウィルソン"), ("Taylor", "テイラー")]

SPANISH_GIVEN = [("Carlos", "カルロス"), ("Rosa", "ロサ"), ("Luis", "ルイス"), ("Carmen", "カルメン")]
SPANISH_FAMILY = [("Quispe", "キスペ"), ("Flores", "フローレス"), ("Torres", "トーレス"), ("Vargas", "バルガス")]

SRI_LANKAN_GIVEN = [("Nuwan", "ヌワン"), ("Dilani", "ディラニ"), ("Kasun", "カスン")]
SRI_LANKAN_FAMILY = [
    ("Perera", "ペレラ"),
    ("Fernando", "フェルナンド"),
    ("Silva", "シルバ"),
    ("Jayasinghe", "ジャヤシンハ"),
]

# Chinese names as written on a Japanese form (日本の字体), with the katakana
# of the Chinese reading and pinyin.
CHINESE_FAMILY = [
    ("王", "ワン", "Wang", 12),
    ("李", "リー", "Li", 11),
    ("張", "チャン", "Zhang", 10),
    ("劉", "リュウ", "Liu", 8),
    ("陳", "チェン", "Chen", 8),
    ("楊", "ヤン", "Yang", 5),
    ("趙", "チャオ", "Zhao", 4),
    ("黄", "ホアン", "Huang", 4),
    ("周", "ジョウ", "Zhou", 4),
    ("呉", "ウー", "Wu", 4),
    ("徐", "シュー", "Xu", 3),
    ("孫", "スン", "Sun", 3),
    ("林", "リン", "Lin", 3),
    ("郭", "グオ", "Guo", 2),
]
CHINESE_GIVEN = [
    ("偉", "ウェイ", "Wei"),
    ("芳", "ファン", "Fang"),
    ("麗", "リー", "Li"),
    ("強", "チアン", "Qiang"),
    ("敏", "ミン", "Min"),
    ("静", "ジン", "Jing"),
    ("磊", "レイ", "Lei"),
    ("洋", "ヤン", "Yang"),
    ("傑", "ジエ", "Jie"),
    ("婷婷", "ティンティン", "Tingting"),
    ("建国", "ジェングオ", "Jianguo"),
    ("秀英", "シウイン", "Xiuying"),
    ("志強", "ジーチアン", "Zhiqiang"),
    ("海燕", "ハイイェン", "Haiyan"),
    ("小紅", "シャオホン", "Xiaohong"),
    ("浩然", "ハオラン", "Haoran"),
]

KOREAN_FAMILY = [
    ("金", "キム", "Kim"),
    ("李", "イ", "Lee"),
    ("朴", "パク", "Park"),
    ("崔", "チェ", "Choi"),
    ("鄭", "チョン", "Jung"),
    ("姜", "カン", "Kang"),
]
KOREAN_GIVEN = [
    ("民俊", "ミンジュン", "Minjun"),
    ("瑞妍", "ソヨン", "Seoyeon"),
    ("智勲", "ジフン", "Jihun"),
    ("秀彬", "スビン", "Subin"),
    ("賢宇", "ヒョヌ", "Hyunwoo"),
    ("恩智", "ウンジ", "Eunji"),
]

# Japanese family names: mostly two kanji (田中, 山本 …), the reading and romaji.
JAPANESE_FAMILY = [
    ("佐藤", "サトウ", "Sato", 9),
    ("鈴木", "スズキ", "Suzuki", 8),
    ("高橋", "タカハシ", "Takahashi", 7),
    ("田中", "タナカ", "Tanaka", 7),
    ("伊藤", "イトウ", "Ito", 6),
    ("渡辺", "ワタナベ", "Watanabe", 6),
    ("山本", "ヤマモト", "Yamamoto", 6),
    ("中村", "ナカムラ", "Nakamura", 6),
    ("小林", "コバヤシ", "Kobayashi", 5),
    ("加藤", "カトウ", "Kato", 5),
    ("山田", "ヤマダ", "Yamada", 4),
    ("吉田", "ヨシダ", "Yoshida", 4),
    ("松本", "マツモト", "Matsumoto", 4),
    ("井上", "イノウエ", "Inoue", 4),
    ("木村", "キムラ", "Kimura", 4),
    ("林", "ハヤシ", "Hayashi", 3),
    ("清水", "シミズ", "Shimizu", 3),
    ("山口", "ヤマグチ", "Yamaguchi", 3),
    ("森", "モリ", "Mori", 3),
    ("岡田", "オカダ", "Okada", 4),
    ("藤原", "フジワラ", "Fujiwara", 3),
    ("三宅", "ミヤケ", "Miyake", 3),
]
JAPANESE_GIVEN = [
    ("太郎", "タロウ", "Taro"),
    ("花子", "ハナコ", "Hanako"),
    ("健太", "ケンタ", "Kenta"),
    ("美咲", "ミサキ", "Misaki"),
    ("翔太", "ショウタ", "Shota"),
    ("陽菜", "ヒナ", "Hina"),
    ("大輔", "ダイスケ", "Daisuke"),
    ("由美", "ユミ", "Yumi"),
    ("直樹", "ナオキ", "Naoki"),
    ("恵子", "ケイコ", "Keiko"),
    ("誠", "マコト", "Makoto"),
    ("綾", "アヤ", "Aya"),
]

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


def _pick(rng: random.Random, table: dict[str, float]) -> str:
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
    band = _pick(rng, bands)
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
    client_type = _pick(rng, JAPANESE_CLIENT_TYPES if origin == "JP" else CLIENT_TYPES)
    status = _pick(rng, statuses)
    if origin == "JP" and client_type != "self":
        status = ""  # a Japanese employer or spouse calling for somebody else
    gender = _pick(rng, {"female": 48, "male": 46, "unanswered": 5, "other": 1}) if rng.random() < 0.9 else ""
    return DemoPerson(
        name=name,
        name_kana=kana,
        name_latin=latin,
        nationality=origin,
        language=_pick(rng, languages),
        residence_status=status,
        gender=gender,
        age_band=age_band,
        birth_year=birth_year,
        client_type=client_type,
    )


def _names_for(rng: random.Random, origin: str) -> tuple[str, str, str]:
    if origin == "VN":
        family = _weighted(rng, VIETNAMESE_FAMILY, [w for *_, w in VIETNAMESE_FAMILY])
        middle = _weighted(rng, VIETNAMESE_MIDDLE, [w for *_, w in VIETNAMESE_MIDDLE])
        given = rng.choice(VIETNAMESE_GIVEN)
        name, kana, latin = _latin_forms(rng, [family[:2]], [middle[:2], given], family_first=True)
        if rng.random() < 0.5:  # drop the diacritics, as many do on forms
            from consult.names import _strip_latin_diacritics

            name, latin = (_strip_latin_diacritics(s).replace("Đ", "D").replace("đ", "d") for s in (name, latin))
        return name, kana, latin
    if origin == "PH":
        given = rng.choice(FILIPINO_GIVEN)
        if rng.random() < 0.12:  # married to a Japanese national: a Japanese family name
            jp = _weighted(rng, JAPANESE_FAMILY, [w for *_, w in JAPANESE_FAMILY])
            return f"{jp[0]} {given[1]}", f"{jp[1]} {given[1]}", f"{jp[2].upper()} {given[0].upper()}"
        family = [rng.choice(FILIPINO_FAMILY)]
        return _latin_forms(rng, family, [given], family_first=rng.random() < 0.3)
    if origin == "BR":
        given = [rng.choice(BRAZILIAN_GIVEN)]
        if rng.random() < 0.3:
            given.append(rng.choice(BRAZILIAN_GIVEN))
        family = [rng.choice(NIKKEI_FAMILY if rng.random() < 0.35 else BRAZILIAN_FAMILY)]
        if rng.random() < 0.5:
            family.insert(0, rng.choice(BRAZILIAN_FAMILY))
        return _latin_forms(rng, family, given, family_first=rng.random() < 0.4)
    if origin == "NP":
        return _latin_forms(rng, [rng.choice(NEPALI_FAMILY)], [rng.choice(NEPALI_GIVEN)], family_first=False)
    if origin == "ID":
        if rng.random() < 0.15:  # one name only
            single = rng.choice(INDONESIAN_FIRST + INDONESIAN_SECOND)
            return (
                (single[0], single[1], single[0].upper()) if rng.random() < 0.5 else (single[1], "", single[0].upper())
            )
        return _latin_forms(rng, [rng.choice(INDONESIAN_SECOND)], [rng.choice(INDONESIAN_FIRST)], family_first=False)
    if origin == "MM":
        parts = rng.sample(MYANMAR_PARTS, k=rng.choice((2, 2, 3)))
        return _latin_forms(rng, parts[:1], parts[1:], family_first=True)
    if origin == "TH":
        return _latin_forms(rng, [rng.choice(THAI_FAMILY)], [rng.choice(THAI_GIVEN)], family_first=False)
    if origin == "LK":
        return _latin_forms(rng, [rng.choice(SRI_LANKAN_FAMILY)], [rng.choice(SRI_LANKAN_GIVEN)], family_first=False)
    if origin == "US":
        return _latin_forms(rng, [rng.choice(ENGLISH_FAMILY)], [rng.choice(ENGLISH_GIVEN)], family_first=False)
    if origin == "PE":
        return _latin_forms(rng, rng.sample(SPANISH_FAMILY, k=2), [rng.choice(SPANISH_GIVEN)], family_first=False)
    if origin in ("CN", "KR", "JP"):
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
    raise ValueError(origin)


# --- consultations ------------------------------------------------------------

LANGUAGES_ANONYMOUS = {
    "vi": 22, "zh-Hans": 11, "fil": 9, "en": 11, "pt": 7, "ne": 7, "id": 7, "ja-x-easy": 8, "ja": 5, "my": 3,
    "ko": 2, "es": 1, "th": 1, "si": 1, "zh-Hant": 0.5, "bn": 0.5, "mn": 0.5, "ru": 0.3, "uk": 0.3, "ur": 0.2,
}  # fmt: skip
CHANNELS_HUB = {"walk_in": 50, "phone": 28, "three_way_phone": 4, "email": 5, "sns": 8, "online": 3, "outreach": 2}
CHANNELS_PARTNER = {"walk_in": 55, "phone": 25, "three_way_phone": 12, "email": 3, "sns": 2, "online": 1, "outreach": 2}
INTERPRETATION_HUB = {
    "bilingual": 50, "tablet_video": 14, "onsite": 5, "phone_two_party": 10, "three_way_phone": 5, "device": 10,
    "written": 2, "none": 4,
}  # fmt: skip
INTERPRETATION_PARTNER = {
    "tablet_video": 35, "three_way_phone": 18, "device": 20, "phone_two_party": 10, "onsite": 6, "written": 3,
    "none": 8,
}  # fmt: skip
ACTIONS = {"information": 70, "listening": 18, "referral": 14, "accompanied": 5, "interpretation": 18, "translation": 8}
# Share of consultations per top-level topic; within one, 80% name a sub-topic.
TOPIC_WEIGHTS = {
    "residency": 22, "municipal": 8, "employment": 12, "social_insurance": 8, "tax": 6, "medical": 7, "welfare": 4,
    "childcare": 5, "education": 6, "housing": 5, "disaster": 1, "transport": 3, "family": 2, "consumer": 1.5,
    "legal": 1.5, "japanese": 2, "translation": 4, "daily_life": 7, "other": 2,
}  # fmt: skip
# Desk share of consultations: the hub desk takes most.
DESK_WEIGHTS = {"KRS": 60, "SOJ": 8, "KSO": 6, "IBR": 5, "ASK": 4, "TKH": 4, "STS": 4, "NIM": 3, "HYS": 3, "YKG": 3}
NOTES = [
    "",
    "",
    "必要書類を説明した。",
    "担当課の窓口まで案内した。",
    "次回、必要書類を持って来所予定。",
    "多言語パンフレットを渡した。",
    "本人の了承を得て関係機関に連絡した。",
    "Explained the documents needed; will come back next week.",
]
FOLLOW_UP_NOTES = [
    "電話で結果を確認する",
    "必要書類がそろったか確認する",
    "関係機関からの回答を伝える",
    "通訳の手配を確認する",
    "Call back about the application",
]

# Intake tokens of demo consultations: a fixed prefix and the consultation's
# number, so the n-th demo consultation is the same row on every run (the
# unique intake token makes a second insert impossible) and demo rows can be
# counted with one index range scan.
_DEMO_TOKEN_BASE = uuid.UUID("de30de30-0000-4000-8000-000000000000").int


def demo_token(index: int) -> uuid.UUID:
    return uuid.UUID(int=_DEMO_TOKEN_BASE + index)


DEMO_TOKEN_RANGE = (demo_token(0), demo_token(2**48 - 1))


@dataclass
class ConsultationSpec:
    index: int
    opener: int  # index of the consultation that opened the case (itself for a new case)
    desk_code: str
    occurred_at: datetime
    channel: str
    language: str
    interpretation_mode: str
    topics: list[str]
    minutes: int
    actions: list[str]
    notes: str
    # Only on the consultation that opens a case:
    person: DemoPerson | None = None
    same_client_as: int | None = None  # opener index of an earlier case of the same client
    quick: bool = False
    anonymous: bool = False
    final_state: tuple[str, str] = ("open", "")  # (status, outcome) decided when the case is opened
    follow_up: tuple[date, str, str] | None = None  # (due date, note, status)
    extra: dict = field(default_factory=dict)


def _window(now: datetime) -> tuple[datetime, datetime]:
    """From the first day of the previous fiscal year until now."""
    start_year = fiscal_year(now) - 1
    start = timezone.make_aware(datetime.combine(date(start_year, 4, 1), time(9, 0)))
    return start, now


def _office_hours(rng: random.Random, day: date) -> datetime:
    while day.weekday() >= 5:  # desks are open Monday to Friday
        day -= timedelta(days=1)
    minute = rng.randint(8 * 60 + 30, 17 * 60)
    return timezone.make_aware(datetime.combine(day, time(minute // 60, minute % 60)))


def _topics(rng: random.Random, topic_tree: dict[str, list[str]]) -> list[str]:
    count = _pick(rng, {"1": 60, "2": 30, "3": 10})
    chosen: list[str] = []
    while len(chosen) < int(count):
        parent = _pick(rng, {code: w for code, w in TOPIC_WEIGHTS.items() if code in topic_tree})
        children = topic_tree[parent]
        code = rng.choice(children) if children and rng.random() < 0.8 else parent
        if code not in chosen:
            chosen.append(code)
    return chosen


def consultation_specs(
    count: int, *, seed: int, now: datetime, topic_tree: dict[str, list[str]], desk_codes: list[str]
) -> list[ConsultationSpec]:
    """The first `count` demo consultations for `seed`.  Spec n depends only on
    the seed and the specs before it, so a longer list extends a shorter one."""
    rng = random.Random(seed)
    start, end = _window(now)
    span_days = (end.date() - start.date()).days
    today = timezone.localtime(now).date()
    hub_code = desk_codes[0]  # the hub desk comes first
    desk_weights = {code: DESK_WEIGHTS.get(code, 60 if code == hub_code else 4) for code in desk_codes}
    specs: list[ConsultationSpec] = []
    openers: list[int] = []  # indices of non-quick case openers, in order
    for index in range(count):
        reconsult = openers and rng.random() < 0.28
        if reconsult:
            # Back about an earlier case, within weeks: the case's desk.
            opener = specs[rng.choice(openers[-150:])]
            desk_code = opener.desk_code
            latest = max(opener.occurred_at, opener.extra.get("last", opener.occurred_at))
            day = latest.date() + timedelta(days=rng.randint(1, 45))
            if day > today:  # not yet: somewhen between the last contact and today
                day = latest.date() + timedelta(days=rng.randint(0, (today - latest.date()).days))
            occurred_at = max(_office_hours(rng, day), latest + timedelta(minutes=30))
            occurred_at = min(occurred_at, now)
            opener.extra["last"] = occurred_at
            language = opener.extra["language"] if rng.random() < 0.9 else _pick(rng, LANGUAGES_ANONYMOUS)
        else:
            desk_code = _pick(rng, desk_weights)
            # Slightly more consultations lately: the foreign population grows.
            offset = int(span_days * (1 - rng.random() ** 1.3))
            occurred_at = min(_office_hours(rng, start.date() + timedelta(days=offset)), now)
        hub = desk_code == hub_code
        channel = _pick(rng, CHANNELS_HUB if hub else CHANNELS_PARTNER)
        spec = ConsultationSpec(
            index=index,
            opener=opener.index if reconsult else index,
            desk_code=desk_code,
            occurred_at=occurred_at,
            channel=channel,
            language="",
            interpretation_mode="none",
            topics=_topics(rng, topic_tree),
            minutes=rng.randint(5, 30) if channel in ("phone", "sns", "email") else rng.randint(10, 75),
            actions=sorted({_pick(rng, ACTIONS) for _ in range(rng.choice((1, 1, 2)))}),
            notes=rng.choice(NOTES),
        )
        if reconsult:
            spec.language = language
        else:
            kind = rng.random()
            spec.quick = kind < 0.18
            spec.anonymous = spec.quick or kind < 0.24
            if not spec.anonymous:
                earlier = [i for i in openers[-300:] if specs[i].person is not None]
                if earlier and rng.random() < 0.1:  # a new matter of a client known here
                    before = specs[rng.choice(earlier)]
                    spec.same_client_as = before.index
                    spec.person = before.person
                    spec.desk_code = before.desk_code
                    later = _office_hours(rng, before.occurred_at.date() + timedelta(days=rng.randint(7, 90)))
                    spec.occurred_at = min(max(spec.occurred_at, later), now)
                else:
                    spec.person = make_person(rng, today=today)
            spec.language = spec.person.language if spec.person else _pick(rng, LANGUAGES_ANONYMOUS)
            spec.extra["language"] = spec.language
            spec.final_state = _case_state(rng, spec)
            if not spec.quick and rng.random() < 0.2:
                due = occurred_at.date() + timedelta(days=rng.randint(3, 14))
                status = "open"
                if due < today:
                    status = _pick(rng, {"done": 75, "cancelled": 5, "open": 20})  # open = overdue
                spec.follow_up = (due, rng.choice(FOLLOW_UP_NOTES), status)
            if not spec.quick:
                openers.append(index)
        if spec.channel == "three_way_phone":
            spec.interpretation_mode = "three_way_phone"
        elif spec.language in ("ja", "ja-x-easy"):
            spec.interpretation_mode = "device" if spec.language == "ja-x-easy" and rng.random() < 0.1 else "none"
        else:
            spec.interpretation_mode = _pick(rng, INTERPRETATION_HUB if hub else INTERPRETATION_PARTNER)
        specs.append(spec)
    return specs


def _case_state(rng: random.Random, spec: ConsultationSpec) -> tuple[str, str]:
    """(status, outcome): quick contacts end at the counter; other cases mostly close."""
    if spec.quick:
        return ("closed", "resolved") if rng.random() < 0.92 else ("open", "")
    return _pick(
        rng,
        {
            ("closed", "resolved"): 45,
            ("closed", "referred"): 20,
            ("in_progress", "continuing"): 12,
            ("waiting", "continuing"): 8,
            ("open", ""): 15,
        },
    )


def settle_case_state(state: tuple[str, str], last_activity: datetime, now: datetime) -> tuple[str, str]:
    """A case untouched for a season is closed by then; a fresh one is still open."""
    status, outcome = state
    age = now - last_activity
    if status != "closed" and age > timedelta(days=120):
        return ("closed", outcome if outcome in ("resolved", "referred") else "resolved")
    if status == "closed" and age < timedelta(days=3) and outcome != "resolved":
        return ("in_progress", "continuing")
    return status, outcome


# --- writing the specs ------------------------------------------------------------


@dataclass
class SeedResult:
    existing: int
    added: int
    cases: int
    clients: int
    follow_ups: int


def seed_demo_cases(*, consortium, target: int, seed: int = 2026, now: datetime | None = None) -> SeedResult:
    """Top the demo consultations of `consortium` up to `target` (see seed_demo --help).

    Rows are written with bulk_create; reference numbers are reserved from
    consult_casecounter exactly like consult.services.case_next_reference
    does (one upsert per desk and fiscal year), so intake later continues
    the sequence without collisions."""
    from consult.models import Consultation

    now = now or timezone.now()
    ctx = _SeedContext.load(consortium)
    specs = consultation_specs(target, seed=seed, now=now, topic_tree=ctx.topic_tree, desk_codes=ctx.desk_codes)
    existing = set(
        Consultation.objects.filter(intake_token__range=DEMO_TOKEN_RANGE).values_list("intake_token", flat=True)
    )
    todo = [s for s in specs if demo_token(s.index) not in existing]
    result = SeedResult(existing=len(existing), added=0, cases=0, clients=0, follow_ups=0)
    if todo:
        with transaction.atomic(), translation.override("ja"):
            _write(ctx, specs, todo, now=now, seed=seed, result=result)
    return result


@dataclass
class _SeedContext:
    desks: dict  # code → Desk
    desk_codes: list[str]  # hub desk first
    staff: dict[int, list[int]]  # desk id → ids of users who work cases there
    topics: dict  # code → Topic
    topic_tree: dict[str, list[str]]
    languages: dict  # code → Language
    statuses: dict[str, int]
    municipalities: list

    @classmethod
    def load(cls, consortium) -> _SeedContext:
        from consult.models import Language, ResidenceStatus, Topic
        from municipalities.models import Desk, Membership, Municipality
        from municipalities.roles import CASE_ROLES

        desks = {
            d.code: d
            for d in Desk.objects.filter(municipality__consortium=consortium, active=True).select_related(
                "municipality"
            )
        }
        hub = [c for c, d in desks.items() if d.is_hub and d.municipality_id == consortium.hub_municipality_id]
        staff: dict[int, list[int]] = defaultdict(list)
        memberships = Membership.objects.active().filter(municipality__consortium=consortium, role__in=CASE_ROLES)
        for m in memberships.order_by("user_id"):
            for desk in desks.values():
                if desk.municipality_id == m.municipality_id:
                    staff[desk.pk].append(m.user_id)
        missing = sorted(code for code, d in desks.items() if not staff[d.pk])
        if missing:
            raise ValueError(f"no case-working staff at desks {missing}: demo staff come first (seed_demo)")
        topics = {t.code: t for t in Topic.objects.active().select_related("parent")}
        tree: dict[str, list[str]] = {}
        for topic in sorted(topics.values(), key=lambda t: t.code):
            if topic.parent_id is None:
                tree.setdefault(topic.code, [])
            elif topic.parent.code in topics:
                tree.setdefault(topic.parent.code, []).append(topic.code)
        return cls(
            desks=desks,
            desk_codes=hub + sorted(set(desks) - set(hub)),
            staff=staff,
            topics=topics,
            topic_tree=tree,
            languages={lang.code: lang for lang in Language.objects.all()},
            statuses={s.code: s.pk for s in ResidenceStatus.objects.all()},
            municipalities=list(Municipality.objects.filter(consortium=consortium).order_by("code")),
        )


def _write(ctx: _SeedContext, specs, todo, *, now, seed: int, result: SeedResult) -> None:
    from consult.models import Case, Client, Consultation, ConsultationTopic, FollowUp

    def rng(kind: str, index: int) -> random.Random:
        """Details of row `index` drawn from their own stream, so a top-up
        writes the same rows as seeding everything at once."""
        return random.Random(f"{seed}:{kind}:{index}")

    # The client of a case is that of the first case in its chain of "same client as".
    root = {}
    for spec in specs:
        if spec.opener == spec.index:
            root[spec.index] = root[spec.same_client_as] if spec.same_client_as is not None else spec.index
    todo_openers = [s for s in todo if s.opener == s.index]
    # Cases written by an earlier run that this run refers to.
    wanted = (
        {s.opener for s in todo}
        | {root[s.index] for s in todo_openers}
        | {s.same_client_as for s in todo_openers if s.same_client_as is not None}
    )
    case_of: dict[int, Case] = {}
    for consultation in Consultation.objects.filter(
        intake_token__in=[demo_token(i) for i in sorted(wanted)]
    ).select_related("case__handling_desk", "case__client"):
        case_of[consultation.intake_token.int - _DEMO_TOKEN_BASE] = consultation.case

    # 1. clients of new cases
    clients: dict[int, Client] = {}
    for spec in todo_openers:
        if spec.person is None or spec.same_client_as is not None:
            continue
        clients[spec.index] = _client(ctx, spec, rng("client", spec.index))
    Client.objects.bulk_create(clients.values())
    result.clients = len(clients)

    # 2. new cases, reference numbers reserved per desk and fiscal year in date order
    last_activity: dict[int, datetime] = {}
    for spec in specs:
        last_activity[spec.opener] = max(last_activity.get(spec.opener, spec.occurred_at), spec.occurred_at)
    groups: dict[tuple[str, int], list[ConsultationSpec]] = defaultdict(list)
    for spec in sorted(todo_openers, key=lambda s: (s.occurred_at, s.index)):
        groups[(spec.desk_code, fiscal_year(spec.occurred_at))].append(spec)
    new_cases: list[Case] = []
    for (desk_code, year), group in groups.items():
        desk = ctx.desks[desk_code]
        last = _reserve_references(desk_id=desk.pk, fiscal_year=year, count=len(group))
        for number, spec in enumerate(group, start=last - len(group) + 1):
            status, outcome = settle_case_state(spec.final_state, last_activity[spec.index], now)
            client = None
            if spec.person is not None:
                first = root[spec.index]
                client = clients.get(first) or (case_of[first].client if first in case_of else None)
            user_id = rng("case", spec.index).choice(ctx.staff[desk.pk])
            case = Case(
                reference=f"{desk.code}-{year}-{number:05d}",
                handling_desk=desk,
                client=client,
                title=ctx.topics[spec.topics[0]].name[:200],
                status=status,
                outcome=outcome,
                closed_at=last_activity[spec.index] if status == "closed" else None,
                is_quick_contact=spec.quick,
                assignee_id=user_id,
                opened_at=spec.occurred_at,
                last_activity_at=last_activity[spec.index],
                created_by_id=user_id,
            )
            case_of[spec.index] = case
            new_cases.append(case)
    Case.objects.bulk_create(new_cases)
    result.cases = len(new_cases)
    Case.earlier_cases.through.objects.bulk_create(
        [
            Case.earlier_cases.through(from_case_id=case_of[s.index].pk, to_case_id=case_of[s.same_client_as].pk)
            for s in todo_openers
            if s.same_client_as is not None and s.same_client_as in case_of
        ],
        ignore_conflicts=True,
    )

    # 3. cases of an earlier run that got another consultation now
    new_ids = {c.pk for c in new_cases}
    for index in sorted({s.opener for s in todo if s.opener != s.index}):
        case = case_of[index]
        if case.pk in new_ids:
            continue
        status, outcome = settle_case_state(specs[index].final_state, last_activity[index], now)
        Case.objects.filter(pk=case.pk).update(
            last_activity_at=last_activity[index],
            status=status,
            outcome=outcome,
            closed_at=last_activity[index] if status == "closed" else None,
        )

    # 4. consultations and their topics
    consultations = [
        Consultation(
            case=case_of[spec.opener],
            desk=case_of[spec.opener].handling_desk,
            occurred_at=spec.occurred_at,
            channel=spec.channel,
            language=ctx.languages[spec.language],
            interpretation_mode=spec.interpretation_mode,
            minutes=spec.minutes,
            notes=spec.notes,
            actions=spec.actions,
            intake_token=demo_token(spec.index),
            created_by_id=case_of[spec.opener].created_by_id,
        )
        for spec in todo
    ]
    Consultation.objects.bulk_create(consultations)
    consultation_snapshots_fill(case_ids=sorted({c.case_id for c in consultations}))
    ConsultationTopic.objects.bulk_create(
        ConsultationTopic(consultation=c, topic=ctx.topics[code])
        for c, spec in zip(consultations, todo, strict=True)
        for code in spec.topics
    )
    # auto_now_add stamped "now": a demo consultation was logged when it happened.
    Consultation.objects.filter(pk__in=[c.pk for c in consultations]).update(created_at=F("occurred_at"))
    consultations_bulk_loaded.send(sender=Consultation, case_ids=sorted({c.case_id for c in consultations}))
    result.added = len(consultations)

    # 5. follow-ups
    follow_ups = []
    for spec in todo_openers:
        if spec.follow_up is None:
            continue
        due, note, status = spec.follow_up
        case = case_of[spec.index]
        follow_ups.append(
            FollowUp(
                case=case,
                due_date=due,
                note=note,
                status=status,
                assignee_id=case.assignee_id,
                completed_at=_office_hours(rng("follow_up", spec.index), due) if status != "open" else None,
                created_by_id=case.created_by_id,
            )
        )
    FollowUp.objects.bulk_create(follow_ups)
    result.follow_ups = len(follow_ups)


def _client(ctx: _SeedContext, spec: ConsultationSpec, rng: random.Random):
    from consult.models import Client

    desk = ctx.desks[spec.desk_code]
    person = spec.person
    client = Client(
        registered_desk=desk,
        name=person.name,
        name_kana=person.name_kana,
        name_latin=person.name_latin,
        birth_year=person.birth_year,
        nationality=person.nationality,
        preferred_language=ctx.languages.get(person.language),
        residence_status_id=ctx.statuses.get(person.residence_status),
        age_band=person.age_band,
        gender=person.gender,
        client_type=person.client_type,
        created_at=spec.occurred_at,
    )
    if person.residence_status and person.residence_status not in PERMANENT_STATUSES:
        client.period_of_stay_expiry = spec.occurred_at.date() + timedelta(days=rng.randint(-60, 3 * 365))
    where = rng.random()
    if where < 0.84:
        client.residence_municipality = desk.municipality
    elif where < 0.93:
        client.residence_municipality = rng.choice(ctx.municipalities)
    else:
        client.lives_outside_area = True
        client.residence_note = rng.choice(OUTSIDE_AREA)
    if rng.random() < 0.15:
        client.email = f"demo-{spec.index}@example.invalid"
    client.refresh_search_fields()  # bulk_create does not call save()
    return client


PERMANENT_STATUSES = frozenset({"permanent", "special_permanent", "japanese_national"})


def _reserve_references(*, desk_id: int, fiscal_year: int, count: int) -> int:
    """Reserve `count` numbers for a desk and fiscal year; returns the last one.
    The same upsert as case_next_reference, moved by `count` at once."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO consult_casecounter (desk_id, fiscal_year, last_number)
            VALUES (%s, %s, %s)
            ON CONFLICT (desk_id, fiscal_year)
            DO UPDATE SET last_number = consult_casecounter.last_number + EXCLUDED.last_number
            RETURNING last_number
            """,
            [desk_id, fiscal_year, count],
        )
        return cursor.fetchone()[0]
