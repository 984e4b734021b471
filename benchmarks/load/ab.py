"""The profile (`benchmarks.load.profile`) of two or more checkouts, alternated, side by side.

    git worktree add /tmp/before <commit>      # and the checkout to compare, e.g. this one
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hload_1m python -m benchmarks.load.ab 4 /tmp/before .

Runs the profile in each checkout in turn (in the reverse order every other round, so neither side
always runs first), ROUNDS times, and prints per endpoint the median of each checkout's CPU p50 and
database p50 and the ratio of the last checkout's CPU to the first's. The machines these benchmarks
run on change speed from minute to minute; only figures taken alternated like this compare.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

# One row of the profile's table: name, wall p50/max, CPU p50, queries, database ms.
ROW = re.compile(r"^(\S.*?)\s{2,}([\d.]+)/\s*([\d.]+)\s+([\d.]+)\s+(\d+)\s+([\d.]+)$")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rounds", type=int)
    parser.add_argument("checkouts", nargs="+", type=Path)
    parser.add_argument("--repeat", default="30")
    args = parser.parse_args()
    checkouts = [path.resolve() for path in args.checkouts]
    env = dict(os.environ, CAREERRELAY_API_RATE_LIMIT="1000000")
    cpu: dict[str, dict[Path, list[float]]] = defaultdict(lambda: defaultdict(list))
    database: dict[str, dict[Path, list[float]]] = defaultdict(lambda: defaultdict(list))
    for number in range(args.rounds):
        for checkout in checkouts if number % 2 == 0 else checkouts[::-1]:
            command = [sys.executable, "-m", "benchmarks.load.profile", "--repeat", args.repeat]
            output = subprocess.run(command, cwd=checkout, env=env, capture_output=True, text=True, check=True)  # noqa: S603
            for line in output.stdout.splitlines():
                found = ROW.match(line)
                if found:
                    cpu[found.group(1)][checkout].append(float(found.group(4)))
                    database[found.group(1)][checkout].append(float(found.group(6)))
    names = [path.name or str(path) for path in checkouts]
    print(f"{'endpoint':28} " + " ".join(f"{name + ' CPU':>14}" for name in names) + "  ratio  ", end="")
    print(" ".join(f"{name + ' db':>12}" for name in names))
    for endpoint, by_checkout in cpu.items():
        medians = [statistics.median(by_checkout[path]) for path in checkouts]
        in_database = [statistics.median(database[endpoint][path]) for path in checkouts]
        print(f"{endpoint:28} " + " ".join(f"{value:14.1f}" for value in medians), end="")
        print(f"  {medians[-1] / medians[0]:5.2f}  " + " ".join(f"{value:12.1f}" for value in in_database))


if __name__ == "__main__":
    main()
