"""Japan's 47 prefectures (JIS X 0401 codes) and the regions they are grouped in."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from careerrelay.core.text import normalize


@dataclass(frozen=True)
class Prefecture:
    code: str
    ja: str
    en: str
    region: str  # ja name of the region


_DATA = [
    ("01", "北海道", "Hokkaido", "北海道"),
    ("02", "青森県", "Aomori", "東北"),
    ("03", "岩手県", "Iwate", "東北"),
    ("04", "宮城県", "Miyagi", "東北"),
    ("05", "秋田県", "Akita", "東北"),
    ("06", "山形県", "Yamagata", "東北"),
    ("07", "福島県", "Fukushima", "東北"),
    ("08", "茨城県", "Ibaraki", "関東"),
    ("09", "栃木県", "Tochigi", "関東"),
    ("10", "群馬県", "Gunma", "関東"),
    ("11", "埼玉県", "Saitama", "関東"),
    ("12", "千葉県", "Chiba", "関東"),
    ("13", "東京都", "Tokyo", "関東"),
    ("14", "神奈川県", "Kanagawa", "関東"),
    ("15", "新潟県", "Niigata", "中部"),
    ("16", "富山県", "Toyama", "中部"),
    ("17", "石川県", "Ishikawa", "中部"),
    ("18", "福井県", "Fukui", "中部"),
    ("19", "山梨県", "Yamanashi", "中部"),
    ("20", "長野県", "Nagano", "中部"),
    ("21", "岐阜県", "Gifu", "中部"),
    ("22", "静岡県", "Shizuoka", "中部"),
    ("23", "愛知県", "Aichi", "中部"),
    ("24", "三重県", "Mie", "近畿"),
    ("25", "滋賀県", "Shiga", "近畿"),
    ("26", "京都府", "Kyoto", "近畿"),
    ("27", "大阪府", "Osaka", "近畿"),
    ("28", "兵庫県", "Hyogo", "近畿"),
    ("29", "奈良県", "Nara", "近畿"),
    ("30", "和歌山県", "Wakayama", "近畿"),
    ("31", "鳥取県", "Tottori", "中国"),
    ("32", "島根県", "Shimane", "中国"),
    ("33", "岡山県", "Okayama", "中国"),
    ("34", "広島県", "Hiroshima", "中国"),
    ("35", "山口県", "Yamaguchi", "中国"),
    ("36", "徳島県", "Tokushima", "四国"),
    ("37", "香川県", "Kagawa", "四国"),
    ("38", "愛媛県", "Ehime", "四国"),
    ("39", "高知県", "Kochi", "四国"),
    ("40", "福岡県", "Fukuoka", "九州・沖縄"),
    ("41", "佐賀県", "Saga", "九州・沖縄"),
    ("42", "長崎県", "Nagasaki", "九州・沖縄"),
    ("43", "熊本県", "Kumamoto", "九州・沖縄"),
    ("44", "大分県", "Oita", "九州・沖縄"),
    ("45", "宮崎県", "Miyazaki", "九州・沖縄"),
    ("46", "鹿児島県", "Kagoshima", "九州・沖縄"),
    ("47", "沖縄県", "Okinawa", "九州・沖縄"),
]

PREFECTURES = [Prefecture(*row) for row in _DATA]
BY_CODE = {p.code: p for p in PREFECTURES}
CHOICES = [(p.code, p.ja) for p in PREFECTURES]


def label(code: str, language: str) -> str:
    """A prefecture code in a language (東京都 / Tokyo); "" for an unknown code."""
    found = BY_CODE.get(code)
    if found is None:
        return ""
    return found.en if language.startswith("en") else found.ja


def _keys(prefecture: Prefecture) -> set[str]:
    short = prefecture.ja if prefecture.ja == "北海道" else prefecture.ja[:-1]
    english = prefecture.en.lower()
    return {
        prefecture.code,
        prefecture.code.lstrip("0"),
        prefecture.ja,
        short,
        english,
        f"{english}-ken",
        f"{english} prefecture",
        f"{english}-to",
        f"{english}-fu",
        f"{english}-do",
    }


_LOOKUP = {key: p for p in PREFECTURES for key in _keys(p)}


@lru_cache(maxsize=4096)  # a few spellings per prefecture recur on every row of an import; the answer is immutable
def prefecture_from_text(text: str) -> Prefecture | None:
    """'東京都', '東京', 'Tokyo', '13', '１３' → 東京都; None when it names no prefecture."""
    key = normalize(text).lower()
    return _LOOKUP.get(key)
