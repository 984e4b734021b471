"""Schemas of the matching API: a job's ranked matches and stored suggestions, each with why."""

from __future__ import annotations

import uuid
from typing import Any

from ninja import Schema
from pydantic import Field

from careerrelay.api.pool_schemas import PrefectureOut, _prefecture
from careerrelay.matching import taxonomy


class SkillRef(Schema):
    id: str = Field(description="taxonomy id; a skill the taxonomy does not know starts with ~")
    label_ja: str
    label_en: str


def _skills(ids: list[str]) -> list[dict[str, str]]:
    tax = taxonomy.taxonomy()
    return [{"id": s, "label_ja": tax.label(s, "ja"), "label_en": tax.label(s, "en")} for s in ids]


class PartialSkill(Schema):
    skill: SkillRef
    via: SkillRef = Field(description="the related skill of the person that earned partial credit")


class Explanation(Schema):
    matched: list[SkillRef]
    partial: list[PartialSkill]
    missing: list[SkillRef]
    location: str = Field(description="prefecture, region, remote, remote_wish, unspecified or far")
    years: int | None
    stage: str = Field(description="furthest interview stage reached with the org: final, second, first or ''")
    last_activity: str | None
    parts: dict[str, float] = Field(description="each component of the score, 0–1, before weighting")

    @staticmethod
    def resolve_matched(obj: dict[str, Any]) -> list[dict[str, str]]:
        return _skills(obj["matched"])

    @staticmethod
    def resolve_missing(obj: dict[str, Any]) -> list[dict[str, str]]:
        return _skills(obj["missing"])

    @staticmethod
    def resolve_partial(obj: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"skill": _skills([p["skill"]])[0], "via": _skills([p["via"]])[0]} for p in obj["partial"]]


class MatchCandidate(Schema):
    id: uuid.UUID
    display_name: str
    current_title: str
    prefecture: PrefectureOut | None

    @staticmethod
    def resolve_prefecture(obj: Any) -> dict[str, str] | None:
        return _prefecture(obj.prefecture)


class Reason(Schema):
    ja: str
    en: str


class MatchOut(Schema):
    candidate: MatchCandidate
    score: float = Field(description="0–1")
    reason: Reason
    explanation: Explanation


class SuggestionOut(MatchOut):
    origin: str = Field(description="job_opened or other_department")
    from_job_id: uuid.UUID | None = Field(None, description="the job the person was rejected from (other_department)")


class MatchesOut(Schema):
    job_id: uuid.UUID
    items: list[MatchOut] = Field(description="the best matches now, best first")
    suggestions: list[SuggestionOut] = Field(description="stored when the job opened or a rejection pointed here")
