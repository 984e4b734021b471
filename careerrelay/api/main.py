"""The REST API at /api/v1: django-ninja, Bearer API keys, problem+json errors."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from careerrelay.api.auth import ApiKeyAuth
from careerrelay.api.routes import (
    applications,
    audit,
    candidates,
    consents,
    imports,
    integrations,
    jobs,
    matches,
    members,
    merges,
    messages,
    metrics,
    newsletters,
    org,
    privacy,
    relay,
)
from careerrelay.api.validation_messages import localized_message
from careerrelay.core.errors import Conflict, DomainValidationError, PermissionDenied, RateLimited, is_storage_full
from careerrelay.core.problems import PROBLEM_CONTENT_TYPE, problem_response, storage_full_problem
from careerrelay.integrations.jsonresume import JsonResumeInvalid


class CareerRelayAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        """Error answers are documented as application/problem+json, which is what they are."""
        schema = super().get_openapi_schema(**kwargs)
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
        return schema


api = CareerRelayAPI(
    title="Career Relay API",
    version="1",
    description=(
        "Career Relay keeps rejected candidates, with their consent, and relays them to partners. "
        "Authenticate with `Authorization: Bearer <api key>`. Errors are RFC 9457 problem details. "
        "POST requests honour `Idempotency-Key` for 24 hours. Lists use cursor pagination."
    ),
    auth=ApiKeyAuth(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)

api.add_router("/org", org.router, tags=["organisation"])
api.add_router("/members", members.router, tags=["members"])
api.add_router("/api-keys", members.apikeys_router, tags=["api keys"])
api.add_router("/audit-events", audit.router, tags=["audit"])
api.add_router("/candidates", candidates.router, tags=["candidates"])
api.add_router("/candidates", privacy.router, tags=["privacy"])
api.add_router("/candidates", consents.router, tags=["consent"])
api.add_router("/messages", messages.router, tags=["messages"])
api.add_router("/newsletters", newsletters.router, tags=["newsletters"])
api.add_router("/relay", relay.router, tags=["relay"])
api.add_router("/metrics", metrics.router, tags=["metrics"])
api.add_router("/jobs", jobs.router, tags=["jobs"])
api.add_router("/jobs", matches.router, tags=["matching"])
api.add_router("/rejection-reasons", jobs.reasons_router, tags=["jobs"])
api.add_router("/applications", applications.router, tags=["applications"])
api.add_router("/duplicates", merges.duplicates_router, tags=["duplicates"])
api.add_router("/merges", merges.router, tags=["duplicates"])
api.add_router("/integrations", integrations.router, tags=["integrations"])
api.add_router("/imports", imports.router, tags=["imports"])
api.add_router("/exports", imports.exports_router, tags=["imports"])


def _pointer(location: list[Any]) -> tuple[str, str]:
    """Turn ninja's error location into ('pointer', '#/a/0') for bodies, ('parameter', 'x') otherwise."""
    source, *rest = [str(part) for part in location] or ["body"]
    if source == "body":
        # ninja puts the payload's parameter name first; the JSON pointer starts inside it.
        path = rest[1:] if len(rest) > 1 else rest
        return "pointer", "#/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in path)
    return "parameter", rest[-1] if rest else source


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        kind, where = _pointer(list(error.get("loc", [])))
        errors.append({kind: where, "detail": localized_message(error)})
    return problem_response(
        request,
        status=422,
        title=_("Invalid request"),
        detail=_("The request has %(count)s invalid field(s).") % {"count": len(errors)},
        problem_type="validation-error",
        errors=errors,
    )


@api.exception_handler(DomainValidationError)
def on_domain_validation_error(request: HttpRequest, exc: DomainValidationError) -> HttpResponse:
    errors: list[dict[str, str]] = []
    if isinstance(exc, JsonResumeInvalid):  # every place the résumé breaks the schema, not just the first
        errors = [{"pointer": pointer, "detail": message} for pointer, message in exc.errors]
    elif exc.field:
        place = {"parameter": exc.field} if exc.in_query else {"pointer": f"#/{exc.field}"}
        errors.append({**place, "detail": exc.message})
    return problem_response(
        request,
        status=422,
        title=_("Invalid request"),
        detail=exc.message,
        problem_type="validation-error",
        errors=errors,
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        request,
        status=401,
        title=_("Authentication required"),
        detail=_("Send a valid API key as 'Authorization: Bearer <key>'."),
        problem_type="unauthenticated",
        headers={"WWW-Authenticate": 'Bearer realm="careerrelay"'},
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(request, status=404, title=_("Not found"), detail=_("No such resource."))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem_response(request, status=403, title=_("Forbidden"), detail=str(exc), problem_type="forbidden")


@api.exception_handler(Conflict)
def on_conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    return problem_response(request, status=409, title=_("Conflict"), detail=str(exc), problem_type="conflict")


@api.exception_handler(RateLimited)
def on_rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    return problem_response(
        request,
        status=429,
        title=_("Too many requests"),
        problem_type="rate-limited",
        headers={"Retry-After": str(exc.retry_after)},
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # ninja's "Cannot parse request body"
        return problem_response(
            request,
            status=400,
            title=_("Malformed request"),
            detail=_("The request body could not be read as JSON."),
            problem_type="malformed-request",
        )
    return problem_response(request, status=exc.status_code, title=str(exc))


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    import logging

    if is_storage_full(exc):
        logging.getLogger(__name__).error("the database is full: a write was refused", exc_info=exc)
        return storage_full_problem(request)
    logging.getLogger(__name__).exception("unhandled API error")
    return problem_response(
        request, status=500, title=_("Internal server error"), detail=_("Something went wrong on our side.")
    )
