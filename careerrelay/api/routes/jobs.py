"""Job requisitions and the org's rejection reasons."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from careerrelay.api.auth import actor_of
from careerrelay.api.pool_schemas import JobIn, JobOut, JobPage, JobQuery, ReasonOut
from careerrelay.api.schemas import problems
from careerrelay.candidates import selectors, services
from careerrelay.candidates.models import JobRequisition, RejectionReason
from careerrelay.core.pagination import page, paginate

router = Router()
reasons_router = Router()


@router.get("", response={200: JobPage, **problems(422)}, summary="Job requisitions, newest first")
def jobs_list(request: HttpRequest, params: Query[JobQuery]) -> dict[str, Any]:
    jobs = selectors.jobs_list(org=actor_of(request).org, status=params.status)
    rows, next_cursor = paginate(jobs, cursor=params.cursor, limit=params.limit)
    return page(rows, next_cursor)


@router.post("", response={201: JobOut, **problems(400, 403, 422)}, summary="Open a job requisition")
def jobs_create(request: HttpRequest, payload: JobIn) -> Status[JobRequisition]:
    return Status(201, services.job_create(actor=actor_of(request), **payload.model_dump()))


@router.get("/{job_id}", response={200: JobOut, **problems(404, 422)})
def jobs_detail(request: HttpRequest, job_id: uuid.UUID) -> JobRequisition:
    return selectors.job_get(org=actor_of(request).org, pk=job_id)


@reasons_router.get("", response={200: list[ReasonOut], **problems()}, summary="The org's active rejection reasons")
def reasons_list(request: HttpRequest) -> list[RejectionReason]:
    return list(selectors.reasons_list(org=actor_of(request).org))
