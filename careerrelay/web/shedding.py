"""Shed load past saturation: each process runs at most CAREERRELAY_MAX_IN_FLIGHT requests at
once; a request that finds every slot taken waits at most CAREERRELAY_SHED_WAIT_SECONDS for one,
then gets 503 with Retry-After at once (problem+json under /api/, a small localised page
elsewhere) instead of queueing behind the others until the client times out.

`careerrelay serve` gives gunicorn more threads than slots, so the spare threads answer the
excess in microseconds and the slots keep their pace. It sits before the session, the user and
the org, so a shed request costs no database query. /healthz and static files are never shed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from careerrelay.core.problems import problem_response

NEVER_SHED = ("/healthz", "/static/")


def _language(request: HttpRequest) -> str:
    """The API follows Accept-Language; pages the language cookie, else Japanese (no session read)."""
    if request.path.startswith("/api/"):
        return translation.get_language_from_request(request)
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return cookie if cookie in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE


class LoadSheddingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.limit = settings.CAREERRELAY_MAX_IN_FLIGHT
        self.wait = settings.CAREERRELAY_SHED_WAIT_SECONDS
        self.retry_after = str(settings.CAREERRELAY_SHED_RETRY_AFTER_SECONDS)
        self.slots = threading.BoundedSemaphore(self.limit) if self.limit > 0 else None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.slots is None or request.path.startswith(NEVER_SHED):
            return self.get_response(request)
        if not self.slots.acquire(timeout=self.wait):
            return self.shed(request)
        try:
            return self.get_response(request)
        finally:
            self.slots.release()

    def shed(self, request: HttpRequest) -> HttpResponse:
        headers = {"Retry-After": self.retry_after, "Cache-Control": "no-store"}
        with translation.override(_language(request)):
            if request.path.startswith("/api/"):
                return problem_response(
                    request,
                    status=503,
                    title=_("Too busy"),
                    detail=_("The server is handling as many requests as it can. Try again in a moment."),
                    problem_type="overloaded",
                    headers=headers,
                )
            response = HttpResponse(render_to_string("503.html", {"retry_after": self.retry_after}), status=503)
            response["Content-Language"] = translation.get_language()
        for name, value in headers.items():
            response[name] = value
        return response
