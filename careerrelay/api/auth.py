from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security.http import HttpBearer

from careerrelay.core.http import client_ip
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import ApiKey


class ApiKeyAuth(HttpBearer):
    """Accepts the key ApiMiddleware already looked up; the key itself is the auth result."""

    openapi_description = "An org API key: `Authorization: Bearer cr_<prefix>_<secret>`"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return getattr(request, "api_key", None)


def actor_of(request: HttpRequest) -> Actor:
    key: ApiKey = request.auth  # type: ignore[attr-defined]
    return Actor(org=key.org, role=key.role, api_key=key, ip=client_ip(request))
