"""Normalisation of what people type: full-width digits, half-width kana, stray spaces."""

from __future__ import annotations

import unicodedata


def normalize(text: str) -> str:
    """NFKC (full-width ASCII → ASCII, half-width kana → full-width), spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def normalize_email(email: str) -> str:
    """Addresses compare case-insensitively; the local part is kept as typed otherwise."""
    return normalize(email).replace(" ", "").lower()


_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}


def to_katakana(text: str) -> str:
    """ひらがな → カタカナ, so フリガナ typed either way compares equal."""
    return text.translate(_HIRAGANA_TO_KATAKANA)


def normalize_kana(text: str) -> str:
    """Kana for matching: NFKC (half-width → full-width), katakana, no spaces."""
    return to_katakana(normalize(text)).replace(" ", "")


def fill_placeholders(template: str, **values: str) -> str:
    """Replace {name} placeholders by plain replacement, not str.format: text written by an
    admin may contain braces of its own, and an unknown placeholder stays visible as typed."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template
