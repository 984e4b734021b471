from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from careerrelay.core import clock, worker
from careerrelay.core.console import console_for


class Command(BaseCommand):
    help = "Run the background worker: registered periodic jobs in a loop until SIGTERM."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run one tick (the jobs that are due) and exit.")
        parser.add_argument("--force", action="store_true", help="With --once: run every job, due or not.")
        parser.add_argument("--now", help="The instant to run as (ISO 8601; without an offset it is JST).")
        parser.add_argument("--tick", type=float, default=settings.CAREERRELAY_WORKER_TICK_SECONDS)

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self)
        try:
            at = clock.parse_instant(options["now"]) if options["now"] else None
        except ValueError as exc:
            raise CommandError(f"--now is not an ISO 8601 instant: {options['now']!r}") from exc
        if options["once"]:
            results = worker.run_tick(at, force=options["force"])
            for name, result in results.items():
                console.print(f"{name}: {result}")
            return
        if at is not None:
            raise CommandError("--now only makes sense with --once")
        jobs = ", ".join(job.name for job in worker.registered_jobs())
        console.print(f"[bold]worker[/bold] started; jobs: {jobs}")
        loop = worker.Worker(tick_seconds=options["tick"])
        loop.install_signal_handlers()
        loop.run_forever()
        console.print("worker stopped")
