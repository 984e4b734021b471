from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from careerrelay.api.auth import actor_of
from careerrelay.api.schemas import AuditEventPage, PageQuery, problems
from careerrelay.core.pagination import page, paginate
from careerrelay.orgs.selectors import audit_events_list

router = Router()


@router.get(
    "", response={200: AuditEventPage, **problems(403, 422)}, summary="The organisation's audit log, newest first"
)
def audit_list(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    actor = actor_of(request)
    actor.require("admin")
    rows, next_cursor = paginate(audit_events_list(org=actor.org), cursor=params.cursor, limit=params.limit)
    return page(rows, next_cursor)
