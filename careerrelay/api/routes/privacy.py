"""Privacy requests on the org's people (admins): erasure, and the person's data download."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from careerrelay.api.auth import actor_of
from careerrelay.api.schemas import problems
from careerrelay.consent.erasure import candidate_erasure_request
from careerrelay.consent.export import candidate_personal_data
from careerrelay.consent.models import ErasureRequest

router = Router()


class ErasureRequestOut(Schema):
    id: uuid.UUID
    candidate_id: uuid.UUID
    channel: str
    status: str
    requested_by: str
    requested_at: datetime
    completed_at: datetime | None


@router.post(
    "/{candidate_id}/erasure",
    response={202: ErasureRequestOut, **problems(403, 404, 422)},
    summary="Erase a person's data (admins); the worker carries the request out shortly",
)
def candidates_erasure(request: HttpRequest, candidate_id: uuid.UUID) -> Status[ErasureRequest]:
    return Status(202, candidate_erasure_request(actor=actor_of(request), candidate_id=candidate_id))


@router.get(
    "/{candidate_id}/personal-data",
    response={200: dict[str, Any], **problems(403, 404, 422)},
    summary="Everything the org holds about a person, as JSON (admins; audited)",
)
def candidates_personal_data(request: HttpRequest, candidate_id: uuid.UUID) -> dict[str, Any]:
    return candidate_personal_data(actor=actor_of(request), candidate_id=candidate_id)
