"""Load shedding under real concurrent requests: a threaded HTTP server runs the app as config/wsgi.py
does (the shedder around Django's handler) with two slots; while two requests hold them, the excess
is answered 503 at once."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

from careerrelay.web import shedding
from careerrelay.web.tests import shedding_urls

SLOTS = 2


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(settings: object, transactional_db: None) -> Iterator[str]:
    settings.ROOT_URLCONF = "careerrelay.web.tests.shedding_urls"  # type: ignore[attr-defined]
    settings.CAREERRELAY_MAX_IN_FLIGHT = SLOTS  # type: ignore[attr-defined]
    settings.CAREERRELAY_SHED_WAIT_SECONDS = 0.0  # type: ignore[attr-defined]
    settings.CAREERRELAY_SHED_PATIENCE_SECONDS = 0.0  # type: ignore[attr-defined]
    settings.CAREERRELAY_SHED_RETRY_AFTER_SECONDS = 3  # type: ignore[attr-defined]
    shedding_urls.release.clear()
    httpd = ThreadedWSGIServer(("127.0.0.1", 0), _QuietHandler)
    httpd.set_app(shedding.wrap(WSGIHandler()))  # as config/wsgi.py does
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{httpd.server_address[1]}"
    finally:
        shedding_urls.release.set()
        httpd.shutdown()
        httpd.server_close()


def _get(address: str, path: str, headers: dict[str, str] | None = None) -> Answer:
    connection = http.client.HTTPConnection(address, timeout=60)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode())
    finally:
        connection.close()


def test_excess_requests_are_shed_at_once_and_service_resumes_after_the_burst(server: str) -> None:
    with ThreadPoolExecutor(max_workers=16) as pool:
        held: list[Future[Answer]] = [pool.submit(_get, server, "/test/held/") for _ in range(SLOTS)]
        for _ in range(SLOTS):
            assert shedding_urls.entered.acquire(timeout=30), "a held request never reached its view"
        burst = [
            pool.submit(_get, server, path, headers)
            for path, headers in [
                ("/candidates/", {}),
                ("/candidates/", {"Cookie": "django_language=en"}),
                ("/api/v1/candidates?q=python", {"Accept-Language": "ja"}),
                ("/api/v1/candidates", {"Accept-Language": "en"}),
                ("/test/held/", {}),
                ("/jobs/", {}),
            ]
        ]
        shed = [future.result(timeout=30) for future in burst]
        # Every shed answer came back while both slots were still held by the first requests.
        assert not any(future.done() for future in held)
        health = _get(server, "/healthz")
        shedding_urls.release.set()
        finished = [future.result(timeout=30) for future in held]

    assert [answer.status for answer in shed] == [503] * 6
    assert all(answer.headers["retry-after"] == "3" for answer in shed)
    page_ja, page_en, api_ja, api_en = shed[:4]
    assert page_ja.headers["content-type"].startswith("text/html")
    assert "混雑" in page_ja.body and "3 秒" in page_ja.body
    assert "Too busy" in page_en.body and "3 seconds" in page_en.body
    for answer, title in ((api_ja, "混雑しています"), (api_en, "Too busy")):
        assert answer.headers["content-type"] == "application/problem+json"
        problem = json.loads(answer.body)
        assert (problem["status"], problem["title"]) == (503, title)
        assert problem["type"].endswith(":overloaded")
    assert health.status == 200  # the health check is never shed
    assert [answer.status for answer in finished] == [200] * SLOTS

    # The burst is over: the same requests are served normally, and none of them is a 5xx.
    after = [
        _get(server, "/candidates/"),
        _get(server, "/api/v1/candidates", {"Accept-Language": "en"}),
        _get(server, "/test/held/"),
    ]
    assert after[0].status == 302  # to the login page, as for any visitor who has not signed in
    assert after[1].status == 401 and after[1].headers["content-type"] == "application/problem+json"
    assert after[2].status == 200
    assert "retry-after" not in after[0].headers


def _plain_app(hold: threading.Event, entered: threading.Semaphore) -> shedding.WsgiApp:
    def app(environ: dict[str, object], start_response: Callable[..., object]) -> list[bytes]:
        entered.release()
        hold.wait(timeout=30)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"served"]

    return app


def _call(app: shedding.WsgiApp, path: str = "/jobs/") -> str:
    statuses: list[str] = []
    app({"PATH_INFO": path, "HTTP_COOKIE": ""}, lambda status, headers: statuses.append(status))
    return statuses[0]


def test_a_burst_waits_for_a_slot_but_a_standing_queue_is_shed(settings: object) -> None:
    """One slot. A request that finds it taken while nobody else waits is part of a burst: it
    waits (patience 30 s) and is served once the slot frees. When someone has been waiting for
    longer than the interval, the queue is standing: the next request is shed after the short
    wait, although the slot frees a few seconds later (it would have been served, had it waited)."""
    hold, entered = threading.Event(), threading.Semaphore(0)
    shedder = shedding.LoadShedder(
        _plain_app(hold, entered), limit=1, wait_seconds=0.01, patience_seconds=30, retry_after=2
    )
    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(_call, shedder)
        assert entered.acquire(timeout=30)
        burst = pool.submit(_call, shedder)
        threading.Timer(0.3, hold.set).start()  # the slot frees while the burst's request waits
        assert (first.result(timeout=30), burst.result(timeout=30)) == ("200 OK", "200 OK")

    hold.clear()
    with ThreadPoolExecutor(max_workers=2) as pool:
        held = pool.submit(_call, shedder)
        assert entered.acquire(timeout=30)
        patient = pool.submit(_call, shedder)  # waits (the queue was empty when it came)
        threading.Event().wait(3 * shedding.INTERVAL)  # …without a break: the queue now stands
        releaser = threading.Timer(3, hold.set)
        releaser.start()
        status = _call(shedder)
        assert not held.done() and not patient.done()
        releaser.join()
        assert (held.result(timeout=30), patient.result(timeout=30)) == ("200 OK", "200 OK")
    assert status.startswith("503")
