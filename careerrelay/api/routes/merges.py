"""Probable duplicates and merges (reversible until confirmed)."""

from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from careerrelay.api.auth import actor_of
from careerrelay.api.pool_schemas import DismissalIn, DismissalOut, DuplicateOut, MergeIn, MergeOut
from careerrelay.api.schemas import problems
from careerrelay.candidates import merging
from careerrelay.candidates.merging import DuplicatePair
from careerrelay.candidates.models import DuplicateDismissal, MergeRecord

duplicates_router = Router()
router = Router()


@duplicates_router.get(
    "", response={200: list[DuplicateOut], **problems()}, summary="Pairs of records that are probably one person"
)
def duplicates_list(request: HttpRequest) -> list[DuplicatePair]:
    return merging.duplicates_list(org=actor_of(request).org)


@duplicates_router.post(
    "/dismissals",
    response={201: DismissalOut, **problems(400, 403, 404, 422)},
    summary="Two records are different people: stop proposing the pair",
)
def duplicates_dismiss(request: HttpRequest, payload: DismissalIn) -> Status[DuplicateDismissal]:
    dismissal = merging.duplicate_dismiss(
        actor=actor_of(request), first_id=payload.first_id, second_id=payload.second_id
    )
    return Status(201, dismissal)


@router.post(
    "",
    response={201: MergeOut, **problems(400, 403, 404, 409, 422)},
    summary="Merge one record into another (reversible until confirmed)",
)
def merges_create(request: HttpRequest, payload: MergeIn) -> Status[MergeRecord]:
    merge = merging.candidates_merge(
        actor=actor_of(request), survivor_id=payload.survivor_id, merged_id=payload.merged_id
    )
    return Status(201, merge)


@router.post("/{merge_id}/revert", response={200: MergeOut, **problems(403, 404, 409, 422)}, summary="Undo a merge")
def merges_revert(request: HttpRequest, merge_id: uuid.UUID) -> MergeRecord:
    return merging.merge_revert(actor=actor_of(request), merge_id=merge_id)


@router.post(
    "/{merge_id}/confirm", response={200: MergeOut, **problems(403, 404, 409, 422)}, summary="Make a merge final"
)
def merges_confirm(request: HttpRequest, merge_id: uuid.UUID) -> MergeRecord:
    return merging.merge_confirm(actor=actor_of(request), merge_id=merge_id)
