"""Name parts of the synthetic people of demo/people.py (common ones, no real person).

(Latin, katakana) or (kanji, katakana reading, Latin) name parts; a trailing
number is the part's weight.  The katakana is how a Japanese counter would
write the name down.
"""

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
