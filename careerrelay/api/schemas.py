from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import EmailStr, Field

from careerrelay.orgs.models import Membership

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
    status: Literal["active", "invited"]
    user: UserOut
    created_at: datetime
    accepted_at: datetime | None

    @staticmethod
    def resolve_status(obj: Membership) -> str:
        return "invited" if obj.is_pending else "active"

    @staticmethod
    def resolve_user(obj: Membership) -> dict[str, object]:
        """Until the person accepts, the org knows only the address it typed."""
        user = obj.user
        if not obj.is_pending:
            return {field: getattr(user, field) for field in UserOut.model_fields}
        blank = dict.fromkeys(("family_name", "given_name", "family_name_kana", "given_name_kana"), "")
        return {"id": user.id, "email": user.email, "display_name": user.email, **blank}


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
    cursor: str | None = Field(None, pattern=r"^([A-Za-z0-9_-]{22})?$", description="next_cursor of the previous page")
    limit: int = Field(50, ge=1, le=200)


class ProblemError(Schema):
    detail: str
    pointer: str | None = Field(None, description="JSON pointer into the request body, e.g. #/email")
    parameter: str | None = Field(None, description="the query or path parameter at fault")


class ProblemOut(Schema):
    """RFC 9457 problem details (media type application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[ProblemError] | None = None


def problems(*codes: int) -> dict[int, type[ProblemOut]]:
    """Error answers an operation documents; 401 and 429 apply to every operation."""
    return dict.fromkeys(sorted({401, 429, *codes}), ProblemOut)
