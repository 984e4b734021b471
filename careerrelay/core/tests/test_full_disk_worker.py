"""The worker on a full disk under the SQLite default: real `careerrelay worker --once` processes
on a database file of their own, with a real SMTP sink. While every connection is capped at the
file's size (full_disk_settings.py: `PRAGMA max_page_count`, the same SQLITE_FULL as a full
filesystem), nothing is sent and nothing vanishes: the messages stay queued. Once the cap is
lifted (space freed), the next run sends each of them exactly once, and the file is intact."""

from __future__ import annotations

import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from careerrelay.outreach.tests.drill import CAREERRELAY, ROOT, Drill, running_drill

MESSAGES = 30


@pytest.fixture
def drill(tmp_path: Path) -> Iterator[Drill]:
    with running_drill(f"sqlite:///{tmp_path / 'full.sqlite3'}") as drill:
        yield drill


def _fill(path: Path) -> int:
    """Leave no free page in the file; returns its size in pages (the cap)."""
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("VACUUM")
        return int(db.execute("PRAGMA page_count").fetchone()[0])


def _worker_once(drill: Drill, cap: int | None) -> subprocess.CompletedProcess[str]:
    env = drill.env()
    if cap is not None:
        env |= {"DJANGO_SETTINGS_MODULE": "careerrelay.core.tests.full_disk_settings",
                "CAREERRELAY_TEST_MAX_PAGE_COUNT": str(cap)}  # fmt: skip
    return subprocess.run(
        [CAREERRELAY, "worker", "--once"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_the_worker_on_a_full_disk_keeps_every_message_and_sends_them_once_space_is_freed(drill: Drill) -> None:
    drill.seed(MESSAGES)
    path = Path(drill.database_url.removeprefix("sqlite:///"))
    cap = _fill(path)

    for _run in range(2):  # a second run on the still-full disk changes nothing either
        full = _worker_once(drill, cap)
        assert "sending paused, every message stays queued" in full.stderr
        assert drill.sink.total() == 0
        assert drill.summary() == {"planned": MESSAGES}  # none sent, none vanished, none left half-claimed

    freed = _worker_once(drill, None)
    assert "database or disk is full" not in freed.stderr
    assert drill.summary() == {"sent": MESSAGES}
    assert drill.sink.total() == MESSAGES and max(drill.sink.received.values()) == 1
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
