"""The outbox under real failures: real `careerrelay worker` processes killed with SIGKILL while
they send, and four workers at once on PostgreSQL, against a real SMTP sink. Nothing vanishes,
nothing is sent twice."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from careerrelay.core.tests.scratch_postgres import postgres_database
from careerrelay.outreach.dispatch import AT_RISK
from careerrelay.outreach.tests.drill import (
    CAP_DRILL_AT,
    CAREERRELAY,
    ROOT,
    Drill,
    drill_database_name,
    running_drill,
)

FINAL = {"sent", "retrying", "uncertain"}


@pytest.fixture
def sqlite_drill(tmp_path: Path) -> Iterator[Drill]:
    with running_drill(f"sqlite:///{tmp_path / 'drill.sqlite3'}") as drill:
        yield drill


@pytest.fixture
def postgres_drill() -> Iterator[Drill]:
    with postgres_database(drill_database_name("pg")) as url, running_drill(url) as drill:
        yield drill


def _check_nothing_lost_nothing_twice(drill: Drill, total: int, killed: int) -> dict[str, int]:
    summary = drill.summary()
    assert sum(summary.values()) == total  # none vanished
    assert set(summary) <= FINAL, summary  # each ended sent, retrying or uncertain
    received = drill.sink.received
    assert max(received.values()) == 1  # at most once
    sent = drill.sent_recipients()
    assert all(received[address] == 1 for address in sent)  # recorded as sent ⇒ delivered
    # Each killed worker leaves at most the two groups it was handing over uncertain.
    assert summary.get("uncertain", 0) <= killed * AT_RISK
    assert sum(received.values()) - len(sent) <= summary.get("uncertain", 0)
    # The drill's report (pytest -s): how many a kill -9 really left uncertain.
    print(f"crash drill: {killed} kills, {summary}; uncertain {summary.get('uncertain', 0)} (bound {killed * AT_RISK})")
    return summary


def test_kill_9_twenty_times_while_sending_loses_nothing_and_sends_nothing_twice(sqlite_drill: Drill) -> None:
    sqlite_drill.seed(2000)
    killed = sqlite_drill.kill_while_sending(20)
    assert killed == 20
    sqlite_drill.finish()
    summary = _check_nothing_lost_nothing_twice(sqlite_drill, 2000, killed)
    assert summary["sent"] >= 2000 - killed * AT_RISK


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


def test_four_workers_on_postgresql_never_send_one_person_two_capped_messages(postgres_drill: Drill) -> None:
    """Each person has two re-scouts due at once, in two batches that four workers claim side by
    side; the frequency cap (30 days) lets exactly one of them go out."""
    people = 1000
    postgres_drill.run(sys.executable, "-m", "careerrelay.outreach.tests.drill", "seed-capped", str(people))
    command = [CAREERRELAY, "worker", "--once", "--force", "--now", CAP_DRILL_AT]
    workers = [
        subprocess.Popen(command, env=postgres_drill.env(), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    for process in workers:
        _out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err[-2000:]
    received = postgres_drill.sink.received
    assert len(received) == people  # everyone got one
    assert max(received.values()) == 1  # nobody got two within the cap
    summary = postgres_drill.summary()
    assert summary == {"sent": people, "planned": people}  # the second waits for the cap to pass
