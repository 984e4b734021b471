from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import EmailStr, Field

RoleName = Literal["admin", "recruiter", "viewer"]


class OrgOut(Schema):
    id: uuid.UUID
    slug: str
    name: str
    name_en: str
    kind: str
    placement_licence_number: str
    default_language: str
    timezone: str


class UserOut(Schema):
    id: uuid.UUID
    email: str
    display_name: str
    family_name: str
    given_name: str
    family_name_kana: str
    given_name_kana: str


class MemberOut(Schema):
    id: uuid.UUID
    role: str
    user: UserOut
    created_at: datetime


class MemberIn(Schema):
    email: EmailStr
    role: RoleName = "recruiter"


class MemberPatch(Schema):
    role: RoleName


class MemberPage(Schema):
    items: list[MemberOut]
    next_cursor: str | None


class ApiKeyOut(Schema):
    id: uuid.UUID
    name: str
    prefix: str
    role: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyPage(Schema):
    items: list[ApiKeyOut]
    next_cursor: str | None


class AuditEventOut(Schema):
    id: uuid.UUID
    at: datetime
    action: str
    actor_label: str
    object_type: str
    object_id: str
    object_label: str
    ip_address: str | None
    details: dict[str, object]


class AuditEventPage(Schema):
    items: list[AuditEventOut]
    next_cursor: str | None


class PageQuery(Schema):
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=200)
