"""Normalisation of what people type: full-width digits, half-width kana, stray spaces."""

from __future__ import annotations

import unicodedata


def normalize(text: str) -> str:
    """NFKC (full-width ASCII → ASCII, half-width kana → full-width), spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def normalize_email(email: str) -> str:
    """Addresses compare case-insensitively; the local part is kept as typed otherwise."""
    return normalize(email).replace(" ", "").lower()
