from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from careerrelay.api.auth import actor_of
from careerrelay.api.schemas import OrgOut, problems
from careerrelay.orgs.models import Organization

router = Router()


@router.get("", response={200: OrgOut, **problems()}, summary="The organisation this API key belongs to")
def org_detail(request: HttpRequest) -> Organization:
    return actor_of(request).org
