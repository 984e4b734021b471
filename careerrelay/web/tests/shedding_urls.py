"""The product's URLs plus a page that holds its slot until the test lets it go (test_shedding.py)."""

from __future__ import annotations

import threading

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as product_urlpatterns

entered = threading.Semaphore(0)
release = threading.Event()


def held(request: HttpRequest) -> HttpResponse:
    entered.release()
    release.wait(timeout=60)
    return HttpResponse("done")


urlpatterns = [path("test/held/", held), *product_urlpatterns]
