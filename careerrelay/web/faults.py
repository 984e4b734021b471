"""A full database answers a clear page, not the generic error page: the change was not saved
(the transaction rolled back whole), and the operators find the cause in the log."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from careerrelay.core.errors import is_storage_full
from careerrelay.core.problems import STORAGE_FULL_RETRY_AFTER, storage_full_problem

logger = logging.getLogger(__name__)


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
            return storage_full_problem(request)
        response = HttpResponse(render_to_string("503_storage_full.html", request=request), status=503)
        response["Retry-After"] = STORAGE_FULL_RETRY_AFTER
        return response
