"""Fixed-window counters kept in the database, so every web process and worker shares them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.db.models import F

from careerrelay.core import clock
from careerrelay.core.models import RateCounter


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window resets

    @property
    def remaining(self) -> int:
        return max(self.limit - self.count, 0)


def _window(window_seconds: int, at: datetime) -> tuple[datetime, int]:
    epoch = int(at.timestamp())
    start = epoch - epoch % window_seconds
    return datetime.fromtimestamp(start, UTC), start + window_seconds - epoch


def hit(key: str, *, limit: int, window_seconds: int) -> RateDecision:
    """Count one event under `key` and say whether it is still within `limit`.

    One upsert statement, so concurrent requests cannot race on creating the window's row (two
    sign-ins of one account in the same second did, benchmarks/load), and an API request pays one
    round trip for its rate limit instead of five."""
    window_start, retry_after = _window(window_seconds, clock.now())
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, window_start, count) VALUES (%s, %s, 1)"  # noqa: S608 (our table's name)
            f" ON CONFLICT (key, window_start) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [key, connection.ops.adapt_datetimefield_value(window_start)],
        )
        (count,) = cursor.fetchone()
    return RateDecision(allowed=count <= limit, count=count, limit=limit, retry_after=max(retry_after, 1))


def peek(key: str, *, limit: int, window_seconds: int) -> RateDecision:
    """Read the current window's count without counting anything."""
    window_start, retry_after = _window(window_seconds, clock.now())
    count = RateCounter.objects.filter(key=key, window_start=window_start).values_list("count", flat=True).first() or 0
    return RateDecision(allowed=count < limit, count=count, limit=limit, retry_after=max(retry_after, 1))


def reset(key: str) -> None:
    RateCounter.objects.filter(key=key).delete()


def purge_expired(*, older_than: timedelta = timedelta(days=1)) -> int:
    deleted, _ = RateCounter.objects.filter(window_start__lt=clock.now() - older_than).delete()
    return deleted


def release(key: str, *, window_seconds: int) -> None:
    """Give back one event counted by `hit` in the current window (a reservation that succeeded)."""
    window_start, _retry = _window(window_seconds, clock.now())
    RateCounter.objects.filter(key=key, window_start=window_start, count__gt=0).update(count=F("count") - 1)


def reset_prefix(prefix: str) -> None:
    RateCounter.objects.filter(key__startswith=prefix).delete()
