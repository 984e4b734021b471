"""Schemas for consent and messages."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field


class PurposeStateOut(Schema):
    purpose: str
    in_force: bool
    since: datetime | None
    expires_at: datetime | None
    last_kind: str | None


class ConsentEventOut(Schema):
    id: UUID
    purpose: str
    kind: str
    channel: str
    occurred_at: datetime
    expires_at: datetime | None
    policy_version: int | None = Field(None, description="the policy version the person was shown")
    text_hash: str = Field(description="SHA-256 of the exact text shown when consent was given")
    language: str


class ConsentsOut(Schema):
    candidate_id: UUID
    states: list[PurposeStateOut]
    events: list[ConsentEventOut]


class ConsentRecordIn(Schema):
    purpose: str = Field(description="recontact, newsletter, relay_share or disclose:<org id>")
    granted: bool = Field(description="true records a grant, false a withdrawal")
    evidence: str = Field("", max_length=2000, description="where and how the person consented (required for a grant)")
    language: str = Field("ja", description="the language of the text the person was shown: ja or en")


class MessageOut(Schema):
    id: UUID
    candidate_id: UUID
    application_id: UUID | None
    kind: str
    purpose: str
    status: str
    due_at: datetime
    sent_at: datetime | None
    attempts: int
    message_id: str
    subject: str
    language: str
    cancelled_reason: str
    last_error: str


class MessagePage(Schema):
    items: list[MessageOut]
    next_cursor: str | None
