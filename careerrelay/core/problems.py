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
