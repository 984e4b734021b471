"""A recruiter mix against `careerrelay serve`, one request a second per simulated user, so
`--users N` is N requests/s (while responses take under a second).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hload_1m python -m benchmarks.load.build 1000000
    DATABASE_URL=... CAREERRELAY_API_RATE_LIMIT=1000000 careerrelay serve 127.0.0.1:8000
    locust -f benchmarks/load/locustfile.py --headless --host http://127.0.0.1:8000 \
        --users 50 --spawn-rate 10 --run-time 3m --csv /tmp/load-50 --only-summary

Three of five users are recruiters in the browser (signed in once): the pool with filters, a
keyword search (a name or a skill), a candidate's page, a job's page with its matches, the home
dashboard and the analytics dashboard. Two of five are API clients with the org's recruiter key:
the pool filtered, a keyword search, one candidate, a job's matches. Credentials, sample ids and
words come from the builder's JSON (LOAD_CREDENTIALS, default /tmp/careerrelay-load.json).
503 and 429 answers are failures, timed in a row of their own ("shed 503 (any endpoint)"), so the
served requests' percentiles are their own. At the end the served requests' percentiles are also
printed for the issue's two groups, the recruiter pages and the API, each taken whole (and written
to PREFIX_groups.csv with --csv PREFIX); locust's own table has them only per endpoint. Run it
from the repository's root (it imports `benchmarks.load.accesslog`).
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gevent
from locust import HttpUser, events, task
from locust.exception import StopUser

from benchmarks.load.accesslog import nearest_rank  # locust puts the working directory on sys.path

CREDENTIALS = os.environ.get("LOAD_CREDENTIALS") or str(Path(tempfile.gettempdir()) / "careerrelay-load.json")
DATA: dict[str, Any] = json.loads(Path(CREDENTIALS).read_text(encoding="utf-8"))
PREFECTURES = ["13", "27", "14", "23", "40", "01"]
REASONS = ["skills_gap", "timing", "conditions", "position_filled"]
SKILLS = ["Python", "AWS", "Java", "法人営業", "経理", "Excel", "SQL", "React"]


def poisson_arrivals(rate: float) -> Callable[[Any], float]:
    """Each user starts its requests at the times of a Poisson process of `rate` a second
    (independent exponential gaps, on a schedule kept whatever the answers take), so N users are
    one Poisson stream of N requests a second: the way many independent people arrive. A user
    behind its schedule goes at once and does not catch up in a burst.

    Not locust's `constant_throughput`: a fixed one-second beat keeps each user's phase, so the
    users a burst slowed down fire together again a second later, and the bursts feed themselves
    (the API users, spawned together, waited for a slot at p50 while the pages did not)."""

    def wait(user: Any) -> float:  # a locust user; Any whether or not locust's types are installed
        now = time.monotonic()
        due = max(getattr(user, "next_due", now) + random.expovariate(rate), now)
        user.next_due = due
        return due - now

    return wait


GROUPS = {"page:": "recruiter pages", "api:": "API"}
_served: dict[str, list[float]] = {group: [] for group in GROUPS.values()}


@events.request.add_listener
def _time_by_group(name: str, response_time: float, exception: Any = None, **_kwargs: Any) -> None:
    group = GROUPS.get(name[: name.find(":") + 1])
    if group is not None and exception is None:
        _served[group].append(response_time)


@events.quitting.add_listener
def _report_groups(environment: Any, **_kwargs: Any) -> None:
    lines = ["group,requests,p50,p95,p99"]
    for group, times in _served.items():
        lines.append(",".join([group, str(len(times)), *(f"{nearest_rank(times, s):.0f}" for s in (0.5, 0.95, 0.99))]))
    print("\n".join(lines))
    prefix = getattr(environment.parsed_options, "csv_prefix", None)
    if prefix:
        Path(f"{prefix}_groups.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _check(response: Any, expected: int = 200) -> None:
    if response.status_code in (429, 503):
        # One row for every shed answer, so its timing shows apart from the served requests'.
        response.request_meta["name"] = f"shed {response.status_code} (any endpoint)"
        response.failure(f"shed {response.status_code}")
    elif response.status_code != expected:
        response.failure(f"status {response.status_code}")


def _words() -> str:
    return random.choice([random.choice(DATA["names"]), random.choice(SKILLS), random.choice(DATA["names"])[:2]])


class Recruiter(HttpUser):
    weight = 3
    wait_time = poisson_arrivals(1)

    def on_start(self) -> None:
        # Sign in once; a shed answer (past saturation) is retried after its Retry-After.
        for _attempt in range(30):
            self.client.get("/login/", name="login page")
            token = self.client.cookies.get("csrftoken", "")
            response = self.client.post(
                "/login/",
                data={"email": DATA["email"], "password": DATA["password"], "csrfmiddlewaretoken": token},
                headers={"Referer": f"{self.host}/login/"},
                name="login",
                allow_redirects=False,
            )
            if response.status_code == 302:
                return
            gevent.sleep(float(response.headers.get("Retry-After", "1")))
        raise StopUser()

    def _page(self, path: str, name: str, params: dict[str, Any] | None = None) -> None:
        with self.client.get(path, params=params, name=name, catch_response=True, allow_redirects=False) as response:
            _check(response)

    @task(3)
    def pool_filtered(self) -> None:
        params = {"status": "rejected", "reason": random.choice(REASONS), "prefecture": random.choice(PREFECTURES)}
        self._page("/candidates/", "page: pool filtered", params)

    @task(2)
    def pool_search(self) -> None:
        self._page("/candidates/", "page: pool keyword", {"q": _words()})

    @task(3)
    def candidate(self) -> None:
        self._page(f"/candidates/{random.choice(DATA['candidates'])}/", "page: candidate")

    @task(1)
    def job(self) -> None:
        self._page(f"/jobs/{random.choice(DATA['jobs'])}/", "page: job with matches")

    @task(1)
    def home(self) -> None:
        self._page("/", "page: home dashboard")

    @task(1)
    def analytics(self) -> None:
        self._page("/analytics/", "page: analytics dashboard")


class ApiClient(HttpUser):
    weight = 2
    wait_time = poisson_arrivals(1)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Bearer {DATA['api_key']}"

    def _get(self, path: str, name: str, params: dict[str, Any] | None = None) -> None:
        with self.client.get(path, params=params, name=name, catch_response=True) as response:
            _check(response)

    @task(3)
    def pool_filtered(self) -> None:
        params = {"status": "rejected", "skills": random.choice(SKILLS), "prefecture": random.choice(PREFECTURES)}
        self._get("/api/v1/candidates", "api: candidates filtered", params)

    @task(1)
    def pool_search(self) -> None:
        self._get("/api/v1/candidates", "api: candidates keyword", {"q": _words()})

    @task(3)
    def candidate(self) -> None:
        self._get(f"/api/v1/candidates/{random.choice(DATA['candidates'])}", "api: candidate")

    @task(1)
    def matches(self) -> None:
        self._get(f"/api/v1/jobs/{random.choice(DATA['jobs'])}/matches", "api: job matches")
