"""Schemas of the candidate pool API: candidates, jobs, applications, evaluations, merges."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import get_language
from ninja import Schema
from pydantic import Field

from careerrelay.api.schemas import PageQuery
from careerrelay.candidates.models import Candidate, RejectionReason
from careerrelay.core.prefectures import BY_CODE


class PrefectureOut(Schema):
    code: str = Field(description="JIS X 0401 code, e.g. 13")
    name_ja: str
    name_en: str


def _prefecture(code: str) -> dict[str, str] | None:
    found = BY_CODE.get(code)
    return {"code": found.code, "name_ja": found.ja, "name_en": found.en} if found else None


def _tags(candidate: Candidate) -> list[str]:
    links = getattr(candidate, "tag_list", None)
    if links is None:
        links = candidate.tag_links.select_related("tag").order_by("tag__code")
    return [link.tag.code for link in links]


class CandidateSummary(Schema):
    id: uuid.UUID
    display_name: str
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    email: str
    prefecture: PrefectureOut | None
    current_title: str
    skills: list[str]
    source: str
    latest_status: str | None = Field(None, description="status of the latest application")
    average_score: Decimal | None = Field(None, description="average overall evaluation score, 1–5")
    tags: list[str]
    created_at: datetime

    @staticmethod
    def resolve_prefecture(obj: Candidate) -> dict[str, str] | None:
        return _prefecture(obj.prefecture)

    @staticmethod
    def resolve_tags(obj: Candidate) -> list[str]:
        return _tags(obj)


class CandidatePage(Schema):
    items: list[CandidateSummary]
    next_cursor: str | None


class CandidateOut(Schema):
    id: uuid.UUID
    display_name: str
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str
    email: str
    phone: str = Field(description="E.164")
    prefecture: PrefectureOut | None
    city: str
    birth_year: int | None
    current_title: str
    current_employer: str
    years_experience: int | None
    skills: list[str]
    languages: list[str]
    desired_roles: list[str]
    desired_locations: list[str]
    desired_salary_min: int | None
    desired_salary_max: int | None
    available_from: date | None
    resume_text: str
    links: list[str]
    source: str
    tags: list[str]
    merged_into: uuid.UUID | None = Field(None, description="set when this record was merged into another")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_prefecture(obj: Candidate) -> dict[str, str] | None:
        return _prefecture(obj.prefecture)

    @staticmethod
    def resolve_tags(obj: Candidate) -> list[str]:
        return _tags(obj)

    @staticmethod
    def resolve_merged_into(obj: Candidate) -> uuid.UUID | None:
        return obj.merged_into_id


class CandidateFields(Schema):
    family_name: str = ""
    given_name: str = ""
    family_name_kana: str = Field("", description="katakana or hiragana")
    given_name_kana: str = ""
    email: str = ""
    phone: str = Field("", description="any Japanese or international format; stored as E.164")
    prefecture: str = Field("", description="code (13) or name (東京都, 東京, Tokyo)")
    city: str = ""
    birth_year: int | None = None
    current_title: str = ""
    current_employer: str = ""
    years_experience: int | None = None
    skills: list[str] = Field(default_factory=list, max_length=200)
    languages: list[str] = Field(default_factory=list, max_length=50)
    desired_roles: list[str] = Field(default_factory=list, max_length=50)
    desired_locations: list[str] = Field(default_factory=list, max_length=50)
    desired_salary_min: int | None = Field(None, ge=0)
    desired_salary_max: int | None = Field(None, ge=0)
    available_from: date | None = None
    resume_text: str = Field("", max_length=200_000)
    links: list[str] = Field(default_factory=list, max_length=50)


class CandidateIn(CandidateFields):
    source: str = Field("api", max_length=40)
    external_system: str = Field("", max_length=40)
    external_id: str = Field("", max_length=200)


class CandidatePatch(Schema):
    """Only the members sent are changed; lists are replaced; "" or null clears a member."""

    family_name: str | None = None
    given_name: str | None = None
    family_name_kana: str | None = None
    given_name_kana: str | None = None
    email: str | None = None
    phone: str | None = None
    prefecture: str | None = None
    city: str | None = None
    birth_year: int | None = None
    current_title: str | None = None
    current_employer: str | None = None
    years_experience: int | None = None
    skills: list[str] | None = None
    languages: list[str] | None = None
    desired_roles: list[str] | None = None
    desired_locations: list[str] | None = None
    desired_salary_min: int | None = Field(None, ge=0)
    desired_salary_max: int | None = Field(None, ge=0)
    available_from: date | None = None
    resume_text: str | None = Field(None, max_length=200_000)
    links: list[str] | None = None

    def changes(self) -> dict[str, Any]:
        values = self.model_dump(exclude_unset=True)
        for name in ("skills", "languages", "desired_roles", "desired_locations", "links"):
            if name in values and values[name] is None:
                values[name] = []
        return values


class CandidateCreated(Schema):
    candidate: CandidateOut
    created: bool = Field(description="false when identity resolution found the person already in the pool")
    matched_by: str = Field(description="the rule that matched: external_id, email, phone, kana_name_birth_year")


class PoolQuery(PageQuery):
    q: str = Field("", max_length=200, description="keywords; every word must match (names in any script, skills…)")
    status: str = Field("", description="status of the latest application: active, offer, hired, rejected, withdrawn")
    reason: str = Field("", description="rejection reason code")
    tag: str = Field("", description="tag code")
    score_min: Decimal | None = Field(None, ge=1, le=5)
    score_max: Decimal | None = Field(None, ge=1, le=5)
    rejected_from: date | None = Field(None, description="first day, Japan time")
    rejected_to: date | None = Field(None, description="last day, Japan time")
    skills: list[str] = Field(default_factory=list, description="repeat for each; all must be present")
    prefecture: str = ""
    rescout: bool | None = Field(None, description="re-scout eligible (the built-in rescout tag)")
    source: str = ""


class JobOut(Schema):
    id: uuid.UUID
    title: str
    department: str
    description: str
    required_skills: list[str]
    preferred_skills: list[str]
    prefecture: PrefectureOut | None
    remote: str
    employment_type: str
    salary_min: int | None
    salary_max: int | None
    headcount: int
    status: str
    opened_at: datetime
    closed_at: datetime | None
    filled_at: datetime | None

    @staticmethod
    def resolve_prefecture(obj: Any) -> dict[str, str] | None:
        return _prefecture(obj.prefecture)


class JobPage(Schema):
    items: list[JobOut]
    next_cursor: str | None


class JobIn(Schema):
    title: str = Field(max_length=200)
    department: str = Field("", max_length=100)
    description: str = ""
    required_skills: list[str] = Field(default_factory=list, max_length=100)
    preferred_skills: list[str] = Field(default_factory=list, max_length=100)
    prefecture: str = ""
    remote: Literal["onsite", "hybrid", "remote"] = "onsite"
    employment_type: Literal["full_time", "contract", "part_time", "temporary", "internship"] = "full_time"
    salary_min: int | None = Field(None, ge=0)
    salary_max: int | None = Field(None, ge=0)
    headcount: int = Field(1, ge=1, le=1000)


class JobQuery(PageQuery):
    status: Literal["open", "closed", "filled"] | None = None


class ReasonOut(Schema):
    id: uuid.UUID
    code: str
    label: str = Field(description="in the language of the request")
    label_ja: str
    label_en: str
    kind: str = Field(description="we_rejected or they_withdrew")

    @staticmethod
    def resolve_label(obj: RejectionReason) -> str:
        return obj.label((get_language() or "ja")[:2])


class ApplicationIn(Schema):
    candidate: CandidateIn
    job_id: uuid.UUID | None = None
    applied_at: datetime | None = None
    external_ref: str = Field("", max_length=100)


class ApplicationOut(Schema):
    id: uuid.UUID
    candidate_id: uuid.UUID
    job_id: uuid.UUID | None
    source: str
    status: str
    stage: str
    applied_at: datetime
    closed_at: datetime | None
    rejection_reason: str | None = Field(None, description="reason code")
    evaluation_summary: str
    rejection_note: str
    rescout_eligible: bool
    is_reapplication: bool
    hire_date: date | None = None
    left_on: date | None = Field(None, description="the day a hired person left the company, if recorded")

    @staticmethod
    def resolve_rejection_reason(obj: Any) -> str | None:
        return obj.rejection_reason.code if obj.rejection_reason_id else None


class LeaveIn(Schema):
    left_on: date | None = Field(description="the day the hired person left (not before the hire date); null clears it")


class RejectIn(Schema):
    reason_id: uuid.UUID = Field(description="one of GET /api/v1/rejection-reasons")
    evaluation_summary: str = Field("", max_length=20_000)
    rescout_eligible: bool = False
    note: str = Field("", max_length=20_000)
    send_rejection_email: bool = True


class EvaluationIn(Schema):
    interviewer: str = Field(max_length=200)
    stage: str = Field(max_length=60)
    scores: dict[str, int] = Field(default_factory=dict, description="criterion → 1–5")
    recommendation: Literal["", "strong_yes", "yes", "no", "strong_no"] = ""
    comment: str = Field("", max_length=20_000)
    at: datetime | None = None


class EvaluationOut(Schema):
    id: uuid.UUID
    application_id: uuid.UUID
    interviewer: str
    stage: str
    scores: dict[str, int]
    overall: Decimal | None
    recommendation: str
    comment: str
    at: datetime


class BulkTagIn(Schema):
    tag: str = Field(description="tag code; rescout is the re-scout eligible flag")
    candidate_ids: list[uuid.UUID] = Field(min_length=1, max_length=500)
    action: Literal["add", "remove"] = "add"


class BulkTagOut(Schema):
    changed: int = Field(description="how many candidates gained or lost the tag")


class DuplicateOut(Schema):
    first: CandidateSummary = Field(description="the older record, proposed as the survivor")
    second: CandidateSummary
    reasons: list[str] = Field(description="same_kana_name, same_name_and_phone, same_name_and_email_domain")


class DismissalIn(Schema):
    first_id: uuid.UUID
    second_id: uuid.UUID


class DismissalOut(Schema):
    id: uuid.UUID
    first_id: uuid.UUID = Field(description="the record with the lower id, whichever order they were given in")
    second_id: uuid.UUID
    created_at: datetime


class MergeIn(Schema):
    survivor_id: uuid.UUID
    merged_id: uuid.UUID


class MergeOut(Schema):
    id: uuid.UUID
    survivor_id: uuid.UUID
    merged_id: uuid.UUID
    status: str = Field(description="pending (can be reverted), confirmed or reverted")
    moved: dict[str, list[str]]
    created_at: datetime
    confirmed_at: datetime | None
