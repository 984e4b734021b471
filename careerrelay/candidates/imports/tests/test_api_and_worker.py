"""POST /api/v1/imports queues a job the worker runs; progress, errors and the error report;
the CSV export endpoint."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from careerrelay.api.tests.helpers import call
from careerrelay.candidates.imports.models import ImportJob
from careerrelay.candidates.imports.tests.helpers import JA_HEADER, csv_bytes, ja_row
from careerrelay.candidates.models import Candidate
from careerrelay.candidates.tests.factories import apply
from careerrelay.core import worker
from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.django_db


def _upload(client: Client, key: str, content: bytes, **fields: str) -> object:
    upload = SimpleUploadedFile("候補者.csv", content, content_type="text/csv")
    return client.post("/api/v1/imports", {"file": upload, **fields}, HTTP_AUTHORIZATION=f"Bearer {key}")


def test_an_upload_is_queued_then_run_by_the_worker(client: Client, world: OrgWorld) -> None:
    response = _upload(client, world.recruiter_key, csv_bytes([JA_HEADER, ja_row(1), ja_row(2)], "cp932"))
    assert response.status_code == 202  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert (body["status"], body["file_name"], body["rows_done"]) == ("queued", "候補者.csv", 0)
    assert not Candidate.objects.filter(org=world.org).exists()
    results = worker.run_tick(force=True)
    assert results["run_imports"] == 1
    done = call(client, "GET", f"/api/v1/imports/{body['id']}", world.viewer_key).json()
    assert (done["status"], done["rows_total"], done["rows_done"], done["created_count"]) == ("succeeded", 2, 2, 2)
    assert (done["encoding"], done["preset"], done["errors"]) == ("cp932", "ja_ats", [])
    assert Candidate.objects.filter(org=world.org).count() == 2
    job = ImportJob.objects.get(pk=body["id"])
    assert not job.file  # the upload is deleted once the job is done


def test_a_failed_import_lists_its_errors_and_offers_them_as_csv(client: Client, world: OrgWorld) -> None:
    rows = [JA_HEADER, ja_row(1), ja_row(2, メールアドレス="nope"), ja_row(3, 応募日="=1+1")]
    upload = SimpleUploadedFile("a.csv", csv_bytes(rows), content_type="text/csv")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {world.recruiter_key}", "HTTP_ACCEPT_LANGUAGE": "en"}
    body = client.post("/api/v1/imports", {"file": upload, "dry_run": "false"}, **auth).json()
    worker.run_tick(force=True)
    done = call(client, "GET", f"/api/v1/imports/{body['id']}", world.recruiter_key).json()
    assert done["status"] == "failed" and done["error_count"] == 2
    assert [(e["row"], e["column"]) for e in done["errors"]] == [(3, "メールアドレス"), (4, "応募日")]
    assert not Candidate.objects.filter(org=world.org).exists()
    report = call(client, "GET", f"/api/v1/imports/{body['id']}/errors.csv", world.recruiter_key)
    assert report.status_code == 200 and report["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert lines == [
        ["row", "column", "reason"],
        ["3", "メールアドレス", "Enter a valid email address."],
        ["4", "応募日", "Enter a date such as 2024-04-01 or 2024/4/1."],
    ]


def test_errors_follow_the_language_of_the_upload_request(client: Client, world: OrgWorld) -> None:
    content = csv_bytes([JA_HEADER, ja_row(1, メールアドレス="nope")])
    upload = SimpleUploadedFile("a.csv", content, content_type="text/csv")
    response = client.post(
        "/api/v1/imports",
        {"file": upload},
        HTTP_AUTHORIZATION=f"Bearer {world.recruiter_key}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    worker.run_tick(force=True)
    done = call(client, "GET", f"/api/v1/imports/{response.json()['id']}", world.recruiter_key).json()
    assert done["errors"][0]["message"] == "Enter a valid email address."


def test_a_dry_run_job_succeeds_with_counts_and_writes_nothing(client: Client, world: OrgWorld) -> None:
    body = _upload(client, world.recruiter_key, csv_bytes([JA_HEADER, ja_row(1)]), dry_run="true").json()  # type: ignore[attr-defined]
    worker.run_tick(force=True)
    done = call(client, "GET", f"/api/v1/imports/{body['id']}", world.recruiter_key).json()
    assert (done["status"], done["dry_run"], done["created_count"]) == ("succeeded", True, 1)
    assert not Candidate.objects.filter(org=world.org).exists()


def test_a_viewer_cannot_upload(client: Client, world: OrgWorld) -> None:
    response = _upload(client, world.viewer_key, csv_bytes([JA_HEADER, ja_row(1)]))
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("fields", "where"),
    [({"format": "xlsx"}, "#/format"), ({"preset": "nope"}, "#/preset"), ({"mapping": "[1]"}, "#/mapping")],
)
def test_bad_options_are_422_naming_the_field(
    client: Client, world: OrgWorld, fields: dict[str, str], where: str
) -> None:
    response = _upload(client, world.recruiter_key, csv_bytes([JA_HEADER]), **fields)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert response.json()["errors"][0]["pointer"] == where  # type: ignore[attr-defined]
    assert not ImportJob.objects.exists()


def test_a_missing_file_is_422_not_500(client: Client, world: OrgWorld) -> None:
    response = client.post("/api/v1/imports", {"preset": "ours"}, HTTP_AUTHORIZATION=f"Bearer {world.recruiter_key}")
    assert response.status_code == 422


def test_an_upload_lands_in_the_callers_org_only(client: Client, world: OrgWorld, other_world: OrgWorld) -> None:
    body = _upload(client, world.admin_key, csv_bytes([JA_HEADER, ja_row(1)])).json()  # type: ignore[attr-defined]
    worker.run_tick(force=True)
    assert ImportJob.objects.get(pk=body["id"]).org == world.org
    assert Candidate.objects.filter(org=world.org).count() == 1
    assert not Candidate.objects.filter(org=other_world.org).exists()


def test_the_export_holds_only_the_callers_org(client: Client, world: OrgWorld, other_world: OrgWorld) -> None:
    apply(world, email="mine@example.jp")
    apply(other_world, email="theirs@example.jp", family_name="他社")
    response = call(client, "GET", "/api/v1/exports/candidates.csv", world.recruiter_key)
    assert response.status_code == 200 and response["X-Rows"] == "1"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "mine@example.jp" in text and "theirs@example.jp" not in text and "他社" not in text


def test_the_export_in_cp932_reports_replaced_cells(client: Client, world: OrgWorld) -> None:
    apply(world, family_name="佐藤😀")
    response = call(client, "GET", "/api/v1/exports/candidates.csv?encoding=cp932", world.admin_key)
    assert response.status_code == 200 and response["X-Replaced-Cells"] == "1"
    assert "佐藤?" in b"".join(response.streaming_content).decode("cp932")


def test_the_export_refuses_an_unknown_encoding_and_viewers(client: Client, world: OrgWorld) -> None:
    bad = call(client, "GET", "/api/v1/exports/candidates.csv?encoding=latin-1", world.admin_key)
    assert bad.status_code == 422 and bad.json()["errors"][0]["parameter"] == "encoding"
    assert call(client, "GET", "/api/v1/exports/candidates.csv", world.viewer_key).status_code == 403


def test_a_job_whose_file_is_gone_fails_instead_of_staying_running(world: OrgWorld, tmp_path: Path) -> None:
    job = ImportJob.objects.create(org=world.org, file_name="gone.csv")
    job.file.name = "2026/01/gone.csv"
    job.save()
    worker.run_tick(force=True)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.error_count == 1


def test_an_upload_retried_with_the_same_idempotency_key_is_queued_once(client: Client, world: OrgWorld) -> None:
    content = csv_bytes([JA_HEADER, ja_row(1)])
    answers = []
    for _attempt in range(2):
        upload = SimpleUploadedFile("a.csv", content, content_type="text/csv")
        answers.append(
            client.post(
                "/api/v1/imports",
                {"file": upload},
                HTTP_AUTHORIZATION=f"Bearer {world.recruiter_key}",
                HTTP_IDEMPOTENCY_KEY="upload-1",
            )
        )
    assert [answer.status_code for answer in answers] == [202, 202]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert ImportJob.objects.filter(org=world.org).count() == 1


def test_a_large_upload_is_accepted_and_imported(client: Client, world: OrgWorld) -> None:
    rows = [JA_HEADER] + [ja_row(n, 備考="メモ" * 3000) for n in range(1, 301)]
    content = csv_bytes(rows, "cp932")
    assert len(content) > 3 << 20
    response = _upload(client, world.recruiter_key, content)
    assert response.status_code == 202  # type: ignore[attr-defined]
    worker.run_tick(force=True)
    job = ImportJob.objects.get(pk=response.json()["id"])  # type: ignore[attr-defined]
    assert (job.status, job.created_count) == ("succeeded", 300)


def test_a_large_upload_with_an_idempotency_key_is_a_413_problem_not_an_html_page(
    client: Client, world: OrgWorld, settings: object
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000  # type: ignore[attr-defined]
    content = csv_bytes([JA_HEADER] + [ja_row(n) for n in range(1, 100)])
    response = client.post(
        "/api/v1/imports",
        {"file": SimpleUploadedFile("a.csv", content)},
        HTTP_AUTHORIZATION=f"Bearer {world.recruiter_key}",
        HTTP_IDEMPOTENCY_KEY="big-1",
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"
    assert not ImportJob.objects.exists()


def test_a_job_whose_worker_died_is_run_again(client: Client, world: OrgWorld) -> None:
    import socket
    import subprocess
    import sys

    response = _upload(client, world.recruiter_key, csv_bytes([JA_HEADER, ja_row(1)], "cp932"))
    job = ImportJob.objects.get(pk=response.json()["id"])  # type: ignore[attr-defined]
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = finished.stdout.strip()  # a process of this host that has exited
    ImportJob.objects.filter(pk=job.pk).update(status="running", worker_id=f"{socket.gethostname()}:{dead_pid}")
    elsewhere = _upload(client, world.recruiter_key, csv_bytes([JA_HEADER, ja_row(2)], "cp932"))
    other = ImportJob.objects.get(pk=elsewhere.json()["id"])  # type: ignore[attr-defined]
    ImportJob.objects.filter(pk=other.pk).update(status="running", worker_id="another-host:1")
    worker.run_tick(force=True)
    job.refresh_from_db()
    other.refresh_from_db()
    assert job.status == "succeeded"
    assert other.status == "running"  # another host's worker may still be on it
    assert Candidate.objects.filter(org=world.org).count() == 1


def test_an_upload_over_the_size_limit_is_refused_naming_the_file(
    client: Client, world: OrgWorld, settings: object
) -> None:
    settings.CAREERRELAY_IMPORT_MAX_BYTES = 100  # type: ignore[attr-defined]
    response = _upload(client, world.recruiter_key, csv_bytes([JA_HEADER, ja_row(1), ja_row(2)], "cp932"))
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert response.json()["errors"][0]["pointer"] == "#/file"  # type: ignore[attr-defined]
    assert not ImportJob.objects.exists()
