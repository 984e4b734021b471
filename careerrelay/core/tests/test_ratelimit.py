from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from careerrelay.core import clock, ratelimit
from careerrelay.core.models import RateCounter

pytestmark = pytest.mark.django_db

START = datetime(2026, 5, 1, 0, 0, 10, tzinfo=UTC)


def test_counts_up_to_the_limit_then_refuses_until_the_window_ends() -> None:
    with clock.frozen_at(START):
        decisions = [ratelimit.hit("k", limit=3, window_seconds=60) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert decisions[-1].retry_after == 50
    with clock.frozen_at(START + timedelta(seconds=50)):
        assert ratelimit.hit("k", limit=3, window_seconds=60).allowed


def test_peek_does_not_count_and_reset_clears() -> None:
    with clock.frozen_at(START):
        ratelimit.hit("k", limit=2, window_seconds=60)
        assert ratelimit.peek("k", limit=2, window_seconds=60).count == 1
        assert ratelimit.peek("k", limit=2, window_seconds=60).count == 1
        ratelimit.reset("k")
        assert ratelimit.peek("k", limit=2, window_seconds=60).count == 0


def test_keys_are_counted_apart() -> None:
    with clock.frozen_at(START):
        ratelimit.hit("a", limit=1, window_seconds=60)
        assert ratelimit.hit("b", limit=1, window_seconds=60).allowed


def test_purge_removes_only_old_windows() -> None:
    with clock.frozen_at(START - timedelta(days=2)):
        ratelimit.hit("old", limit=1, window_seconds=60)
    with clock.frozen_at(START):
        ratelimit.hit("new", limit=1, window_seconds=60)
        assert ratelimit.purge_expired() == 1
    assert list(RateCounter.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent connections: SQLite's in-memory test database locks a table for the whole of a write",
)
def test_concurrent_hits_on_a_new_window_each_count_once() -> None:
    """Eight requests on their own connections count the same new window at once (sign-ins of
    one account under load): none fails, and each gets its own count."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    ready = Barrier(8)

    def one() -> int:
        try:
            with clock.frozen_at(START):
                ready.wait(timeout=30)
                return ratelimit.hit("race", limit=100, window_seconds=60).count
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = sorted(pool.map(lambda _n: one(), range(8)))
    assert counts == list(range(1, 9))
    assert RateCounter.objects.get(key="race").count == 8
