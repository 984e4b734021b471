"""Time CSV imports end to end on the configured database (DATABASE_URL, else a fresh SQLite file).

    python benchmarks/import_bench.py 100000                       # ours, then django-import-export
    python benchmarks/import_bench.py 1000000 --tool ours          # ours alone
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import python benchmarks/import_bench.py 100000

Generates the rows once (the `ja_ats` columns, CP932 by default), then imports the same file into
the same database once per tool, each in its own process and its own new org, so each peak
resident memory (`ru_maxrss`, Django and the kana dictionaries included) is that tool's alone.
Prints rows/s, peak RSS and the speed ratio. django-import-export is the `bench` extra
(`pip install -e '.[bench]'`); benchmarks/import_export_baseline.py says what it does.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TOOLS = ("ours", "django-import-export")


def _setup(workdir: Path) -> None:
    os.environ.setdefault("CAREERRELAY_VAR_DIR", str(workdir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _backend_cpu() -> float:
    """CPU seconds this process's PostgreSQL backend has used (0 on SQLite, which runs in the
    process itself); PostgreSQL runs on this host."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    from benchmarks.load.cpu import cpu_seconds

    return cpu_seconds([pid])


def run_one(tool: str, path: Path, encoding: str) -> dict[str, object]:
    """Import `path` with `tool` into a new org of the configured database (in this process)."""
    _setup(path.parent)
    from careerrelay.orgs.actors import Actor
    from careerrelay.orgs.services import org_create

    org = org_create(slug=f"bench-{time.time_ns()}", name="ベンチマーク株式会社", kind="employer")
    backend_before = _backend_cpu()
    cpu_before = time.process_time()
    started = time.perf_counter()
    if tool == "ours":
        from careerrelay.candidates.imports.importer import import_candidates

        report = import_candidates(actor=Actor(org=org, role="admin"), path=path, file_name=path.name)
        assert report.written and not report.error_count, report.errors[:5]
        rows, created, updated = report.rows_total, report.created, report.updated
    else:
        from benchmarks.import_export_baseline import import_file

        rows, created, updated = import_file(org, path, encoding)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_before
    backend = _backend_cpu() - backend_before
    from django.db import connection

    return {
        "tool": tool,
        "database": connection.vendor,
        "rows": rows,
        "seconds": round(elapsed, 1),
        "rows_per_s": round(rows / elapsed),
        "cpu_s": round(cpu, 2),
        "backend_cpu_s": round(backend, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "created": created,
        "updated": updated,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", type=int)
    parser.add_argument("--encoding", default="cp932")
    parser.add_argument("--tool", choices=[*TOOLS, "both"], default="both")
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)  # a child process: import this file
    args = parser.parse_args()
    if args.file:
        print(json.dumps(run_one(args.tool, args.file, args.encoding)))
        return
    from benchmarks.generate_candidates import write

    workdir = Path(tempfile.mkdtemp(prefix="careerrelay-bench-"))
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    path = workdir / "candidates.csv"
    write(path, args.count, args.encoding)
    print(f"{args.count} rows, {args.encoding}, {path.stat().st_size / 1e6:.1f} MB")
    results = []
    for tool in TOOLS if args.tool == "both" else (args.tool,):
        command = [sys.executable, __file__, str(args.count), "--tool", tool, "--file", str(path)]
        output = subprocess.run(command, check=True, capture_output=True, text=True, env=os.environ).stdout  # noqa: S603
        result = json.loads(output.strip().splitlines()[-1])
        results.append(result)
        print(
            f"{result['database']}: {tool}: {result['rows']} rows in {result['seconds']} s = "
            f"{result['rows_per_s']} rows/s; CPU {result['cpu_s']} s "
            f"({1e6 * float(result['cpu_s']) / float(result['rows']):.0f} µs a row), "
            f"PostgreSQL backend {result['backend_cpu_s']} s; peak RSS {result['peak_rss_mb']} MB; "
            f"created {result['created']}, updated {result['updated']}",
            flush=True,
        )
    if len(results) == 2:
        ours, theirs = (
            {key: float(value) for key, value in r.items() if key != "tool" and key != "database"} for r in results
        )
        print(f"ratio (ours / django-import-export rows/s): {ours['rows_per_s'] / theirs['rows_per_s']:.1f}")
        cpu_ratio = (theirs["cpu_s"] + theirs["backend_cpu_s"]) / theirs["rows"]
        cpu_ratio /= (ours["cpu_s"] + ours["backend_cpu_s"]) / ours["rows"]
        print(f"ratio of CPU a row (process and PostgreSQL backend, django-import-export / ours): {cpu_ratio:.1f}")


if __name__ == "__main__":
    main()
