"""The database's floor under a CSV import: the rows our import wrote, written again with COPY alone.

    createdb -h 127.0.0.1 -U postgres import_floor
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/import_floor python benchmarks/import_floor.py 100000

On a new, empty PostgreSQL database: generates COUNT rows (`generate_candidates`, CP932) and imports
them with our importer in a child process (`import_bench.py --tool ours`: prints its rows/s). Then
it reads back every row of that org in each table the import wrote and a new org has no rows in
(candidates, applications, evaluations, stage changes, external ids, consent, match profiles and
index terms ...; a table a new org is seeded with, such as tags, is left out), empties them, and
writes the same rows again with `COPY ... FROM STDIN (FORMAT binary)` in one transaction, the
foreign keys checked at the commit as the import's are. No Python works on a row, nothing is
looked up: what is left is what PostgreSQL spends on the heap, the indexes and the key checks. Its
rows/s is the most any importer can reach for this schema on this machine, whatever it does in
Python. `--again` repeats that part on the same database; `--without-org-keys` first drops the
written tables' foreign keys to the org (an experiment on a throwaway database).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _tenant_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'org_id'"
    )
    return sorted(name for (name,) in cursor.fetchall())


def _counts(cursor: Any, tables: list[str]) -> dict[str, int]:
    found = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
        (found[table],) = cursor.fetchone()
    return found


def _seeded_tables() -> set[str]:
    """Tables a new org gets rows in before any import (reasons, tags, templates ...): left out,
    so what is written again is the import's alone (rolled back: the database stays as it was)."""
    from django.db import connection, transaction

    from careerrelay.orgs.services import org_create

    with transaction.atomic():
        reference = org_create(slug=f"floor-{time.time_ns()}", name="Reference", kind="employer")
        with connection.cursor() as cursor:
            seeded = set()
            for table in _tenant_tables(cursor):
                cursor.execute(f"SELECT 1 FROM {table} WHERE org_id = %s LIMIT 1", [reference.pk])  # noqa: S608
                if cursor.fetchone():
                    seeded.add(table)
        transaction.set_rollback(True)
    return seeded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", type=int)
    parser.add_argument("--again", action="store_true", help="the database has had one run: skip the import")
    parser.add_argument(
        "--without-org-keys",
        action="store_true",
        help="drop the written tables' foreign keys to the org first (an experiment: the database is spoilt)",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL must name a new, empty PostgreSQL database")
    if not args.again:
        _import(args.count)
    _copy_again(args.count, without_org_keys=args.without_org_keys)


def _import(count: int) -> None:
    from benchmarks.generate_candidates import write

    workdir = Path(tempfile.mkdtemp(prefix="careerrelay-floor-"))
    path = workdir / "candidates.csv"
    write(path, count, "cp932")
    child = [sys.executable, str(ROOT / "benchmarks" / "import_bench.py"), str(count), "--tool", "ours"]
    output = subprocess.run([*child, "--file", str(path)], check=True, capture_output=True, text=True).stdout  # noqa: S603
    ours = json.loads(output.strip().splitlines()[-1])
    print(
        f"our import: {ours['rows']} rows in {ours['seconds']} s = {ours['rows_per_s']} rows/s "
        f"(process CPU {ours['cpu_s']} s, PostgreSQL backend {ours['backend_cpu_s']} s)",
        flush=True,
    )


def _copy_again(count: int, *, without_org_keys: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from benchmarks.load.cpu import cpu_seconds
    from careerrelay.orgs.models import Organization

    (org,) = Organization.objects.filter(slug__startswith="bench-")  # the database must be new
    seeded = _seeded_tables()
    with connection.cursor() as cursor:
        per_row: dict[str, int] = {}
        for table in _tenant_tables(cursor):
            cursor.execute(f"SELECT count(*) FROM {table} WHERE org_id = %s", [org.pk])  # noqa: S608 (catalog names)
            (rows,) = cursor.fetchone()
            if rows and table not in seeded:
                per_row[table] = rows
        saved: dict[str, bytes] = {}
        for table in per_row:
            read = f"COPY (SELECT * FROM {table} WHERE org_id = %s) TO STDOUT (FORMAT binary)"  # noqa: S608
            with cursor.copy(read, [org.pk]) as copy:
                saved[table] = b"".join(bytes(block) for block in copy)
        others = [table for table in _tenant_tables(cursor) if table not in per_row]
        before = _counts(cursor, others)
        # CASCADE for tables that only refer to these (evaluations with none in the file); the
        # check after it proves that nothing else was emptied.
        cursor.execute(f"TRUNCATE {', '.join(per_row)} CASCADE")
        if _counts(cursor, others) != before:
            sys.exit("TRUNCATE reached rows the import did not write: use a new database")
        if without_org_keys:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE contype = 'f'"
                " AND confrelid = 'orgs_organization'::regclass AND conrelid::regclass::text = ANY(%s)",
                [list(per_row)],
            )
            for table, name in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
            print("the written tables' foreign keys to the org dropped")
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
        cursor.execute(f"VACUUM ANALYZE {', '.join(per_row)}")
    print(", ".join(f"{table} {rows:,}" for table, rows in per_row.items()))
    print(f"rows written a CSV row: {sum(per_row.values()) / count:.1f}", flush=True)

    backend_before = cpu_seconds([backend])
    started = time.perf_counter()
    steps: dict[str, float] = {}
    with connection.cursor() as cursor:
        with transaction.atomic():
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table, data in saved.items():
                step = time.perf_counter()
                with cursor.copy(f"COPY {table} FROM STDIN (FORMAT binary)") as copy:
                    copy.write(data)
                steps[table] = time.perf_counter() - step
            step = time.perf_counter()
        steps["the commit (foreign-key checks)"] = time.perf_counter() - step
    elapsed = time.perf_counter() - started
    backend_cpu = cpu_seconds([backend]) - backend_before
    print("; ".join(f"{name} {seconds:.1f} s" for name, seconds in steps.items()))
    print(
        f"COPY alone: {count} CSV rows' worth in {elapsed:.1f} s = {count / elapsed:,.0f} rows/s "
        f"(PostgreSQL backend {backend_cpu:.1f} s, {1e6 * backend_cpu / count:.0f} µs a CSV row)"
    )


if __name__ == "__main__":
    main()
