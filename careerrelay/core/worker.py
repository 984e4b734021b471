"""The background worker: registered periodic jobs run in a loop until SIGTERM.

Apps register their jobs in `AppConfig.ready()`. A job gets the instant of the tick and returns
a short summary (a count of things done) that the worker logs. Each job's last run is kept in
the database (`JobRun`) so that a restart, or a second worker, does not run it early.

A run that started but never finished (the worker was killed, the database went away, the job
raised) is claimed again once its lease has passed, rather than a whole interval later: a nightly
job killed at 02:00 runs again at 02:30, not the next night. Jobs write in transactions small
enough that a second run finishes what the first left (analytics per org, erasure requests per
person), so a repeat is safe.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import FrameType

from django.db import close_old_connections, transaction

from careerrelay.core import clock
from careerrelay.core.models import JobRun

logger = logging.getLogger(__name__)

JobFunc = Callable[[datetime], int]


LEASE = timedelta(minutes=30)  # longer than any job takes (the 1M-row aggregation: ~3 minutes)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    run: JobFunc
    lease: timedelta = LEASE

    @property
    def retry_after(self) -> timedelta:
        return min(self.every, self.lease)


_registry: dict[str, PeriodicJob] = {}


def register(name: str, *, every: timedelta, lease: timedelta = LEASE) -> Callable[[JobFunc], JobFunc]:
    def decorator(func: JobFunc) -> JobFunc:
        _registry[name] = PeriodicJob(name=name, every=every, run=func, lease=lease)
        return func

    return decorator


def _unfinished(run: JobRun) -> bool:
    return run.last_started_at is not None and (
        run.last_finished_at is None or run.last_finished_at < run.last_started_at
    )


def registered_jobs() -> list[PeriodicJob]:
    return sorted(_registry.values(), key=lambda job: job.name)


def _claim(job: PeriodicJob, at: datetime, *, force: bool) -> bool:
    """Mark the job as run at `at` if it is due; False if another worker got there first."""
    with transaction.atomic():
        run, created = JobRun.objects.get_or_create(name=job.name, defaults={"last_started_at": at})
        if created:
            return True
        started_at = run.last_started_at
        due = force or started_at is None or started_at + job.every <= at
        due = due or (_unfinished(run) and started_at is not None and started_at + job.retry_after <= at)
        if not due:
            return False
        # A replay of an earlier instant never moves the schedule back.
        started = at if run.last_started_at is None else max(at, run.last_started_at)
        # Conditional update: only the worker that still sees the old value claims the run.
        claimed = JobRun.objects.filter(pk=run.pk, last_started_at=run.last_started_at).update(last_started_at=started)
        return claimed == 1


def run_tick(at: datetime | None = None, *, force: bool = False) -> dict[str, int | str]:
    """Run every due job once, as of `at`. One failing job does not stop the others."""
    at = at or clock.now()
    results: dict[str, int | str] = {}
    with clock.frozen_at(at):
        for job in registered_jobs():
            try:
                if not _claim(job, at, force=force):
                    continue
                results[job.name] = job.run(at)
                JobRun.objects.filter(name=job.name).update(last_finished_at=at, last_error="")
            except Exception as exc:
                logger.exception("job %s failed", job.name)
                results[job.name] = f"error: {exc}"
                JobRun.objects.filter(name=job.name).update(last_error=repr(exc)[:2000])
    return results


class Worker:
    def __init__(self, *, tick_seconds: float) -> None:
        self.tick_seconds = tick_seconds
        self._stop = threading.Event()

    def stop(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        logger.info("worker stopping (signal %s)", signum)
        self._stop.set()

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)

    def run_forever(self) -> None:
        while not self._stop.is_set():
            close_old_connections()
            try:
                results = run_tick()
            except Exception:  # a lost database connection must not end the worker
                logger.exception("worker tick failed; retrying after the next pause")
                results = {}
            if any(results.values()):  # quiet when there was nothing to do
                logger.info("tick: %s", results)
            self._stop.wait(self.tick_seconds)
        close_old_connections()
