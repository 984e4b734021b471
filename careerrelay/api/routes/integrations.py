"""JSON Resume import and export (the integrations app does the conversion)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Body, Router, Schema
from ninja.responses import Status

from careerrelay.api.auth import actor_of
from careerrelay.api.schemas import problems
from careerrelay.integrations import jsonresume

router = Router()


class ImportedCandidate(Schema):
    id: uuid.UUID
    family_name: str
    given_name: str
    email: str
    phone: str
    current_title: str
    source: str
    created: bool
    matched_by: str


@router.post(
    "/jsonresume",
    response={200: ImportedCandidate, 201: ImportedCandidate, **problems(400, 403, 422)},
    summary="Import one JSON Resume as a candidate (201 new, 200 matched an existing one)",
)
def jsonresume_import(request: HttpRequest, resume: Body[dict[str, Any]]) -> Status[dict[str, Any]]:
    result = jsonresume.jsonresume_import(actor=actor_of(request), resume=resume)
    candidate = result.candidate
    body = {
        "id": candidate.pk,
        "family_name": candidate.family_name,
        "given_name": candidate.given_name,
        "email": candidate.email,
        "phone": candidate.phone,
        "current_title": candidate.current_title,
        "source": candidate.source,
        "created": result.created,
        "matched_by": result.matched_by,
    }
    return Status(201 if result.created else 200, body)


@router.get(
    "/jsonresume/{candidate_id}",
    response={200: dict[str, Any], **problems(404, 422)},
    summary="A candidate as a JSON Resume",
)
def jsonresume_export(request: HttpRequest, candidate_id: uuid.UUID) -> dict[str, Any]:
    return jsonresume.jsonresume_export(org=actor_of(request).org, candidate_id=candidate_id)
