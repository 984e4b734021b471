"""The load test's requests one at a time, in this process: CPU, wall time and queries per endpoint.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hload_1m python -m benchmarks.load.profile
    ... python -m benchmarks.load.profile --repeat 50 --cprofile "api: job matches"   # where the CPU goes

The requests are the locustfile's (the same paths, parameters and credentials file) sent through
Django's WSGI handler with a signed-in session or the API key, so middleware, sessions, templates
and serialisation are all counted; the network and gunicorn are not. CPU is this process's
(thread time), so the figure carries over from a busy machine better than the wall time does.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SKILLS = ["Python", "AWS", "Java", "法人営業", "経理", "Excel", "SQL", "React"]
PREFECTURES = ["13", "27", "14", "23", "40", "01"]
REASONS = ["skills_gap", "timing", "conditions", "position_filled"]


def _endpoints(data: dict[str, Any]) -> dict[str, Callable[[], tuple[str, dict[str, Any], bool]]]:
    """name → a function giving (path, query, api?) for one request, as locustfile.py asks."""

    def words() -> str:
        return random.choice([random.choice(data["names"]), random.choice(SKILLS), random.choice(data["names"])[:2]])

    def status_reason() -> dict[str, Any]:
        return {"status": "rejected", "reason": random.choice(REASONS), "prefecture": random.choice(PREFECTURES)}

    def api_filtered() -> dict[str, Any]:
        return {"status": "rejected", "skills": random.choice(SKILLS), "prefecture": random.choice(PREFECTURES)}

    return {
        "page: pool filtered": lambda: ("/candidates/", status_reason(), False),
        "page: pool keyword": lambda: ("/candidates/", {"q": words()}, False),
        "page: candidate": lambda: (f"/candidates/{random.choice(data['candidates'])}/", {}, False),
        "page: job with matches": lambda: (f"/jobs/{random.choice(data['jobs'])}/", {}, False),
        "page: home dashboard": lambda: ("/", {}, False),
        "page: analytics dashboard": lambda: ("/analytics/", {}, False),
        "api: candidates filtered": lambda: ("/api/v1/candidates", api_filtered(), True),
        "api: candidates keyword": lambda: ("/api/v1/candidates", {"q": words()}, True),
        "api: candidate": lambda: (f"/api/v1/candidates/{random.choice(data['candidates'])}", {}, True),
        "api: job matches": lambda: (f"/api/v1/jobs/{random.choice(data['jobs'])}/matches", {}, True),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--credentials", type=Path, default=Path(tempfile.gettempdir()) / "careerrelay-load.json")
    parser.add_argument("--repeat", type=int, default=20, help="requests per endpoint, after one warm-up")
    parser.add_argument("--only", help="one endpoint by name")
    parser.add_argument("--queries", action="store_true", help="print the last request's queries, slowest first")
    parser.add_argument("--cprofile", metavar="ENDPOINT", help="print the 30 costliest functions of one endpoint")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from careerrelay.core.management.commands.serve import serial_queries

    serial_queries(settings.DATABASES["default"])  # as `careerrelay serve` connects
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from careerrelay.accounts.models import User

    random.seed(7)
    data = json.loads(args.credentials.read_text(encoding="utf-8"))
    page_client, api_client = Client(), Client(HTTP_AUTHORIZATION=f"Bearer {data['api_key']}")
    page_client.force_login(User.objects.get(email=data["email"]))
    endpoints = _endpoints(data)
    chosen = [args.cprofile] if args.cprofile else [args.only] if args.only else list(endpoints)
    print(f"{'endpoint':28} {'wall ms p50/max':>16} {'CPU ms p50':>10} {'queries':>7} {'db ms':>6}")
    for name in chosen:
        make = endpoints[name]
        walls, cpus, queries, db = [], [], [], []
        profiler = cProfile.Profile(time.thread_time) if args.cprofile else None  # CPU, not waits
        for attempt in range(args.repeat + 1):
            path, query, api = make()
            client = api_client if api else page_client
            with CaptureQueriesContext(connection) as captured:
                wall, cpu = time.perf_counter(), time.thread_time()
                if profiler and attempt:
                    profiler.enable()
                response = client.get(path, query)
                if profiler:
                    profiler.disable()
                cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
            if response.status_code != 200:
                raise SystemExit(f"{name}: {path} {query} answered {response.status_code}")
            if attempt:  # the first request of each endpoint warms caches and is left out
                walls.append(wall * 1000)
                cpus.append(cpu * 1000)
                queries.append(len(captured.captured_queries))
                db.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
        print(
            f"{name:28} {statistics.median(walls):7.1f}/{max(walls):7.1f} {statistics.median(cpus):10.1f}"
            f" {max(queries):7} {statistics.median(db):6.1f}"
        )
        if args.queries:
            for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"])):
                print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:160]}")
        if profiler:
            ours = "careerrelay|template/loader|shortcuts|sessions|auth"
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(ours, 40)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
