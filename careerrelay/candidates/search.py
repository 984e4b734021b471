"""The text a candidate is found by: names in kanji, katakana and romaji, skills, titles, résumé.

Everything is NFKC-normalised and lower-cased; kana is turned into katakana and romaji (Hepburn)
so that 山田, やまだ, ヤマダ and yamada find the same person.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pykakasi

from careerrelay.core.text import normalize, to_katakana


@lru_cache(maxsize=1)
def _kakasi() -> Any:
    return pykakasi.kakasi()


@lru_cache(maxsize=100_000)
def readings(text: str) -> tuple[str, ...]:
    """Katakana and Hepburn romaji readings of Japanese text ('山田' → ['ヤマダ', 'yamada'])."""
    if not text:
        return ()
    parts = _kakasi().convert(text)
    kana = "".join(part["kana"] for part in parts)
    roman = "".join(part["hepburn"] for part in parts)
    return (kana, roman.lower())


def normalize_query(text: str) -> str:
    return to_katakana(normalize(text)).lower()


def build_search_text(candidate: Any) -> str:
    names = [candidate.family_name, candidate.given_name, candidate.family_name_kana, candidate.given_name_kana]
    name_readings = [reading for name in names if name for reading in readings(name)]
    fields = [
        *names,
        "".join(names[:2]),
        "".join(names[2:]),
        *name_readings,
        candidate.email,
        candidate.current_title,
        candidate.current_employer,
        candidate.city,
        " ".join(map(str, candidate.skills or [])),
        " ".join(map(str, candidate.desired_roles or [])),
        candidate.resume_text,
    ]
    return normalize_query(" ".join(field for field in fields if field))
