"""The CSV importer: encodings, presets, dry runs, all-or-nothing and re-imports."""

from __future__ import annotations

from pathlib import Path

import pytest

from careerrelay.accounts.models import AuditEvent
from careerrelay.candidates.imports.tests.helpers import JA_HEADER, csv_bytes, ja_row, run, write
from careerrelay.candidates.models import Application, Candidate, ExternalId, JobRequisition, Tag
from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.django_db


def _counts(world: OrgWorld) -> tuple[int, int, int]:
    org = world.org
    return (
        Candidate.objects.filter(org=org).count(),
        Application.objects.filter(org=org).count(),
        JobRequisition.objects.filter(org=org).count(),
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_a_japanese_ats_file_imports_in_each_accepted_encoding(world: OrgWorld, tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path, csv_bytes([JA_HEADER, ja_row(1), ja_row(2)], encoding))
    report = run(world, path)
    assert report.errors == []
    assert (report.preset, report.created, report.updated, report.written) == ("ja_ats", 2, 0, True)
    assert report.encoding == ("cp932" if encoding == "cp932" else "utf-8-sig")
    taro = Candidate.objects.get(org=world.org, email="taro1@example.jp")
    assert (taro.family_name, taro.given_name_kana, taro.prefecture) == ("山田", "タロウ1", "13")
    assert (taro.phone, taro.years_experience, taro.skills) == ("+819011110001", 8, ["Python", "AWS"])
    application = taro.applications.get()
    assert application.status == Application.Status.REJECTED
    assert application.rejection_reason is not None and application.rejection_reason.code == "skills_gap"
    assert application.rescout_eligible and application.evaluation_summary == "Python は強い"
    assert application.job is not None and (application.job.title, application.job.department) == (
        "バックエンドエンジニア",
        "開発部",
    )
    assert taro.tag_links.filter(tag=Tag.objects.get(org=world.org, code="rescout")).exists()
    assert ExternalId.objects.get(org=world.org, value="A0001").system == "ja_ats"
    assert JobRequisition.objects.filter(org=world.org).count() == 1


def test_a_cp932_file_with_kanji_kana_and_full_width_digits_is_read_exactly(world: OrgWorld, tmp_path: Path) -> None:
    row = ja_row(
        1, 姓="髙橋", 名="﨑子", セイ="ﾀｶﾊｼ", メイ="さきこ", 電話番号="０９０－２２２２－３３３３", 生年="１９８８年"
    )
    row[JA_HEADER.index("名")] = "咲子"  # 﨑 is an NEC/IBM extension CP932 has; keep the name plain too
    path = write(tmp_path, csv_bytes([JA_HEADER, row], "cp932"))
    report = run(world, path)
    assert report.errors == [] and report.encoding == "cp932"
    person = Candidate.objects.get(org=world.org)
    assert (person.family_name, person.given_name) == ("髙橋", "咲子")
    assert (person.family_name_kana, person.given_name_kana) == ("タカハシ", "サキコ")
    assert (person.phone, person.birth_year) == ("+819022223333", 1988)


def test_quoted_multi_line_cells_and_mixed_line_endings_are_read(world: OrgWorld, tmp_path: Path) -> None:
    header = ",".join(JA_HEADER).encode()
    first = csv_bytes([ja_row(1, 備考="一行目\r\n二行目\n三行目")], newline="\n")
    second = csv_bytes([ja_row(2)], newline="\r\n")
    path = write(tmp_path, header + b"\r\n" + first + second + csv_bytes([ja_row(3)], newline="\n"))
    report = run(world, path)
    assert report.errors == [] and report.created == 3
    note = Application.objects.get(org=world.org, candidate__email="taro1@example.jp").rejection_note
    assert note == "一行目\r\n二行目\n三行目"


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(world: OrgWorld, tmp_path: Path) -> None:
    run(world, write(tmp_path, csv_bytes([JA_HEADER, ja_row(1)]), "first.csv"))
    before, audit_before = _counts(world), AuditEvent.objects.count()
    path = write(tmp_path, csv_bytes([JA_HEADER, ja_row(1), ja_row(2), ja_row(2, 応募日="2025/01/10")]))
    report = run(world, path, dry_run=True)
    assert (report.errors, report.created, report.updated, report.written) == ([], 1, 2, False)
    assert _counts(world) == before and AuditEvent.objects.count() == audit_before


def test_one_bad_row_means_nothing_is_written_and_every_bad_row_is_named(world: OrgWorld, tmp_path: Path) -> None:
    rows = [
        JA_HEADER,
        ja_row(1),
        ja_row(2, メールアドレス="not-an-email"),
        ja_row(3, 電話番号="12"),
        ja_row(4, 応募日="2024/13/45"),
        ja_row(5, 不採用理由="そんな理由はない"),
        ja_row(6, 生年="千九百"),
        ja_row(7, ステータス="謎"),
    ]
    report = run(world, write(tmp_path, csv_bytes(rows)), dry_run=False)
    assert not report.written and _counts(world) == (0, 0, 0)
    found = [(error.row, error.column) for error in report.errors]
    assert found == [
        (3, "メールアドレス"),
        (4, "電話番号"),
        (5, "応募日"),
        (6, "不採用理由"),
        (7, "生年"),
        (8, "ステータス"),
    ]
    assert all(error.message for error in report.errors)


def test_row_errors_are_in_the_language_of_the_request(world: OrgWorld, tmp_path: Path) -> None:
    from django.utils import translation

    path = write(tmp_path, csv_bytes([JA_HEADER, ja_row(1, メールアドレス="bad")]))
    with translation.override("en"):
        english = run(world, path).errors[0].message
    assert english == "Enter a valid email address."


def test_reimporting_the_same_file_updates_instead_of_duplicating(world: OrgWorld, tmp_path: Path) -> None:
    path = write(tmp_path, csv_bytes([JA_HEADER, ja_row(1), ja_row(2, ステータス="選考中", 不採用理由="")]))
    assert run(world, path).created == 2
    counts = _counts(world)
    again = run(world, path)
    assert (again.created, again.updated, again.errors) == (0, 2, [])
    assert _counts(world) == counts


def test_rows_without_external_id_are_matched_by_identity_resolution(world: OrgWorld, tmp_path: Path) -> None:
    path = write(tmp_path, csv_bytes([JA_HEADER, ja_row(1, 応募者ID="")]))
    run(world, path)
    changed = write(tmp_path, csv_bytes([JA_HEADER, ja_row(1, 応募者ID="", 現職="テックリード")]), "second.csv")
    report = run(world, changed)
    assert (report.created, report.updated) == (0, 1)
    assert Candidate.objects.get(org=world.org).current_title == "テックリード"


def test_a_greenhouse_export_is_recognised_and_imported(world: OrgWorld, tmp_path: Path) -> None:
    header = ["Candidate ID", "First Name", "Last Name", "Email", "Phone", "Company", "Title", "Job", "Applied On",
              "Status", "Rejection Reason", "Application ID"]  # fmt: skip
    rows = [
        header,
        ["901", "Ken", "Sato", "ken@example.com", "+81 80 1234 5678", "Acme", "SRE", "SRE", "03/15/2024",
         "Rejected", "Timing", "55501"],
        ["902", "Aiko", "Mori", "aiko@example.com", "", "", "", "SRE", "2024-03-20", "Active", "", "55502"],
    ]  # fmt: skip
    report = run(world, write(tmp_path, csv_bytes(rows)))
    assert report.errors == [] and report.preset == "greenhouse"
    ken = Candidate.objects.get(org=world.org, email="ken@example.com")
    application = ken.applications.get()
    assert (application.external_ref, application.status) == ("greenhouse:55501", "rejected")
    assert application.applied_at.date().isoformat() == "2024-03-15"
    assert ExternalId.objects.get(org=world.org, candidate=ken).system == "greenhouse"


def test_a_custom_mapping_names_the_columns(world: OrgWorld, tmp_path: Path) -> None:
    rows = [["Name", "Mail", "Unused"], ["鈴木 一郎", "ichiro@example.jp", "x"]]
    report = run(world, write(tmp_path, csv_bytes(rows)), custom_mapping={"Name": "full_name", "Mail": "email"})
    assert report.errors == [] and report.preset == "custom"
    person = Candidate.objects.get(org=world.org)
    assert (person.family_name, person.given_name, person.email) == ("鈴木", "一郎", "ichiro@example.jp")
    assert not person.applications.exists()


def test_the_whole_import_writes_one_audit_event(world: OrgWorld, tmp_path: Path) -> None:
    before = AuditEvent.objects.filter(org=world.org).count()
    run(world, write(tmp_path, csv_bytes([JA_HEADER, ja_row(1), ja_row(2)])), file_name="a.csv")
    events = AuditEvent.objects.filter(org=world.org).order_by("id")[before:]
    assert [event.action for event in events] == ["candidates.imported"]
    assert events[0].details["created"] == 2


def test_a_viewer_cannot_import(world: OrgWorld, tmp_path: Path) -> None:
    from careerrelay.candidates.imports.importer import import_candidates
    from careerrelay.core.errors import PermissionDenied
    from careerrelay.orgs.actors import Actor

    path = write(tmp_path, csv_bytes([JA_HEADER, ja_row(1)]))
    with pytest.raises(PermissionDenied):
        import_candidates(actor=Actor(org=world.org, role="viewer", user=world.viewer), path=path)
    assert _counts(world) == (0, 0, 0)


def test_an_open_status_with_a_reason_stays_open(world: OrgWorld, tmp_path: Path) -> None:
    run(world, write(tmp_path, csv_bytes([JA_HEADER, ja_row(1, ステータス="選考中")])))
    application = Application.objects.get(org=world.org)
    assert (application.status, application.rejection_reason) == ("active", None)


def test_a_later_file_that_rejects_an_open_application_closes_it(world: OrgWorld, tmp_path: Path) -> None:
    run(world, write(tmp_path, csv_bytes([JA_HEADER, ja_row(1, ステータス="選考中", 不採用理由="")]), "a.csv"))
    report = run(world, write(tmp_path, csv_bytes([JA_HEADER, ja_row(1)]), "b.csv"))
    assert (report.created, report.updated) == (0, 1)
    application = Application.objects.get(org=world.org)
    assert application.status == "rejected" and application.rejection_reason is not None


def test_application_record_refuses_a_candidate_of_another_org(world: OrgWorld, other_world: OrgWorld) -> None:
    from careerrelay.candidates.services import application_record
    from careerrelay.candidates.tests.factories import apply, recruiter_of, sample_data
    from careerrelay.core.errors import NotFound

    theirs = apply(other_world).candidate
    with pytest.raises(NotFound):
        application_record(actor=recruiter_of(world), data=sample_data(), source="csv", candidate=theirs)
    assert not Application.objects.filter(org=world.org).exists()
    assert Application.objects.filter(candidate=theirs).count() == 1
