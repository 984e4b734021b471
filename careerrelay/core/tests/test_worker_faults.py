"""Fault drill: a real `careerrelay worker` process killed with SIGKILL in the middle of the daily
retention job and of the nightly analytics job, on a database of its own seeded with the demo
network (an SQLite file, or a PostgreSQL database when the suite runs on PostgreSQL). The next
tick after the lease must finish the work by itself and leave exactly what an uninterrupted
worker leaves: the same people erased, the same figures, every job finished without error."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from careerrelay.core.tests import scratch_postgres
from careerrelay.core.worker import LEASE

TICK = "2030-01-01T00:00"  # years after the demo's history: everyone is past retention


def _query(url: str, sql: str) -> list[tuple[Any, ...]]:
    if url.startswith("sqlite"):
        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)) as db:
            return db.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(url) as db:
        return db.execute(sql).fetchall()


class Databases:
    """The seeded database and copies of it, of the suite's kind."""

    def __init__(self, tmp: Path, vendor: str) -> None:
        self.tmp, self.vendor = tmp, vendor
        self.created: list[str] = []

    def _name(self, name: str) -> str:
        return f"fault_{os.getpid()}_{name}"

    def url(self, name: str) -> str:
        if self.vendor == "sqlite":
            return f"sqlite:///{self.tmp / name}.sqlite3"
        return scratch_postgres.url_of(self._name(name))

    def empty(self, name: str) -> str:
        if self.vendor != "sqlite":
            scratch_postgres.create(self._name(name))
            self.created.append(self._name(name))
        return self.url(name)

    def copy(self, source: str, name: str) -> str:
        if self.vendor == "sqlite":
            source_file, target_file = (self.url(n).removeprefix("sqlite:///") for n in (source, name))
            with (
                contextlib.closing(sqlite3.connect(source_file)) as db,
                contextlib.closing(sqlite3.connect(target_file)) as target,
            ):
                db.backup(target)
            return self.url(name)
        scratch_postgres.create(self._name(name), template=self._name(source))
        self.created.append(self._name(name))
        return self.url(name)

    def drop_all(self) -> None:
        for database in self.created:
            scratch_postgres.drop(database)


def _env(url: str, tmp: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "CAREERRELAY_VAR_DIR": str(tmp),
        "CAREERRELAY_DB_CONN_MAX_AGE": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def _careerrelay(url: str, tmp: Path, *args: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "careerrelay.cli", *args]
    return subprocess.Popen(command, env=_env(url, tmp), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _finish(process: subprocess.Popen[bytes]) -> None:
    _out, err = process.communicate(timeout=900)
    assert process.returncode == 0, err.decode()[-3000:]


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    """Seeded once for the module; each test works on copies."""
    tmp = tmp_path_factory.mktemp("faults")
    vendor = "sqlite" if "sqlite" in settings.DATABASES["default"]["ENGINE"] else "postgresql"
    dbs = Databases(tmp, vendor)
    seeded = dbs.empty("seeded")
    _finish(_careerrelay(seeded, tmp, "migrate", "-v0"))
    _finish(_careerrelay(seeded, tmp, "seed-demo", "--scale", "0.1"))
    try:
        yield dbs
    finally:
        dbs.drop_all()


def _running(url: str, job: str) -> bool:
    rows = _query(url, f"SELECT last_started_at, last_finished_at FROM core_jobrun WHERE name = '{job}'")  # noqa: S608
    return bool(rows) and rows[0][0] is not None and (rows[0][1] is None or str(rows[0][1]) < str(rows[0][0]))


def _kill_during(url: str, tmp: Path, job: str) -> None:
    process = _careerrelay(url, tmp, "worker", "--once", "--now", TICK)
    deadline = time.monotonic() + 600
    while not _running(url, job):
        assert process.poll() is None, f"the worker finished before {job} could be caught running"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)


def _outcome(url: str) -> dict[str, Any]:
    return {
        "erased": sorted(_query(url, "SELECT id FROM candidates_candidate WHERE erased_at IS NOT NULL")),
        "pending_erasures": _query(url, "SELECT COUNT(*) FROM consent_erasurerequest WHERE status = 'pending'"),
        "figures": sorted(
            _query(
                url,
                "SELECT org_id, month, metric, dimension, numerator, denominator FROM analytics_monthlyfigure",
            )
        ),
    }


def _after_lease() -> str:
    from datetime import datetime

    return (datetime.fromisoformat(TICK) + LEASE).isoformat(timespec="minutes")


@pytest.mark.parametrize("job", ["apply_retention", "update_analytics"])
def test_a_worker_killed_during_a_job_is_recovered_by_the_next_tick(
    databases: Databases, tmp_path: Path, job: str
) -> None:
    reference = databases.copy("seeded", f"reference_{job}")
    _finish(_careerrelay(reference, tmp_path, "worker", "--once", "--now", TICK))
    _finish(_careerrelay(reference, tmp_path, "worker", "--once", "--now", _after_lease()))
    expected = _outcome(reference)
    assert expected["erased"] and expected["figures"]  # the drill has work in it

    killed = databases.copy("seeded", f"killed_{job}")
    _kill_during(killed, tmp_path, job)
    assert _running(killed, job)  # the state SIGKILL left: started, never finished
    _finish(_careerrelay(killed, tmp_path, "worker", "--once", "--now", _after_lease()))

    assert _outcome(killed) == expected
    jobs = _query(killed, "SELECT name, last_started_at, last_finished_at, last_error FROM core_jobrun")
    unfinished = [row for row in jobs if row[2] is None or str(row[2]) < str(row[1]) or row[3]]
    assert not unfinished, unfinished
