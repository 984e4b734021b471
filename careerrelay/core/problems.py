"""RFC 9457 problem details: every API error is `application/problem+json`."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "tag:careerrelay.jp,2026:problem:"


def problem_response(
    request: HttpRequest | None,
    *,
    status: int,
    title: str,
    detail: str = "",
    problem_type: str | None = None,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + problem_type if problem_type else "about:blank",
        "title": str(title),
        "status": status,
    }
    if detail:
        body["detail"] = str(detail)
    if request is not None:
        body["instance"] = request.path
    body.update(extensions)
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


STORAGE_FULL_RETRY_AFTER = "60"


def storage_full_problem(request: HttpRequest | None) -> HttpResponse:
    """503 for a write the database refused because its disk is full (the API's handler and the
    pages' middleware both answer it, for API errors Django's middleware never sees)."""
    from django.utils.translation import gettext as _

    return problem_response(
        request,
        status=503,
        title=_("Storage full"),
        detail=_("The server's storage is full, so nothing was saved. Try again later."),
        problem_type="storage-full",
        headers={"Retry-After": STORAGE_FULL_RETRY_AFTER},
    )
