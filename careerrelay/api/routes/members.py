from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from careerrelay.api.auth import actor_of
from careerrelay.api.schemas import (
    ApiKeyOut,
    ApiKeyPage,
    MemberIn,
    MemberOut,
    MemberPage,
    MemberPatch,
    PageQuery,
    problems,
)
from careerrelay.core.pagination import page, paginate
from careerrelay.orgs import selectors, services
from careerrelay.orgs.models import ApiKey, Membership

router = Router()
apikeys_router = Router()


@router.get("", response={200: MemberPage, **problems(422)}, summary="Members of the organisation")
def members_list(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    org = actor_of(request).org
    rows, next_cursor = paginate(selectors.members_list(org=org), cursor=params.cursor, limit=params.limit)
    return page(rows, next_cursor)


@router.post(
    "",
    response={201: MemberOut, **problems(400, 403, 409, 422)},
    summary="Add a member (new addresses get an invitation)",
)
def members_add(request: HttpRequest, payload: MemberIn) -> Status[Membership]:
    return Status(201, services.membership_add(actor=actor_of(request), email=payload.email, role=payload.role))


@router.get("/{member_id}", response={200: MemberOut, **problems(404, 422)})
def members_detail(request: HttpRequest, member_id: uuid.UUID) -> Membership:
    return selectors.member_get(org=actor_of(request).org, pk=member_id)


@router.patch(
    "/{member_id}", response={200: MemberOut, **problems(400, 403, 404, 409, 422)}, summary="Change a member's role"
)
def members_update(request: HttpRequest, member_id: uuid.UUID, payload: MemberPatch) -> Membership:
    return services.membership_change_role(actor=actor_of(request), membership_id=member_id, role=payload.role)


@router.delete("/{member_id}", response={204: None, **problems(403, 404, 409, 422)}, summary="Remove a member")
def members_remove(request: HttpRequest, member_id: uuid.UUID) -> Status[None]:
    services.membership_remove(actor=actor_of(request), membership_id=member_id)
    return Status(204, None)


@apikeys_router.get(
    "", response={200: ApiKeyPage, **problems(422)}, summary="API keys of the organisation (secrets are never shown)"
)
def apikeys_list(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    org = actor_of(request).org
    rows, next_cursor = paginate(selectors.apikeys_list(org=org), cursor=params.cursor, limit=params.limit)
    return page(rows, next_cursor)


@apikeys_router.get("/{key_id}", response={200: ApiKeyOut, **problems(404, 422)})
def apikeys_detail(request: HttpRequest, key_id: uuid.UUID) -> ApiKey:
    return selectors.apikey_get(org=actor_of(request).org, pk=key_id)


@apikeys_router.post(
    "/{key_id}/revoke", response={200: ApiKeyOut, **problems(403, 404, 409, 422)}, summary="Revoke an API key at once"
)
def apikeys_revoke(request: HttpRequest, key_id: uuid.UUID) -> ApiKey:
    return services.apikey_revoke(actor=actor_of(request), key_id=key_id)
