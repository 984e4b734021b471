"""Finding a person's identifying values in free text and JSON, for erasure.

`person_terms(candidate)` lists what identifies the person in text others wrote about them: the
email address, the phone number (E.164 and as dialled in Japan), the full name in kanji and kana
(with and without a space) and each name part of two characters or more. A one-character name
part (林, 森) alone is not searched for in other people's text: it would blank unrelated words;
the person's own rows are emptied whatever they contain.

Apps above consent use these helpers in their `on_erasure` hooks.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.db.models import Q

from careerrelay.candidates.models import Candidate

ERASED = "[erased]"


def person_terms(candidate: Candidate) -> list[str]:
    family, given = candidate.family_name.strip(), candidate.given_name.strip()
    family_kana, given_kana = candidate.family_name_kana.strip(), candidate.given_name_kana.strip()
    terms = [candidate.email.strip(), candidate.phone.strip()]
    if candidate.phone.startswith("+81"):
        terms.append("0" + candidate.phone.removeprefix("+81"))
    for first, second in ((family, given), (family_kana, given_kana), (given, family)):
        if first and second:
            terms += [f"{first} {second}", f"{first}\u3000{second}", f"{first}{second}"]
    terms += [part for part in (family, given, family_kana, given_kana) if len(part) >= 2]
    # Longest first, so that a full name is replaced before its parts.
    return sorted({term for term in terms if term}, key=len, reverse=True)


def _forms(term: str) -> list[str]:
    """The term as typed and as JSON writes it with ASCII escapes (how SQLite stores JSON)."""
    escaped = json.dumps(term)[1:-1]
    return [term] if escaped == term else [term, escaped]


def mentions(text: str, terms: list[str]) -> bool:
    return any(re.search(re.escape(form), text, flags=re.IGNORECASE) for term in terms for form in _forms(term))


def scrub_text(text: str, terms: list[str]) -> str:
    """`text` with every occurrence of a term (case-insensitive) replaced by [erased]."""
    for term in terms:
        for form in _forms(term):
            text = re.sub(re.escape(form), ERASED, text, flags=re.IGNORECASE)
    return text


def scrub_json(value: Any, terms: list[str]) -> Any:
    """A JSON value with every string (keys too) scrubbed."""
    if isinstance(value, str):
        return scrub_text(value, terms)
    if isinstance(value, list):
        return [scrub_json(item, terms) for item in value]
    if isinstance(value, dict):
        return {scrub_text(str(key), terms): scrub_json(item, terms) for key, item in value.items()}
    return value


def text_mentions_q(field: str, terms: list[str]) -> Q:
    """A filter for rows whose text (or JSON, as stored) in `field` may contain a term; the
    caller checks each row again in Python with `mentions`."""
    query = Q(pk__in=[])
    for term in terms:
        for form in _forms(term):
            query |= Q(**{f"{field}__icontains": form})
    return query
