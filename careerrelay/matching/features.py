"""The feature record the ranker reads: what a person offers, independent of where it comes from.

The own pool builds it from a Candidate with their applications and evaluations
(`candidate_features`); the network's shared profiles (issue 6) can build the same record from
an anonymised profile and go through the same ranker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from careerrelay.core import prefectures
from careerrelay.matching import taxonomy
from careerrelay.matching.tokens import tokens

_REMOTE = "remote"  # what _place answers for remote work (prefecture codes are digits)
REMOTE_WORDS = frozenset({"remote", "リモト", "リモトワク", "在宅", "フルリモト", "テレワク"})

# How far an interview process got, from the stage names recruiters type.
STAGES = (
    ("final", 1.0, re.compile(r"final|最終|役員|offer|内定")),
    ("second", 0.6, re.compile(r"second|2次|二次|2nd")),
    ("first", 0.35, re.compile(r"first|1次|一次|1st|interview|面接")),
    ("screening", 0.1, re.compile(r"screen|書類|applied|応募|適性")),
)


@dataclass(frozen=True)
class FeatureRecord:
    skill_ids: tuple[str, ...] = ()
    free_tags: tuple[str, ...] = ()
    prefecture: str = ""
    region: str = ""
    desired_prefectures: tuple[str, ...] = ()
    remote_ok: bool = False
    years: int | None = None
    title_tokens: frozenset[str] = field(default_factory=frozenset)
    role_tokens: frozenset[str] = field(default_factory=frozenset)
    available_from: date | None = None
    evaluation_strength: float = 0.0
    furthest_stage: str = ""
    last_activity: datetime | None = None


def region_of(code: str) -> str:
    found = prefectures.BY_CODE.get(code)
    return found.region if found else ""


def desired_places(texts: Iterable[Any]) -> tuple[tuple[str, ...], bool]:
    """(prefecture codes, whether remote work is wished) from desired locations as typed."""
    codes: list[str] = []
    remote = False
    for text in texts:
        place = _place(str(text))
        if place == _REMOTE:
            remote = True
        elif place and place not in codes:
            codes.append(place)
    return tuple(codes), remote


@lru_cache(maxsize=5_000)  # a pool's desired locations repeat
def _place(value: str) -> str | None:
    """_REMOTE, a prefecture code, or None for a desired location as typed."""
    if taxonomy.key(value) in REMOTE_WORDS:
        return _REMOTE
    found = prefectures.prefecture_from_text(value)
    return found.code if found else None


@lru_cache(maxsize=5_000)  # stage names come from a short list (applied, rejected, 一次面接 ...)
def stage_depth(stage: str) -> tuple[str, float]:
    text = taxonomy.key(stage)
    for name, depth, pattern in STAGES:
        if pattern.search(text):
            return name, depth
    return "", 0.0


def evaluation_strength(overall_scores: list[float], stages: list[str], strong_yes: bool) -> tuple[float, str]:
    """0–1 from the mean overall score (1–5), the furthest stage reached and a strong yes."""
    furthest, depth = "", 0.0
    for stage in stages:
        name, value = stage_depth(stage)
        if value > depth:
            furthest, depth = name, value
    mean = sum(overall_scores) / len(overall_scores) if overall_scores else None
    score_part = (mean - 1) / 4 if mean is not None else 0.3
    strength = 0.5 * score_part + 0.4 * depth + (0.1 if strong_yes else 0.0)
    return round(min(strength, 1.0), 4), furthest


def build_record(
    *,
    skills: Iterable[Any],
    prefecture: str,
    desired_locations: Iterable[Any],
    years: int | None,
    title: str,
    desired_roles: Iterable[Any],
    available_from: date | None,
    evaluation: tuple[float, str] = (0.0, ""),
    last_activity: datetime | None = None,
) -> FeatureRecord:
    """One record from plain values; what a candidate or a shared profile both have."""
    known, free = taxonomy.skill_terms([str(s) for s in skills])
    desired, remote = desired_places(desired_locations)
    roles = [str(role) for role in desired_roles]
    return FeatureRecord(
        skill_ids=tuple(known),
        free_tags=tuple(free),
        prefecture=prefecture,
        region=region_of(prefecture),
        desired_prefectures=desired,
        remote_ok=remote,
        years=years,
        title_tokens=tokens(title),
        role_tokens=tokens(" ".join(roles)),
        available_from=available_from,
        evaluation_strength=evaluation[0],
        furthest_stage=evaluation[1],
        last_activity=last_activity,
    )
