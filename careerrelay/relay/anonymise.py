"""What a partner company may learn about a person: generalised facts, never identity.

This is the strictest form (region, not prefecture; bands, not numbers). The network's
k-anonymity step (issue 6) may show a prefecture where enough profiles share it; it never shows
more than this module's inputs allow: no name, kana, contact, photo, birth date, city or employer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from careerrelay.candidates.models import Candidate
from careerrelay.core import prefectures

_EXPERIENCE_BANDS = ((0, 2), (3, 4), (5, 9), (10, 14), (15, 19), (20, 70))


@dataclass(frozen=True)
class AnonymousProfile:
    age_band: str  # "30–34", or "" when unknown
    region: str  # 関東, 近畿…, or ""
    experience_band: str  # "5–9", or ""
    skills: list[str]
    desired_roles: list[str]
    available_from: date | None


def age_band(birth_year: int | None, this_year: int) -> str:
    if birth_year is None:
        return ""
    age = this_year - birth_year
    low = age - age % 5
    return f"{low}–{low + 4}"


def experience_band(years: int | None) -> str:
    if years is None:
        return ""
    for low, high in _EXPERIENCE_BANDS:
        if low <= years <= high:
            return f"{low}–{high}" if high < 70 else f"{low}+"
    return ""


def region_of(prefecture_code: str) -> str:
    prefecture = prefectures.BY_CODE.get(prefecture_code)
    return prefecture.region if prefecture else ""


def anonymous_profile(candidate: Candidate, *, this_year: int) -> AnonymousProfile:
    available = candidate.available_from
    return AnonymousProfile(
        age_band=age_band(candidate.birth_year, this_year),
        region=region_of(candidate.prefecture),
        experience_band=experience_band(candidate.years_experience),
        skills=list(candidate.skills),
        desired_roles=list(candidate.desired_roles),
        # Month precision: the exact day would be one more thing to single a person out by.
        available_from=available.replace(day=1) if available else None,
    )
