"""Time a CSV import end to end on the configured database (DATABASE_URL, else a fresh SQLite file).

    python benchmarks/import_bench.py 10000 [--encoding cp932]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python benchmarks/import_bench.py 10000

Creates a throwaway org, generates the rows, runs the importer (check + write in one transaction)
and prints rows/s and the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("--encoding", default="cp932")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="careerrelay-bench-"))
    os.environ.setdefault("CAREERRELAY_VAR_DIR", str(workdir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.generate_candidates import write
    from careerrelay.candidates.imports.importer import import_candidates
    from careerrelay.orgs.actors import Actor
    from careerrelay.orgs.services import org_create

    call_command("migrate", verbosity=0)
    org = org_create(slug=f"bench-{int(time.time())}", name="ベンチマーク株式会社", kind="employer")
    path = workdir / "candidates.csv"
    write(path, args.count, args.encoding)
    started = time.perf_counter()
    report = import_candidates(actor=Actor(org=org, role="admin"), path=path, file_name=path.name)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert report.written and not report.error_count, report.errors[:5]
    print(
        f"{connection.vendor}: {report.rows_total} rows ({args.encoding}, {path.stat().st_size / 1e6:.1f} MB) "
        f"in {elapsed:.1f} s = {report.rows_total / elapsed:.0f} rows/s; peak RSS {peak_mb:.0f} MB; "
        f"created {report.created}, updated {report.updated}"
    )


if __name__ == "__main__":
    main()
