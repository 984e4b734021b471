"""Bearer-key authentication, per-key rate limits and Idempotency-Key replay for /api/.

These run around every API operation, so no operation can forget them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from careerrelay.api import idempotency
from careerrelay.core import ratelimit, tenancy
from careerrelay.core.http import client_ip
from careerrelay.core.problems import PROBLEM_CONTENT_TYPE, problem_response
from careerrelay.orgs.selectors import apikey_lookup
from careerrelay.orgs.services import apikey_touch

API_PREFIX = "/api/"
MAX_KEY_LENGTH = 255


def as_problem(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Django's own error answers (405 Method Not Allowed, …) in the API's error format."""
    if response.status_code < 400 or response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE):
        return response
    titles = {405: _("Method not allowed"), 413: _("Request too large"), 415: _("Unsupported media type")}
    problem = problem_response(
        request, status=response.status_code, title=titles.get(response.status_code) or response.reason_phrase
    )
    if response.status_code == 405 and response.has_header("Allow"):
        problem["Allow"] = response["Allow"]
    return problem


def _bad_string(value: str) -> bool:
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: no database can store it
        return True
    return False


def _holds_bad_string(value: Any) -> bool:
    if isinstance(value, str):
        return _bad_string(value)
    if isinstance(value, dict):
        return any(_bad_string(key) or _holds_bad_string(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_bad_string(item) for item in value)
    return False


def _unstorable_text(request: HttpRequest) -> bool:
    """NUL or an unpaired surrogate anywhere in a JSON body or the query: PostgreSQL cannot store
    either, so such a request is refused here, once, rather than failing deep in a service (both
    were found by the API fuzzer). Only JSON bodies are read: uploads stay streamed."""
    query: list[str] = [value for _name, values in request.GET.lists() for value in values]
    if "%00" in request.META.get("QUERY_STRING", "") or any(_bad_string(value) for value in query):
        return True
    if not (request.content_type or "").startswith("application/json"):
        return False
    try:
        body = request.body
    except RequestDataTooBig:
        return False  # answered as too large further on
    if b"\\u" not in body and b"\x00" not in body:
        return False
    try:
        return _holds_bad_string(json.loads(body))
    except ValueError:
        return False  # not JSON: the parser answers that


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        request.api_key = None  # type: ignore[attr-defined]
        header = request.headers.get("Authorization", "")
        if header[:7].lower() == "bearer ":
            # CROSS-ORG: the presented key names its org; nothing else is read before it is known.
            with tenancy.system_scope("an API key is looked up before its org is known"):
                request.api_key = apikey_lookup(header[7:])  # type: ignore[attr-defined]
            if request.api_key is not None:  # type: ignore[attr-defined]
                tenancy.use_org(request.api_key.org_id)  # type: ignore[attr-defined]
        limited = self._rate_limit(request)
        if limited is not None:
            return limited
        if _unstorable_text(request):
            return problem_response(
                request,
                status=422,
                title=_("Invalid text"),
                detail=_("Text may not contain the NUL character or unpaired surrogates."),
                problem_type="invalid-text",
            )
        key = request.api_key  # type: ignore[attr-defined]
        if key is not None:
            apikey_touch(key)
        idempotency_key = request.headers.get("Idempotency-Key")
        if request.method != "POST" or key is None or idempotency_key is None:
            return as_problem(request, self.get_response(request))
        try:
            return as_problem(request, self._idempotent(request, idempotency_key))
        except RequestDataTooBig:  # the fingerprint reads the whole body
            return problem_response(
                request,
                status=413,
                title=_("Request too large"),
                detail=_("A request with an Idempotency-Key can be at most %(size)s bytes; send it without one.")
                % {"size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
                problem_type="request-too-large",
            )

    def _rate_limit(self, request: HttpRequest) -> HttpResponse | None:
        key = request.api_key  # type: ignore[attr-defined]
        bucket = f"api-key:{key.pk}" if key is not None else f"api-anon:{client_ip(request)}"
        decision = ratelimit.hit(
            bucket,
            limit=settings.CAREERRELAY_API_RATE_LIMIT,
            window_seconds=settings.CAREERRELAY_API_RATE_WINDOW_SECONDS,
        )
        if decision.allowed:
            return None
        return problem_response(
            request,
            status=429,
            title=_("Too many requests"),
            detail=_("This API key made more than %(limit)s requests in %(window)s seconds.")
            % {"limit": decision.limit, "window": settings.CAREERRELAY_API_RATE_WINDOW_SECONDS},
            problem_type="rate-limited",
            headers={"Retry-After": str(decision.retry_after)},
        )

    def _idempotent(self, request: HttpRequest, idempotency_key: str) -> HttpResponse:
        key = request.api_key  # type: ignore[attr-defined]
        if not 0 < len(idempotency_key) <= MAX_KEY_LENGTH or not idempotency_key.isprintable():
            return problem_response(
                request,
                status=400,
                title=_("Invalid Idempotency-Key"),
                detail=_("The Idempotency-Key header must be 1 to 255 printable characters."),
                problem_type="invalid-idempotency-key",
            )
        request_fingerprint = idempotency.fingerprint(
            api_key_id=key.pk, method=request.method or "POST", path=request.get_full_path(), body=request.body
        )
        try:
            replay = idempotency.begin(org=key.org, key=idempotency_key, request_fingerprint=request_fingerprint)
        except idempotency.KeyReusedWithDifferentRequest:
            return problem_response(
                request,
                status=422,
                title=_("Idempotency-Key reused"),
                detail=_("This Idempotency-Key was already used with a different request."),
                problem_type="idempotency-key-reused",
            )
        except idempotency.KeyInProgress:
            return problem_response(
                request,
                status=409,
                title=_("Request in progress"),
                detail=_("A request with this Idempotency-Key is still being processed; retry shortly."),
                problem_type="idempotency-key-in-progress",
                headers={"Retry-After": "1"},
            )
        if replay is not None:
            response = HttpResponse(replay.body, status=replay.status_code, content_type=replay.content_type)
            response["Idempotent-Replayed"] = "true"
            return response
        try:
            response = self.get_response(request)
        except BaseException:
            idempotency.finish(org=key.org, key=idempotency_key, status_code=500, content_type="", body=b"")
            raise
        idempotency.finish(
            org=key.org,
            key=idempotency_key,
            status_code=response.status_code,
            content_type=response.get("Content-Type", ""),
            body=response.content,
        )
        return response
