"""The pool's query shapes of the load mix, timed under two or more values of one planner setting.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hload_1m python -m benchmarks.load.plans
    ... python -m benchmarks.load.plans --setting random_page_cost --values 4 1.1 --rounds 2 --slowest 5

Each shape's SQL comes from `candidates.pool.pool_summaries` (the page's and the API's list, the
first page of 50), run on one connection without parallel workers, as `careerrelay serve` runs
it. The values take turns going first, round by round, so a warming cache favours neither. Prints each
shape's mean and max per value, and the slowest cases, which is how a plan that flips for one
prefecture shows (Kanagawa's, benchmarks/README.md, Load, "Third session").
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.load.profile import PREFECTURES, REASONS, SKILLS  # the load mix's words


def _cases(names: list[str]) -> list[tuple[str, str, Any]]:
    from careerrelay.candidates.pool import PoolFilters

    cases = [
        (
            "page: status, reason, prefecture",
            f"{reason} {place}",
            PoolFilters(status="rejected", reason=reason, prefecture=place),
        )
        for reason in REASONS
        for place in PREFECTURES
    ]
    cases += [
        (
            "api: status, skill, prefecture",
            f"{skill} {place}",
            PoolFilters(status="rejected", skills=[skill], prefecture=place),
        )
        for skill in SKILLS
        for place in PREFECTURES
    ]
    cases += [("keyword: a family name", name, PoolFilters(q=name)) for name in names[:12]]
    cases += [("keyword: two characters", name[:2], PoolFilters(q=name[:2])) for name in names[12:24]]
    cases += [("keyword: a skill", skill, PoolFilters(q=skill)) for skill in SKILLS]
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--credentials", type=Path, default=Path(tempfile.gettempdir()) / "careerrelay-load.json")
    parser.add_argument("--setting", default="random_page_cost")
    parser.add_argument("--values", nargs="+", default=["4", "1.1"])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--slowest", type=int, default=5, help="cases to print per value")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection

    from careerrelay.candidates.pool import pool_summaries
    from careerrelay.orgs.models import Organization

    data = json.loads(args.credentials.read_text(encoding="utf-8"))
    org = Organization.objects.get(slug=data["org"])
    cases = _cases(data["names"])
    runs: list[tuple[float, str, str, str]] = []  # (ms, setting's value, shape, case)
    with connection.cursor() as cursor:
        cursor.execute("SET max_parallel_workers_per_gather = 0")
        for number in range(args.rounds):
            for value in args.values if number % 2 == 0 else args.values[::-1]:
                cursor.execute("SELECT set_config(%s, %s, false)", [args.setting, value])
                for shape, label, filters in cases:
                    sql, params = pool_summaries(org=org, filters=filters)[:51].query.sql_with_params()
                    started = time.perf_counter()
                    cursor.execute(sql, params)
                    cursor.fetchall()
                    runs.append(((time.perf_counter() - started) * 1000, value, shape, label))
    header = "".join(f"  {args.setting}={value}: mean / max".rjust(34) for value in args.values)
    print(f"{'shape':34} {'cases':>5}{header}")
    shapes = Counter(shape for shape, _label, _filters in cases)
    for shape, count in shapes.items():
        cells = ""
        for value in args.values:
            times = [ms for ms, v, s, _label in runs if (v, s) == (value, shape)]
            cells += f"{statistics.mean(times):20.1f} / {max(times):8.1f} ms"
        print(f"{shape:34} {count:5}{cells}")
    for value in args.values:
        worst = sorted((run for run in runs if run[1] == value), reverse=True)[: args.slowest]
        print(
            f"slowest at {args.setting}={value}: "
            + "; ".join(f"{label} ({shape}) {ms:.0f} ms" for ms, _value, shape, label in worst)
        )


if __name__ == "__main__":
    main()
