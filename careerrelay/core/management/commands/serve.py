from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # Imported in each worker, after `handle` has set the load-shedding limit config.wsgi reads.
        from config.wsgi import application

        return application


def default_workers() -> int:
    """Twice the CPUs, each process running 2 requests at once. Threads of one process share one
    interpreter lock: with 2 processes × 4 requests the load test's job matches waited for the
    others' Python, p95 250 ms at 50 requests/s; with 4 × 2 on the same 2 cores, 130–160 ms, and
    every request p95 100–110 ms against 160–170 ms (benchmarks/README.md, Load, evening)."""
    # At most 8: each process holds up to threads + spare-threads PostgreSQL connections, and the
    # server's default limit is 100.
    return min(8, max(2, 2 * (os.cpu_count() or 1)))


def serial_queries(database: Any) -> None:  # a DATABASES entry (django-stubs: a TypedDict)
    """Ask PostgreSQL for plans without parallel workers on the web server's connections.

    A page asks for 50 rows newest first. For a keyword few rows contain, PostgreSQL chose a
    parallel plan that scans out of order and sorts: 54–90 ms and three processes' CPU, against
    17–22 ms in one process serially (benchmarks/README.md, Load). Under load every core is
    already serving a request, so the extra workers only add work. The worker and the commands
    keep the server's default: their aggregates over a whole org can use them."""
    if database["ENGINE"] != "django.db.backends.postgresql":
        return
    options = database.setdefault("OPTIONS", {})
    flag = "-c max_parallel_workers_per_gather=0"
    if flag not in options.get("options", ""):
        options["options"] = f"{options.get('options', '')} {flag}".strip()


class Command(BaseCommand):
    help = "Serve the web app and the API with gunicorn (default 127.0.0.1:8000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--workers", type=int, default=default_workers(), help="processes (default: twice the CPUs, 2 to 8)"
        )
        parser.add_argument("--threads", type=int, default=2, help="requests each worker runs at once")
        parser.add_argument(
            "--spare-threads",
            type=int,
            default=4,
            help="more threads per worker that answer the excess with 503 at once (0: no load shedding)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        threads, spare = options["threads"], options["spare_threads"]
        # web/shedding.py: at most `threads` requests run at once; the spare threads shed the rest.
        settings.CAREERRELAY_MAX_IN_FLIGHT = threads if spare > 0 else 0
        serial_queries(settings.DATABASES["default"])
        _Gunicorn(
            {
                "bind": options["addrport"],
                "workers": options["workers"],
                "threads": threads + max(spare, 0),
                "worker_class": "gthread",
                "timeout": 30,
                "graceful_timeout": 10,
                "accesslog": "-",
                # The default line and the time the request took in the process, in microseconds.
                "access_log_format": '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s',
                "errorlog": "-",
            }
        ).run()
