"""A full disk under the SQLite default, in the app's own process: `PRAGMA max_page_count` caps
the test database at its current size (after VACUUM, so no free page is left), which makes SQLite
refuse to grow with SQLITE_FULL, "database or disk is full" — the same error, on the same path,
as a filesystem with no space left. Then the cap is lifted, as when space is freed.

What this does not cover: the WAL and journal files themselves failing to grow (they are outside
the page cap; a real full filesystem fails them too, with the same SQLITE_FULL and the same
rollback), and the uploaded file's own write to the media directory. The worker's side is in
test_full_disk_worker.py, on a database file of its own."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import psycopg.errors
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.test import Client

from careerrelay.candidates.imports.models import ImportJob
from careerrelay.candidates.imports.tests.helpers import JA_HEADER, csv_bytes, ja_row
from careerrelay.candidates.models import Candidate, JobRequisition
from careerrelay.core import worker
from careerrelay.core.errors import is_storage_full
from careerrelay.orgs.tests.factories import OrgWorld, make_org_world

UNCAPPED = 1_073_741_823  # SQLite's default max_page_count

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite default's full disk; on PostgreSQL see test_is_storage_full"
)


def _pragma(name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return int(cursor.fetchone()[0])


@pytest.fixture
def fill_disk(transactional_db: None) -> Iterator[Callable[[int], None]]:
    """`fill_disk(spare_pages)`: from now on the database may grow by `spare_pages` pages only."""

    def fill(spare_pages: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")  # no free page left inside the file
            cursor.execute(f"PRAGMA max_page_count = {_pragma('page_count') + spare_pages}")
        assert _pragma("freelist_count") == 0

    yield fill
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA max_page_count = {UNCAPPED}")
        cursor.execute("PRAGMA integrity_check")
        assert cursor.fetchall() == [("ok",)]  # nothing corrupt after the full disk


def test_is_storage_full_knows_sqlite_and_postgresql_and_nothing_else() -> None:
    import sqlite3

    full = sqlite3.connect(":memory:")
    full.execute("CREATE TABLE t (x BLOB)")
    full.execute("PRAGMA max_page_count = 2")
    with pytest.raises(sqlite3.OperationalError) as caught:
        full.execute("INSERT INTO t VALUES (zeroblob(100000))")
    wrapped = OperationalError("database or disk is full")
    wrapped.__cause__ = caught.value
    assert is_storage_full(caught.value) and is_storage_full(wrapped)
    assert is_storage_full(psycopg.errors.DiskFull("could not extend file: No space left on device"))
    assert not is_storage_full(sqlite3.OperationalError("database is locked"))
    assert not is_storage_full(psycopg.errors.UniqueViolation("duplicate key"))


@sqlite_only
def test_an_import_into_a_full_database_is_refused_whole_with_a_clear_error(
    client: Client, fill_disk: Callable[[int], None]
) -> None:
    world = make_org_world("fulldisk")
    rows = [JA_HEADER, *(ja_row(n) for n in range(1, 1501))]
    upload = SimpleUploadedFile("候補者.csv", csv_bytes(rows), content_type="text/csv")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {world.recruiter_key}"}
    queued = client.post("/api/v1/imports", {"file": upload}, **auth).json()
    fill_disk(40)  # room for the job's own bookkeeping, not for 1,500 people

    assert worker.run_tick(force=True)["run_imports"] == 1

    job = ImportJob.objects.get(pk=queued["id"])
    assert (job.status, job.created_count, job.error_count) == (ImportJob.Status.FAILED, 0, 1)
    assert job.errors[0]["message"].startswith("データベースの容量がいっぱい")
    assert not Candidate.objects.filter(org=world.org).exists()  # not one row landed

    # Space is freed: the same file, uploaded again, goes in whole.
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA max_page_count = {UNCAPPED}")
    upload = SimpleUploadedFile("候補者.csv", csv_bytes(rows), content_type="text/csv")
    again = client.post("/api/v1/imports", {"file": upload}, **auth).json()
    worker.run_tick(force=True)
    assert ImportJob.objects.get(pk=again["id"]).status == ImportJob.Status.SUCCEEDED
    assert Candidate.objects.filter(org=world.org).count() == 1500


@sqlite_only
def test_a_write_on_a_full_database_answers_a_clear_page_and_problem(
    client: Client, fill_disk: Callable[[int], None]
) -> None:
    world: OrgWorld = make_org_world("fullweb")
    client.force_login(world.recruiter)
    big = "職務内容の説明。" * 40_000  # about 960 kB: far more than the space left
    fill_disk(0)

    page = client.post("/jobs/", {"title": "営業", "remote": "onsite", "employment_type": "full_time",
                                   "headcount": "1", "description": big})  # fmt: skip
    assert page.status_code == 503 and page["Retry-After"] == "60"
    text = page.content.decode()
    assert "容量がいっぱい" in text and "Traceback" not in text

    api = client.post(
        "/api/v1/candidates",
        {"family_name": "山田", "email": "full@example.jp", "resume_text": big[:200_000]},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {world.recruiter_key}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert api.status_code == 503 and api["Content-Type"] == "application/problem+json"
    assert (api.json()["title"], api.json()["type"].rsplit(":", 1)[1]) == ("Storage full", "storage-full")
    assert not JobRequisition.objects.filter(org=world.org).exists()
    assert not Candidate.objects.filter(org=world.org).exists()

    # Once space is freed the same request goes through.
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA max_page_count = {UNCAPPED}")
    page = client.post("/jobs/", {"title": "営業", "remote": "onsite", "employment_type": "full_time",
                                   "headcount": "1", "description": big})  # fmt: skip
    assert page.status_code == 302
    assert JobRequisition.objects.filter(org=world.org).count() == 1
