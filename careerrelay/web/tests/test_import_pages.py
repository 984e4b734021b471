"""The import page: upload, dry run with every row error in the user's language, background job
with progress, error report download; viewers only look."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from careerrelay.candidates.imports.models import ImportJob
from careerrelay.candidates.imports.tests.helpers import JA_HEADER, csv_bytes, ja_row
from careerrelay.candidates.models import Candidate
from careerrelay.core import worker
from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.django_db


def _post(client: Client, content: bytes, **fields: str) -> object:
    upload = SimpleUploadedFile("応募者.csv", content, content_type="text/csv")
    return client.post("/imports/", {"file": upload, **fields})


def test_a_dry_run_shows_every_row_error_in_japanese_and_writes_nothing(client: Client, world: OrgWorld) -> None:
    client.force_login(world.recruiter)
    rows = [JA_HEADER, ja_row(1), ja_row(2, メールアドレス="nope"), ja_row(3, 応募日="昨日")]
    response = _post(client, csv_bytes(rows, "cp932"), dry_run="1")
    job = ImportJob.objects.get(org=world.org)
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"  # type: ignore[index, attr-defined]
    assert job.dry_run and job.status == "queued"
    waiting = client.get(f"/imports/{job.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in waiting and "待機中" in waiting
    worker.run_tick(force=True)
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "失敗" in page and 'http-equiv="refresh"' not in page
    assert "<td>3</td><td>メールアドレス</td><td>有効なメールアドレスを入力してください。</td>" in page
    assert "<td>4</td><td>応募日</td>" in page
    assert not Candidate.objects.filter(org=world.org).exists()
    report = client.get(f"/imports/{job.pk}/errors.csv")
    lines = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert lines[0] == ["行", "列", "理由"]
    assert [line[:2] for line in lines[1:]] == [["3", "メールアドレス"], ["4", "応募日"]]


def test_an_import_runs_in_the_background_and_reports_its_counts(client: Client, world: OrgWorld) -> None:
    client.force_login(world.recruiter)
    _post(client, csv_bytes([JA_HEADER, ja_row(1), ja_row(2)]), preset="ja_ats", **{"import": "1"})
    job = ImportJob.objects.get(org=world.org)
    assert not job.dry_run and job.preset == "ja_ats"
    worker.run_tick(force=True)
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "すべての行をインポートしました。" in page and "2 / 2" in page
    assert Candidate.objects.filter(org=world.org).count() == 2
    listing = client.get("/imports/").content.decode()
    assert "応募者.csv" in listing and "<td>完了</td>" in listing


def test_a_custom_mapping_is_typed_one_column_a_line(client: Client, world: OrgWorld) -> None:
    client.force_login(world.recruiter)
    content = csv_bytes([["ID", "氏名", "メール"], ["X1", "山田 花子", "hanako@example.jp"]])
    bad = _post(client, content, preset="custom", mapping="ID = nonsense")
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert "1 行目" in bad.content.decode()  # type: ignore[attr-defined]
    missing = _post(client, content, preset="custom")
    assert "カスタムの場合は列の対応表を入力してください。" in missing.content.decode()  # type: ignore[attr-defined]
    _post(client, content, preset="custom", mapping="ID = external_id\n氏名 = full_name\nメール = email")
    job = ImportJob.objects.get(org=world.org)
    assert job.mapping == {"ID": "external_id", "氏名": "full_name", "メール": "email"}
    worker.run_tick(force=True)
    candidate = Candidate.objects.get(org=world.org)
    assert (candidate.family_name, candidate.given_name, candidate.email) == ("山田", "花子", "hanako@example.jp")
    assert candidate.external_ids.get().system == "custom"


def test_viewers_see_the_imports_but_cannot_upload(client: Client, world: OrgWorld) -> None:
    client.force_login(world.viewer)
    page = client.get("/imports/").content.decode()
    assert 'enctype="multipart/form-data"' not in page
    response = _post(client, csv_bytes([JA_HEADER, ja_row(1)]), dry_run="1")
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert not ImportJob.objects.exists()
