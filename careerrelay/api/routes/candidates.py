"""The candidate pool: list with filters and search, create (with identity resolution), read,
edit, bulk tag."""

from __future__ import annotations

import uuid
from dataclasses import fields
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from careerrelay.api.auth import actor_of
from careerrelay.api.pool_schemas import (
    BulkTagIn,
    BulkTagOut,
    CandidateCreated,
    CandidateIn,
    CandidateOut,
    CandidatePage,
    CandidatePatch,
    PoolQuery,
)
from careerrelay.api.schemas import problems
from careerrelay.candidates import selectors, services
from careerrelay.candidates.data import CandidateData
from careerrelay.candidates.editing import candidate_update
from careerrelay.candidates.models import Candidate
from careerrelay.candidates.pool import PoolFilters, pool_summaries
from careerrelay.core.pagination import page, paginate

router = Router()

_FILTER_NAMES = [f.name for f in fields(PoolFilters)]


def candidate_data(payload: CandidateIn) -> CandidateData:
    values = payload.model_dump(exclude={"source"})
    return CandidateData(**values)


@router.get("", response={200: CandidatePage, **problems(422)}, summary="The pool, filtered and searched")
def candidates_list(request: HttpRequest, params: Query[PoolQuery]) -> dict[str, Any]:
    filters = PoolFilters(**{name: getattr(params, name) for name in _FILTER_NAMES})
    pool = pool_summaries(org=actor_of(request).org, filters=filters)
    rows, next_cursor = paginate(pool, cursor=params.cursor, limit=params.limit)
    return page(rows, next_cursor)


@router.post(
    "/bulk-tag",
    response={200: BulkTagOut, **problems(403, 404, 422)},
    summary="Add or remove a tag on many candidates (the rescout tag is the re-scout flag)",
)
def candidates_bulk_tag(request: HttpRequest, payload: BulkTagIn) -> dict[str, int]:
    changed = services.tags_set(
        actor=actor_of(request),
        candidate_ids=list(payload.candidate_ids),
        tag_code=payload.tag,
        present=payload.action == "add",
    )
    return {"changed": changed}


@router.post(
    "",
    response={201: CandidateCreated, 200: CandidateCreated, **problems(400, 403, 422)},
    summary="Add a person to the pool; a known person (same email, phone, kana name + birth year) is updated",
)
def candidates_create(request: HttpRequest, payload: CandidateIn) -> Status[dict[str, Any]]:
    result = services.candidate_upsert(actor=actor_of(request), data=candidate_data(payload), source=payload.source)
    body = {"candidate": result.candidate, "created": result.created, "matched_by": result.matched_by}
    return Status(201 if result.created else 200, body)


@router.get("/{candidate_id}", response={200: CandidateOut, **problems(404, 422)})
def candidates_detail(request: HttpRequest, candidate_id: uuid.UUID) -> Candidate:
    return selectors.candidate_get(org=actor_of(request).org, pk=candidate_id)


@router.patch(
    "/{candidate_id}",
    response={200: CandidateOut, **problems(400, 403, 404, 409, 422)},
    summary="Change a candidate's profile",
)
def candidates_update(request: HttpRequest, candidate_id: uuid.UUID, payload: CandidatePatch) -> Candidate:
    return candidate_update(actor=actor_of(request), candidate_id=candidate_id, changes=payload.changes())
