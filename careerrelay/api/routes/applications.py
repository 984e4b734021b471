"""Applications: record one (identity resolution marks re-applications), reject, evaluate, leave date."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from careerrelay.api.auth import actor_of
from careerrelay.api.pool_schemas import (
    ApplicationIn,
    ApplicationOut,
    EvaluationIn,
    EvaluationOut,
    LeaveIn,
    RejectIn,
)
from careerrelay.api.routes.candidates import candidate_data
from careerrelay.api.schemas import problems
from careerrelay.candidates import services
from careerrelay.candidates.application_status import application_set_left_on
from careerrelay.candidates.models import Application, Evaluation
from careerrelay.core.errors import DomainValidationError

router = Router()


@router.post(
    "",
    response={201: ApplicationOut, **problems(400, 403, 404, 422)},
    summary="Record an application; a known person's is attached to them and marked as a re-application",
)
def applications_create(request: HttpRequest, payload: ApplicationIn) -> Status[Application]:
    try:
        application = services.application_record(
            actor=actor_of(request),
            data=candidate_data(payload.candidate),
            source=payload.candidate.source,
            job_id=payload.job_id,
            applied_at=payload.applied_at,
            external_ref=payload.external_ref,
        )
    except DomainValidationError as exc:  # the candidate's fields sit inside "candidate"
        raise DomainValidationError(exc.message, field=f"candidate/{exc.field}" if exc.field else None) from exc
    return Status(201, application)


@router.post(
    "/{application_id}/reject",
    response={200: ApplicationOut, **problems(400, 403, 404, 409, 422)},
    summary="Reject (or record a withdrawal) with the reason, evaluation summary and re-scout decision",
)
def applications_reject(request: HttpRequest, application_id: uuid.UUID, payload: RejectIn) -> Application:
    return services.candidate_reject(actor=actor_of(request), application_id=application_id, **payload.model_dump())


@router.post(
    "/{application_id}/evaluations",
    response={201: EvaluationOut, **problems(400, 403, 404, 422)},
    summary="Add an interview evaluation (scores 1–5 per criterion)",
)
def applications_evaluate(request: HttpRequest, application_id: uuid.UUID, payload: EvaluationIn) -> Status[Evaluation]:
    evaluation = services.evaluation_add(actor=actor_of(request), application_id=application_id, **payload.model_dump())
    return Status(201, evaluation)


@router.post(
    "/{application_id}/leave",
    response={200: ApplicationOut, **problems(400, 403, 404, 409, 422)},
    summary="Record or clear the day a hired person left (first-year attrition)",
)
def applications_leave(request: HttpRequest, application_id: uuid.UUID, payload: LeaveIn) -> Application:
    return application_set_left_on(actor=actor_of(request), application_id=application_id, left_on=payload.left_on)
