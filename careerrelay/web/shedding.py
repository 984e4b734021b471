"""Shed load past saturation: each process runs at most CAREERRELAY_MAX_IN_FLIGHT requests at
once; a request that finds every slot taken waits for one, and is answered 503 with Retry-After at
once (problem+json under /api/, a small localised page elsewhere) when waiting would not help,
instead of queueing behind the others until the client times out.

How long it may wait depends on whether the wait is a burst or a standing queue (the idea of
CoDel, RFC 8289): while requests have been waiting for less than `INTERVAL`, the excess is a burst
that drains by itself, and a request may wait up to CAREERRELAY_SHED_PATIENCE_SECONDS; once
someone has been waiting for longer than that without a break, the process is saturated and a new
request waits at most CAREERRELAY_SHED_WAIT_SECONDS. A fixed short wait shed 43% of the load
test's requests at 50 requests/s on a machine that was 60% busy (benchmarks/README.md, Load): the
slow requests (the match lists) held every slot for a moment, many times a second.

It wraps the WSGI application (config/wsgi.py), outside Django's request handling, so a shed
request costs no request object, no middleware and no database query; the pages are rendered once
per language. `careerrelay serve` gives gunicorn more threads than slots, so the spare threads
answer the excess while the slots keep their pace. /healthz and static files are never shed.
A streamed response (the CSV export) gives its slot back when its first bytes are ready.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.http import parse_cookie
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from careerrelay.core.problems import PROBLEM_CONTENT_TYPE, TYPE_BASE

NEVER_SHED = ("/healthz", "/static/")
INTERVAL = 0.1  # requests waiting without a break for longer than this: a standing queue (CoDel's interval)
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _language(environ: dict[str, Any], api: bool) -> str:
    """The API follows Accept-Language; pages the language cookie, else Japanese (as the app does)."""
    supported = {code for code, _name in settings.LANGUAGES}
    if api:
        for code, _quality in parse_accept_lang_header(environ.get("HTTP_ACCEPT_LANGUAGE", "")):
            try:
                return translation.get_supported_language_variant(code)
            except LookupError:
                continue
        return settings.LANGUAGE_CODE
    cookie = parse_cookie(environ.get("HTTP_COOKIE", "")).get(settings.LANGUAGE_COOKIE_NAME)
    return cookie if cookie in supported else settings.LANGUAGE_CODE


class LoadShedder:
    def __init__(
        self, app: WsgiApp, *, limit: int, wait_seconds: float, retry_after: int, patience_seconds: float = 0.0
    ) -> None:
        self.app = app
        self.slots = threading.BoundedSemaphore(limit) if limit > 0 else None
        self.wait = wait_seconds
        self.patience = max(patience_seconds, wait_seconds)
        self.retry_after = str(retry_after)
        self._pages: dict[str, bytes] = {}
        self._lock = threading.Lock()
        self._waiting = 0  # requests waiting for a slot now
        self._queue_since = 0.0  # when the wait queue last went from empty to not empty

    def _wait_for_slot(self) -> bool:
        """Wait for a slot: patiently while the wait queue is a burst, briefly once it has stood
        longer than INTERVAL (someone has been waiting all that time: the process is saturated)."""
        assert self.slots is not None
        with self._lock:
            now = time.monotonic()
            if self._waiting == 0:
                self._queue_since = now
            self._waiting += 1
            standing = now - self._queue_since > INTERVAL
        try:
            return self.slots.acquire(timeout=self.wait if standing else self.patience)
        finally:
            with self._lock:
                self._waiting -= 1

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if self.slots is None or environ.get("PATH_INFO", "").startswith(NEVER_SHED):
            return self.app(environ, start_response)
        if not self.slots.acquire(blocking=False) and not self._wait_for_slot():
            return self.shed(environ, start_response)
        try:
            return self.app(environ, start_response)
        finally:
            self.slots.release()

    def shed(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        api = path.startswith("/api/")
        language = _language(environ, api)
        if api:
            with translation.override(language):
                problem = {
                    "type": TYPE_BASE + "overloaded",
                    "title": _("Too busy"),
                    "status": 503,
                    "detail": _("The server is handling as many requests as it can. Try again in a moment."),
                    "instance": path,
                }
            body, content_type = json.dumps(problem, ensure_ascii=False).encode(), PROBLEM_CONTENT_TYPE
        else:
            if language not in self._pages:
                with translation.override(language):
                    self._pages[language] = render_to_string("503.html", {"retry_after": self.retry_after}).encode()
            body, content_type = self._pages[language], "text/html; charset=utf-8"
        start_response(
            "503 Service Unavailable",
            [
                ("Content-Type", content_type),
                ("Content-Length", str(len(body))),
                ("Content-Language", language),
                ("Retry-After", self.retry_after),
                ("Cache-Control", "no-store"),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )
        return [body]


def wrap(app: WsgiApp) -> WsgiApp:
    """`app` behind the shedder configured by the CAREERRELAY_* settings (no limit: `app` itself)."""
    if settings.CAREERRELAY_MAX_IN_FLIGHT <= 0:
        return app
    return LoadShedder(
        app,
        limit=settings.CAREERRELAY_MAX_IN_FLIGHT,
        wait_seconds=settings.CAREERRELAY_SHED_WAIT_SECONDS,
        patience_seconds=settings.CAREERRELAY_SHED_PATIENCE_SECONDS,
        retry_after=settings.CAREERRELAY_SHED_RETRY_AFTER_SECONDS,
    )
