"""Schemas for the Career Relay network. A profile schema carries only what partners may see."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field


class NetworkIn(Schema):
    name: str = Field(max_length=200)
    k: int = Field(5, ge=2, le=50, description="quasi-identifiers are generalised until k profiles share them")
    japan_mode: bool = True
    first_look_days: int = Field(0, ge=0, le=90)
    credits_per_hire: int = Field(1, ge=1, le=10)
    guarantee_days: int = Field(90, ge=0, le=365)
    credit_expiry_months: int = Field(12, ge=1, le=60)


class NetworkOut(Schema):
    id: UUID
    name: str
    operator: str = Field(description="the operator's name")
    operator_licence_number: str
    k: int
    japan_mode: bool
    first_look_days: int
    credits_per_hire: int
    guarantee_days: int
    credit_expiry_months: int


class InviteIn(Schema):
    org_slug: str
    first_look: bool = False


class MemberOut(Schema):
    org_id: UUID
    org_name: str
    status: str
    first_look: bool
    invited_at: datetime
    joined_at: datetime | None


class ShareIn(Schema):
    network_id: UUID
    candidate_id: UUID | None = Field(None, description="one person; leave out with all=true")
    all: bool = Field(False, description="share everyone eligible with relay_share consent")
    preview: bool = Field(False, description="only show what partners would see; nothing is saved")


class ProfileOut(Schema):
    id: UUID
    network_id: UUID
    shared_by: str
    status: str
    age: str
    location: str
    experience: str
    industry: str
    skills: list[str]
    desired_roles: list[str]
    desired_locations: list[str]
    available_from: date | None
    summary: str
    last_title: str
    held_reason: str = ""


class ShareOut(Schema):
    shared: int
    profile: ProfileOut | None = None


class ProfilePage(Schema):
    items: list[ProfileOut]
    next_cursor: str | None


class IntroductionIn(Schema):
    profile_id: UUID
    job_id: UUID
    client_company: str = Field("", max_length=200, description="agencies: the client company asking")
    message: str = Field("", max_length=2000)


class IntroductionOut(Schema):
    id: UUID
    network_id: UUID
    profile_id: UUID
    job_id: UUID
    status: str
    outcome: str
    requested_at: datetime
    expires_at: datetime
    decided_at: datetime | None
    candidate_id: UUID | None = Field(None, description="in your pool once the person said yes")


class IntroductionPage(Schema):
    items: list[IntroductionOut]
    next_cursor: str | None


class OutcomeIn(Schema):
    outcome: str = Field(description="interview, offer, hired or not_hired")


class BalanceOut(Schema):
    network_id: UUID
    network: str
    issuer: str = Field(description="the agency whose slot it is, or empty for network-wide")
    pending: int
    available: int


class EntryOut(Schema):
    network_id: UUID
    kind: str
    bucket: str
    amount: int
    at: datetime
    reason: str


class CreditsOut(Schema):
    balances: list[BalanceOut]
    entries: list[EntryOut]


class RedeemIn(Schema):
    network_id: UUID
    issuer_id: UUID | None = None
    note: str = Field("", max_length=300)
