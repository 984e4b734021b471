"""A full database answers a clear page, not the generic error page: the change was not saved
(the transaction rolled back whole), and the operators find the cause in the log."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from careerrelay.core.errors import is_storage_full
from careerrelay.core.problems import problem_response

logger = logging.getLogger(__name__)
RETRY_AFTER = "60"


class StorageFullMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_storage_full(exception):
            return None
        logger.error("the database is full: a write was refused (%s)", request.path, exc_info=exception)
        if request.path.startswith("/api/"):
            return problem_response(
                request,
                status=503,
                title=_("Storage full"),
                detail=_("The server's storage is full, so nothing was saved. Try again later."),
                problem_type="storage-full",
                headers={"Retry-After": RETRY_AFTER},
            )
        response = HttpResponse(render_to_string("503_storage_full.html", request=request), status=503)
        response["Retry-After"] = RETRY_AFTER
        return response
