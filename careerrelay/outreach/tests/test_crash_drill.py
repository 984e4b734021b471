"""The outbox under real failures: real `careerrelay worker` processes killed with SIGKILL while
they send, and four workers at once on PostgreSQL, against a real SMTP sink. Nothing vanishes,
nothing is sent twice."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from careerrelay.outreach.dispatch import GROUP
from careerrelay.outreach.tests.drill import Drill, postgres_database

FINAL = {"sent", "retrying", "uncertain"}


@pytest.fixture
def sqlite_drill(tmp_path: Path) -> Iterator[Drill]:
    drill = Drill(database_url=f"sqlite:///{tmp_path / 'drill.sqlite3'}")
    drill.start_sink()
    try:
        drill.migrate()
        yield drill
    finally:
        drill.stop_sink()


@pytest.fixture
def postgres_drill() -> Iterator[Drill]:
    with postgres_database(f"wt_outreach_drill_{os.getpid()}") as url:
        drill = Drill(database_url=url)
        drill.start_sink()
        try:
            drill.migrate()
            yield drill
        finally:
            drill.stop_sink()


def _check_nothing_lost_nothing_twice(drill: Drill, total: int, killed: int) -> dict[str, int]:
    summary = drill.summary()
    assert sum(summary.values()) == total  # none vanished
    assert set(summary) <= FINAL, summary  # each ended sent, retrying or uncertain
    received = drill.sink.received
    assert max(received.values()) == 1  # at most once
    sent = drill.sent_recipients()
    assert all(received[address] == 1 for address in sent)  # recorded as sent ⇒ delivered
    # Each killed worker leaves at most the group it was handing over uncertain.
    assert summary.get("uncertain", 0) <= killed * GROUP
    assert sum(received.values()) - len(sent) <= summary.get("uncertain", 0)
    return summary


def test_kill_9_twenty_times_while_sending_loses_nothing_and_sends_nothing_twice(sqlite_drill: Drill) -> None:
    sqlite_drill.seed(2000)
    killed = sqlite_drill.kill_while_sending(20)
    assert killed == 20
    sqlite_drill.finish()
    summary = _check_nothing_lost_nothing_twice(sqlite_drill, 2000, killed)
    assert summary["sent"] >= 2000 - killed * GROUP


def test_four_workers_on_postgresql_send_every_message_exactly_once(postgres_drill: Drill) -> None:
    postgres_drill.seed(2000)
    workers = [postgres_drill.worker() for _ in range(4)]
    try:
        deadline = time.monotonic() + 300
        while postgres_drill.sink.total() < 2000 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        for process in workers:
            process.send_signal(signal.SIGTERM)
        for process in workers:
            process.wait(timeout=60)
    summary = _check_nothing_lost_nothing_twice(postgres_drill, 2000, killed=0)
    assert summary == {"sent": 2000}
    assert len(postgres_drill.sink.received) == 2000
