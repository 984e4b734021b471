"""The server's own timings of a load run, from gunicorn's access log, by group.

    careerrelay serve 127.0.0.1:8732 > /tmp/serve.log    # gunicorn writes its access log to stdout
    python -m benchmarks.load.accesslog /tmp/serve.log

`careerrelay serve` logs each request's time inside the process in microseconds (the last
field). The groups are the issue's (the recruiter pages, the API) and the job matches of each
apart; shed answers (503) are timed in a row of their own and left out of the others, as the
locustfile does. This is the time inside the app: the client's figures add the wait before it.
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

_LINE = re.compile(r'"(?:GET|POST|PUT|PATCH|DELETE) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3}) .* (?P<micros>\d+)$')


def nearest_rank(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(math.ceil(len(ordered) * share) - 1, 0)] if ordered else float("nan")


def group_of(path: str) -> str:
    if path.startswith("/login"):
        return "sign-in"
    if path.startswith("/api/"):
        return "API: job matches" if path.split("?")[0].endswith("/matches") else "API: other"
    return "pages: job" if path.startswith("/jobs/") else "pages: other"


def summarise(lines: list[str]) -> dict[str, list[float]]:
    """Milliseconds by group; "recruiter pages" and "API" hold their subgroups together."""
    groups: dict[str, list[float]] = {}
    for line in lines:
        found = _LINE.search(line)
        if found is None:
            continue
        millis = int(found["micros"]) / 1000
        group = "shed 503" if found["status"] == "503" else group_of(found["path"])
        whole = {"pages": "recruiter pages", "API": "API"}.get(group.split(":")[0])
        for name in filter(None, (group, whole)):
            groups.setdefault(name, []).append(millis)
    return groups


def main() -> None:
    groups = summarise(Path(sys.argv[1]).read_text(encoding="utf-8", errors="replace").splitlines())
    print(f"{'group':18} {'requests':>8} {'p50':>7} {'p95':>7} {'p99':>7}  (ms inside the app)")
    for name in sorted(groups):
        times = groups[name]
        print(f"{name:18} {len(times):8} " + " ".join(f"{nearest_rank(times, s):7.1f}" for s in (0.5, 0.95, 0.99)))


if __name__ == "__main__":
    main()
