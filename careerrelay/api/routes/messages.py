"""The outbox: planned, sent, retrying, failed, uncertain and cancelled messages."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from careerrelay.api.auth import actor_of
from careerrelay.api.consent_schemas import MessagePage
from careerrelay.api.schemas import problems
from careerrelay.core.pagination import MAX_LIMIT, page, paginate
from careerrelay.outreach.models import ScheduledMessage
from careerrelay.outreach.selectors import messages_list

router = Router()


class MessageQuery(Schema):
    candidate: UUID | None = Field(None, description="only this person's messages")
    status: ScheduledMessage.Status | None = None
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=MAX_LIMIT)


@router.get("", response={200: MessagePage, **problems(404, 422)}, summary="Outbox and sent messages")
def messages_get(request: HttpRequest, params: Query[MessageQuery]) -> dict[str, Any]:
    messages = messages_list(
        org=actor_of(request).org, candidate_id=params.candidate, status=params.status.value if params.status else ""
    )
    rows, next_cursor = paginate(messages, cursor=params.cursor, limit=params.limit)
    return page(rows, next_cursor)
