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
