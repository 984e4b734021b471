"""The outbox when PostgreSQL drops the worker's connections mid-run, as a server restart does to
its clients: every backend of the drill's database is terminated again and again while a real
`careerrelay worker` sends to a real SMTP sink. The worker must reconnect by itself, and no message
may vanish or be sent twice."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import psycopg
import pytest

from careerrelay.core.tests.scratch_postgres import postgres_database
from careerrelay.outreach.dispatch import AT_RISK
from careerrelay.outreach.tests.drill import Drill, running_drill
from careerrelay.outreach.tests.test_crash_drill import _check_nothing_lost_nothing_twice

MESSAGES = 1000
CUTS = 8


@pytest.fixture
def drill() -> Iterator[Drill]:
    with postgres_database(f"outreach_cut_{os.getpid()}") as url, running_drill(url) as drill:
        yield drill


def _cut_connections(url: str) -> int:
    database = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        ).fetchall()
    return sum(1 for (done,) in rows if done)


def test_a_worker_keeps_sending_through_dropped_database_connections(drill: Drill) -> None:
    drill.seed(MESSAGES)
    worker = drill.worker()
    cuts_while_sending = 0
    try:
        deadline = time.monotonic() + 300
        while drill.sink.total() == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        while cuts_while_sending < CUTS and drill.sink.total() < MESSAGES and time.monotonic() < deadline:
            if _cut_connections(drill.database_url):
                cuts_while_sending += 1
            time.sleep(0.15)
        # A batch claimed when its connection was cut waits for its lease (the finish below);
        # wait only until the worker has sent everything else, i.e. the sink has gone quiet.
        last, quiet_since = -1, time.monotonic()
        while drill.sink.total() < MESSAGES and time.monotonic() < deadline:
            if drill.sink.total() != last:
                last, quiet_since = drill.sink.total(), time.monotonic()
            elif time.monotonic() - quiet_since > 5:
                break
            time.sleep(0.05)
        assert worker.poll() is None  # it survived every cut
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)

    assert cuts_while_sending >= 3, "the sink finished before the connections could be cut"
    drill.finish()
    summary = _check_nothing_lost_nothing_twice(drill, MESSAGES, killed=cuts_while_sending)
    assert summary["sent"] >= MESSAGES - cuts_while_sending * AT_RISK
