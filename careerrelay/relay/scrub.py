"""Free text made safe to show a partner: no email, phone, URL, the person's names or employers."""

from __future__ import annotations

import re

from careerrelay.core.text import normalize, to_katakana

HIDDEN = "［非表示］"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# ASCII URL characters only: Japanese text runs straight on after a link, with no space.
_URL = re.compile(r"(https?://|www\.)[A-Za-z0-9._~:/?#@!$&'*+,;=%-]+", re.IGNORECASE)
# Phone numbers as people write them: +81, 0X0-XXXX-XXXX, (03) 1234-5678, 10+ digits with separators.
_PHONE = re.compile(r"(\+?\d[\d\-\s().]{8,}\d)")

# Words that name what kind of company an employer is, to keep the industry without the name.
_INDUSTRY_WORDS = [
    ("銀行", "金融"),
    ("証券", "金融"),
    ("保険", "金融"),
    ("商事", "商社"),
    ("物産", "商社"),
    ("製作所", "製造"),
    ("工業", "製造"),
    ("精機", "製造"),
    ("電機", "製造"),
    ("化学", "製造"),
    ("自動車", "製造"),
    ("システム", "IT"),
    ("ソフト", "IT"),
    ("テック", "IT"),
    ("情報", "IT"),
    ("データ", "IT"),
    ("病院", "医療・介護"),
    ("クリニック", "医療・介護"),
    ("介護", "医療・介護"),
    ("物流", "物流"),
    ("運輸", "物流"),
    ("不動産", "不動産"),
    ("建設", "建設"),
    ("出版", "メディア"),
    ("広告", "メディア"),
    ("放送", "メディア"),
]


def industry_of(employer: str) -> str:
    """A coarse industry from the words in an employer's name ("" when it says nothing)."""
    text = normalize(employer)
    katakana = to_katakana(text)
    for word, industry in _INDUSTRY_WORDS:
        if word in text or word in katakana:
            return industry
    return ""


def scrub(text: str, *, names: list[str]) -> str:
    """Remove contacts, links and the given names (the person's, their employers') from text."""
    text = normalize(text)
    text = _EMAIL.sub(HIDDEN, text)
    text = _URL.sub(HIDDEN, text)
    text = _PHONE.sub(HIDDEN, text)
    for name in sorted({normalize(n) for n in names if n and len(normalize(n)) >= 2}, key=len, reverse=True):
        text = re.sub(re.escape(name), HIDDEN, text, flags=re.IGNORECASE)
    return text
