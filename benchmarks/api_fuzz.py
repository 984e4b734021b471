"""The longer API fuzzing run: schemathesis over every operation of a running server.

    careerrelay demo 127.0.0.1:8000 &                       # or `careerrelay serve` on your data
    careerrelay apikey create --org SLUG --role admin       # prints the key once
    python benchmarks/api_fuzz.py --base-url http://127.0.0.1:8000 --key cr_... --examples 200

Each operation gets up to EXAMPLES valid and EXAMPLES schema-breaking requests (seeded, so a run can
be repeated; `--seed random` for a new draw). Prints the answers by status and every finding (a 5xx,
or an error that is not problem+json with its status and a title); exits 1 if there is any. The
key's per-minute limit answers 429 under this load, which is a correct answer, so raise
CAREERRELAY_API_RATE_LIMIT on the server (requests per key per minute, default 600) for a run that reaches the handlers.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--seed", default="0")
    args = parser.parse_args()
    from careerrelay.api.tests.fuzzing import fuzz

    started = time.perf_counter()
    report = fuzz(
        args.base_url.rstrip("/"),
        args.key,
        examples=args.examples,
        seed=None if args.seed == "random" else int(args.seed),
        progress=lambda label: print(label, flush=True),
    )
    elapsed = time.perf_counter() - started
    print(f"\n{report.operations} operations, {report.requests} requests in {elapsed:.0f} s")
    print("answers by status: " + ", ".join(f"{status}: {count}" for status, count in sorted(report.statuses.items())))
    for finding in report.findings:
        print(f"FINDING {finding.operation}: {finding.status} {finding.why}\n    {finding.request}")
    print(f"{len(report.findings)} findings")
    sys.exit(1 if report.findings else 0)


if __name__ == "__main__":
    main()
