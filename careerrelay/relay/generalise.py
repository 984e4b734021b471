"""k-anonymity for a network's published profiles.

Each profile's quasi-identifiers (age, location, experience, industry) are shown at the most
specific level at which at least k profiles are shown with exactly the same values; a profile
that has no such group even at the coarsest level is held back. Levels, finest first:

  0: 5-year age band, prefecture, experience band, industry
  1: 10-year age band, region, experience band, industry
  2: 10-year age band, region, coarse experience, no industry
  3: no age, region, no experience, no industry

Groups are formed level by level among the profiles not yet placed, so every shown tuple is
shared by at least k shown profiles (the property test checks exactly that).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from careerrelay.core import prefectures
from careerrelay.relay.anonymise import age_band, experience_band, region_of

LEVELS = 4


@dataclass
class Facts:
    key: object
    birth_year: int | None
    prefecture: str
    years_experience: int | None
    industry: str


@dataclass(frozen=True)
class Shown:
    age: str
    location: str
    experience: str
    industry: str
    level: int


def _decade(birth_year: int | None, this_year: int) -> str:
    if birth_year is None:
        return ""
    age = this_year - birth_year
    low = age - age % 10
    return f"{low}–{low + 9}"


def _coarse_experience(years: int | None) -> str:
    if years is None:
        return ""
    return "0–4" if years < 5 else "5–14" if years < 15 else "15+"


def _prefecture_name(code: str) -> str:
    prefecture = prefectures.BY_CODE.get(code)
    return prefecture.ja if prefecture else ""


def shown_at(facts: Facts, level: int, this_year: int) -> Shown:
    if level == 0:
        return Shown(
            age_band(facts.birth_year, this_year),
            _prefecture_name(facts.prefecture),
            experience_band(facts.years_experience),
            facts.industry,
            0,
        )
    if level == 1:
        return Shown(
            _decade(facts.birth_year, this_year),
            region_of(facts.prefecture),
            experience_band(facts.years_experience),
            facts.industry,
            1,
        )
    if level == 2:
        return Shown(
            _decade(facts.birth_year, this_year),
            region_of(facts.prefecture),
            _coarse_experience(facts.years_experience),
            "",
            2,
        )
    return Shown("", region_of(facts.prefecture), "", "", 3)


def generalise(profiles: Sequence[Facts], *, k: int, this_year: int) -> dict[object, Shown | None]:
    """What to show for each profile (by key); None means hold it back."""
    result: dict[object, Shown | None] = {}
    remaining = list(profiles)
    for level in range(LEVELS):
        groups: dict[Shown, list[Facts]] = defaultdict(list)
        for facts in remaining:
            groups[shown_at(facts, level, this_year)].append(facts)
        remaining = []
        for shown, members in groups.items():
            if len(members) >= k:
                for facts in members:
                    result[facts.key] = shown
            else:
                remaining.extend(members)
    for facts in remaining:
        result[facts.key] = None
    return result
