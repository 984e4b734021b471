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
    """The names (as typed, run together, and their readings), email, title, employer, city,
    skills, desired roles and résumé, normalised as a query is.

    Normalised piece by piece, each piece once per distinct value (names, titles, employers,
    cities and skill lists repeat across a pool; a bulk import builds thousands of these): the
    pieces are joined by spaces, and NFKC, the space collapsing, katakana and lower-casing all
    act within space-separated words, so this equals normalising the whole text at once
    (tests/test_search_text.py checks it against that)."""
    pieces = (
        _names_text(candidate.family_name, candidate.given_name, candidate.family_name_kana, candidate.given_name_kana),
        normalize_query(candidate.email) if candidate.email else "",
        _repeated_text(candidate.current_title),
        _repeated_text(candidate.current_employer),
        _repeated_text(candidate.city),
        _repeated_text(" ".join(map(str, candidate.skills or []))),
        _repeated_text(" ".join(map(str, candidate.desired_roles or []))),
        normalize_query(candidate.resume_text) if candidate.resume_text else "",
    )
    return " ".join(piece for piece in pieces if piece)


def _names_text(family: str, given: str, family_kana: str, given_kana: str) -> str:
    """The names, the full name and full kana run together, then each name's readings."""
    names = (family, given, family_kana, given_kana)
    pieces = [
        *map(_repeated_text, names),
        normalize_query(family + given),  # normalised as one word: NFKC may join across the seam
        normalize_query(family_kana + given_kana),
        *(_readings_text(name) for name in names if name),
    ]
    return " ".join(piece for piece in pieces if piece)


@lru_cache(maxsize=20_000)
def _readings_text(name: str) -> str:
    return normalize_query(" ".join(readings(name)))


_REPEATED_MAX = 200  # longer texts are rarely shared: normalised without being remembered


def _repeated_text(text: str) -> str:
    if not text:
        return ""
    if len(text) > _REPEATED_MAX:
        return normalize_query(text)
    return _remembered_text(text)


@lru_cache(maxsize=20_000)
def _remembered_text(text: str) -> str:
    return normalize_query(text)
