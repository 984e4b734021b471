"""CandidateData: what any entry point (form, API, CSV row, webhook, JSON Resume) knows about a
person, before it is checked and stored. Field names follow the Candidate model."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any


@dataclass
class CandidateData:
    family_name: str = ""
    given_name: str = ""
    family_name_kana: str = ""
    given_name_kana: str = ""
    email: str = ""
    phone: str = ""
    prefecture: str = ""
    city: str = ""
    birth_year: int | None = None
    current_title: str = ""
    current_employer: str = ""
    years_experience: int | None = None
    skills: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    desired_roles: list[str] = field(default_factory=list)
    desired_locations: list[str] = field(default_factory=list)
    desired_salary_min: int | None = None
    desired_salary_max: int | None = None
    available_from: date | None = None
    resume_text: str = ""
    links: list[str] = field(default_factory=list)
    language: str = ""
    # (system, id) in the system the record came from, e.g. ("greenhouse", "12345").
    external_system: str = ""
    external_id: str = ""


LIST_FIELDS = {"skills", "languages", "desired_roles", "desired_locations", "links"}
EXTERNAL_FIELDS = {"external_system", "external_id"}
MODEL_FIELDS = [f.name for f in fields(CandidateData) if f.name not in EXTERNAL_FIELDS]


def apply_data(candidate: Any, data: CandidateData) -> list[str]:
    """Copy what `data` knows onto the candidate; lists are merged, empty values never erase.
    Returns the names of the fields that changed."""
    changed = []
    for name in MODEL_FIELDS:
        incoming = getattr(data, name)
        current = getattr(candidate, name)
        if name in LIST_FIELDS:
            merged = list(dict.fromkeys([*(current or []), *incoming]))
            if merged != (current or []):
                setattr(candidate, name, merged)
                changed.append(name)
        elif incoming not in ("", None) and incoming != current:
            setattr(candidate, name, incoming)
            changed.append(name)
    return changed
