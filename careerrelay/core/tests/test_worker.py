from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from careerrelay.core import clock, worker
from careerrelay.core.models import JobRun

pytestmark = pytest.mark.django_db

AT = datetime(2026, 6, 1, 0, 0, tzinfo=UTC)


@pytest.fixture
def jobs() -> Iterator[list[tuple[str, datetime, datetime]]]:
    """Two test jobs registered for the duration of a test; calls are recorded."""
    calls: list[tuple[str, datetime, datetime]] = []
    saved = dict(worker._registry)
    worker._registry.clear()

    @worker.register("hourly", every=timedelta(hours=1))
    def hourly(at: datetime) -> int:
        calls.append(("hourly", at, clock.now()))
        return 1

    @worker.register("broken", every=timedelta(minutes=1))
    def broken(at: datetime) -> int:
        calls.append(("broken", at, clock.now()))
        raise RuntimeError("boom")

    yield calls
    worker._registry.clear()
    worker._registry.update(saved)


def test_a_tick_runs_due_jobs_with_the_clock_pinned_to_the_tick(jobs: list[tuple[str, datetime, datetime]]) -> None:
    results = worker.run_tick(AT)
    assert results["hourly"] == 1
    assert str(results["broken"]).startswith("error:")
    assert ("hourly", AT, AT) in jobs
    assert JobRun.objects.get(name="broken").last_error.startswith("RuntimeError")


def test_a_job_is_not_run_again_before_its_interval(jobs: list[tuple[str, datetime, datetime]]) -> None:
    worker.run_tick(AT)
    jobs.clear()
    worker.run_tick(AT + timedelta(minutes=30))
    assert [name for name, *_ in jobs] == ["broken"]
    worker.run_tick(AT + timedelta(hours=1))
    assert "hourly" in [name for name, *_ in jobs]


def test_a_run_killed_part_way_is_claimed_again_after_its_lease_not_a_day_later(
    jobs: list[tuple[str, datetime, datetime]],
) -> None:
    @worker.register("nightly", every=timedelta(days=1))
    def nightly(at: datetime) -> int:
        jobs.append(("nightly", at, clock.now()))
        return 1

    # What kill -9 in the middle of the job leaves behind: started, never finished.
    JobRun.objects.create(name="nightly", last_started_at=AT, last_finished_at=AT - timedelta(days=1))

    worker.run_tick(AT + timedelta(minutes=29))
    assert "nightly" not in [name for name, *_ in jobs]  # it may still be running elsewhere

    worker.run_tick(AT + worker.LEASE)
    assert [at for name, at, _now in jobs if name == "nightly"] == [AT + worker.LEASE]
    run = JobRun.objects.get(name="nightly")
    assert run.last_finished_at == run.last_started_at == AT + worker.LEASE

    worker.run_tick(AT + timedelta(hours=2))  # finished now: the next run is a day after it
    assert len([name for name, *_ in jobs if name == "nightly"]) == 1


def test_a_failed_run_is_retried_after_its_lease(jobs: list[tuple[str, datetime, datetime]]) -> None:
    @worker.register("flaky_nightly", every=timedelta(days=1))
    def flaky(at: datetime) -> int:
        jobs.append(("flaky_nightly", at, clock.now()))
        if len(jobs) == 1:
            raise ConnectionError("database went away")
        return 1

    worker._registry.pop("hourly")
    worker._registry.pop("broken")
    worker.run_tick(AT)
    worker.run_tick(AT + worker.LEASE)

    assert [at for _name, at, _now in jobs] == [AT, AT + worker.LEASE]
    assert JobRun.objects.get(name="flaky_nightly").last_finished_at == AT + worker.LEASE


def test_worker_once_now_runs_the_due_jobs_as_of_the_given_instant(
    jobs: list[tuple[str, datetime, datetime]],
) -> None:
    worker.run_tick(AT)
    jobs.clear()
    out = StringIO()
    call_command("worker", "--once", "--now", "2026-06-01T09:10", stdout=out)  # JST = AT + 10 min
    assert [(name, at) for name, at, _ in jobs] == [("broken", AT + timedelta(minutes=10))]
    call_command("worker", "--once", "--now", "2026-06-01T10:00", stdout=out)
    assert "hourly: 1" in out.getvalue()


def test_worker_once_force_runs_every_job_without_moving_the_schedule_back(
    jobs: list[tuple[str, datetime, datetime]],
) -> None:
    worker.run_tick(AT)
    jobs.clear()
    call_command("worker", "--once", "--force", "--now", "2026-05-01T09:00", stdout=StringIO())
    assert {name for name, *_ in jobs} == {"hourly", "broken"}
    assert JobRun.objects.get(name="hourly").last_started_at == AT


def test_the_loop_survives_a_failing_tick(monkeypatch: pytest.MonkeyPatch) -> None:
    loop = worker.Worker(tick_seconds=0.01)
    calls: list[int] = []

    def flaky_tick(at: datetime | None = None, *, force: bool = False) -> dict[str, int | str]:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database is locked")
        loop.stop()
        return {}

    monkeypatch.setattr(worker, "run_tick", flaky_tick)
    loop.run_forever()
    assert len(calls) == 2


def test_worker_refuses_a_bad_now() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("worker", "--once", "--now", "next tuesday")


def test_registered_jobs_include_the_foundation_jobs() -> None:
    names = {job.name for job in worker.registered_jobs()}
    assert {"send_system_emails", "purge_idempotency_records", "purge_rate_counters"} <= names


@pytest.mark.django_db(transaction=True)
def test_the_worker_process_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.sqlite3'}",
        "CAREERRELAY_VAR_DIR": str(tmp_path),
    }
    subprocess.run([sys.executable, "-m", "careerrelay.cli", "migrate", "-v0"], env=env, check=True, timeout=120)
    process = subprocess.Popen(
        [sys.executable, "-m", "careerrelay.cli", "worker", "--tick", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        assert "worker" in first_line and "started" in first_line
        time.sleep(0.5)  # let it run a few ticks before asking it to stop
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert "worker stopped" in output
