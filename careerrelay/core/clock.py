"""The one clock. Everything that needs the time asks here, so a run can be replayed at any date.

`frozen_at()` pins the clock for the current thread (the worker's `--now`, tests).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from django.utils import timezone

JST: tzinfo = ZoneInfo("Asia/Tokyo")

_pinned = threading.local()


def now() -> datetime:
    pinned: datetime | None = getattr(_pinned, "at", None)
    if pinned is not None:
        return pinned
    return timezone.now()  # the only call of timezone.now() in the project


def pinned() -> datetime | None:
    """The instant this thread's clock is pinned to, if any: a thread started on its behalf pins
    its own clock to the same instant (`frozen_at`)."""
    return getattr(_pinned, "at", None)


@contextlib.contextmanager
def frozen_at(at: datetime) -> Iterator[datetime]:
    if timezone.is_naive(at):
        raise ValueError("frozen_at needs an aware datetime")
    previous = getattr(_pinned, "at", None)
    _pinned.at = at
    try:
        yield at
    finally:
        _pinned.at = previous


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 instant; a value without an offset is read as JST."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if timezone.is_naive(value):
        value = value.replace(tzinfo=JST)
    return value


def today_jst() -> datetime:
    return now().astimezone(JST)
