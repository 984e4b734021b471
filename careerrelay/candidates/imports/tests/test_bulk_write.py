"""The chunked writer behaves exactly as the pool's services called one row at a time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from careerrelay.candidates import hooks
from careerrelay.candidates.imports import bulk
from careerrelay.candidates.imports.presets import build_mapping
from careerrelay.candidates.imports.rows import Reasons, parse_row
from careerrelay.candidates.imports.tests.helpers import JA_HEADER, csv_bytes, ja_row, run, write
from careerrelay.candidates.merging import candidates_merge
from careerrelay.candidates.models import Application, Candidate, CandidateTag, ExternalId, StageChange
from careerrelay.candidates.selectors import reasons_list
from careerrelay.candidates.services import application_record, candidate_reject, candidate_upsert
from careerrelay.candidates.tests.factories import apply, recruiter_of, sample_data
from careerrelay.core import clock
from careerrelay.matching.models import MatchProfile, MatchTerm
from careerrelay.matching.profiles import RECORD_FIELDS
from careerrelay.orgs.tests.factories import OrgWorld
from careerrelay.outreach.models import RescoutSchedule

pytestmark = pytest.mark.django_db


def _rows() -> list[list[str]]:
    """People who come back: by email, by phone, by kana name + birth year, and one new each."""
    return [
        JA_HEADER,
        ja_row(1, 応募日="2024/04/01"),
        ja_row(2, ステータス="選考中", 不採用理由="", 再スカウト可=""),
        # person 1 again under another ATS id and job, earlier in time: not a re-application
        ja_row(1, 応募者ID="B0001", 応募日="2023/10/01", 応募職種="営業職", 部署="営業部"),
        # person 2 again by phone only, later, now rejected
        ja_row(2, 応募者ID="", メールアドレス="", 応募日="2024/09/01", 応募職種="営業職", 部署="営業部"),
        # person 1 by kana name + birth year only
        ja_row(1, 応募者ID="", メールアドレス="", 電話番号="", 応募日="2025/01/10", 応募職種="データ分析", 部署="DX"),
        ja_row(3, ステータス="辞退", 不採用理由="本人辞退", 再スカウト可="×"),
        ja_row(4, ステータス="内定", 不採用理由="", 再スカウト可=""),
        # person 2's first application again (same job, department and date): the same application
        ja_row(2, ステータス="不採用", 応募者ID="", 電話番号=""),
    ]


def _snapshot(org: Any) -> dict[str, Any]:
    candidates = Candidate.objects.filter(org=org).order_by("email", "phone")
    by_pk = {c.pk: c.email or c.phone for c in candidates}
    apps = Application.objects.filter(org=org).select_related("job", "rejection_reason")
    return {
        "candidates": [
            (c.email, c.phone, c.family_name, c.given_name_kana, c.birth_year, c.skills, c.search_text, c.source)
            for c in candidates
        ],
        "applications": sorted(
            (
                by_pk[a.candidate_id],
                a.job.title if a.job else "",
                a.applied_at.isoformat(),
                a.status,
                a.is_reapplication,
                a.rejection_reason.code if a.rejection_reason else "",
                a.rescout_eligible,
                a.evaluation_summary,
                a.external_ref,
            )
            for a in apps
        ),
        "stages": sorted(
            (by_pk[s.application.candidate_id], s.application.applied_at.isoformat(), s.status)
            for s in StageChange.objects.filter(org=org).select_related("application")
        ),
        "tags": sorted(by_pk[t.candidate_id] for t in CandidateTag.objects.filter(org=org)),
        "external_ids": sorted((e.system, e.value, by_pk[e.candidate_id]) for e in ExternalId.objects.filter(org=org)),
        # What the hooks made of it: matching's profiles and index terms, the re-scout schedule.
        "profiles": sorted(
            (by_pk[p.candidate_id], p.eligible, *(repr(getattr(p, name)) for name in RECORD_FIELDS))
            for p in MatchProfile.objects.filter(org=org)
        ),
        "terms": sorted((by_pk[t.candidate_id], t.term, t.place, t.prior) for t in MatchTerm.objects.filter(org=org)),
        "schedule": sorted(
            (by_pk[r.candidate_id], r.application.external_ref, r.step, r.due_at.isoformat(), r.state)
            for r in RescoutSchedule.objects.filter(org=org).select_related("application")
        ),
    }


def _one_row_at_a_time(world: OrgWorld, rows: list[list[str]]) -> None:
    """The import as it was before the chunked writer: every row through the services."""
    actor = recruiter_of(world)
    mapping = build_mapping(rows[0], preset="ja_ats")
    reasons = Reasons(list(reasons_list(org=world.org)))
    for cells in rows[1:]:
        row = parse_row(cells, mapping, reasons)
        candidate = candidate_upsert(actor=actor, data=row.data, source="csv", audited=False).candidate
        fields = row.application
        assert fields is not None
        ref = bulk.application_ref(row, mapping)
        application = Application.objects.filter(org=world.org, external_ref=ref).first()
        if application is None:
            writer = bulk.BulkWriter(actor, mapping, "csv")
            job = writer._job(fields.job_title, fields.department)
            application = application_record(
                actor=actor,
                data=row.data,
                source="csv",
                job_id=job.pk if job else None,
                applied_at=fields.applied_at,
                external_ref=ref,
                audited=False,
                candidate=candidate,
                status=fields.status if fields.status in bulk.KEPT_OPEN else "active",
            )
        if fields.reason is not None and application.status in bulk.OPEN:
            candidate_reject(
                actor=actor,
                application_id=application.pk,
                reason_id=fields.reason.pk,
                evaluation_summary=fields.evaluation_summary,
                rescout_eligible=fields.rescout_eligible,
                note=fields.note,
                send_rejection_email=False,
                audited=False,
            )


@pytest.mark.parametrize("chunk_rows", [1, 2, 3, 2000])
def test_the_chunked_import_writes_what_the_services_write_one_row_at_a_time(
    world: OrgWorld, other_world: OrgWorld, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk_rows: int
) -> None:
    monkeypatch.setattr("careerrelay.candidates.imports.importer.CHUNK_ROWS", chunk_rows)
    rows = _rows()
    with clock.frozen_at(clock.now()):  # both at one instant, so the closing times compare too
        report = run(world, write(tmp_path, csv_bytes(rows)))
        assert report.written, report.errors
        _one_row_at_a_time(other_world, rows)
    snapshot = _snapshot(world.org)
    assert snapshot["profiles"] and snapshot["terms"] and snapshot["schedule"]
    assert snapshot == _snapshot(other_world.org)
    assert (report.created, report.updated) == (4, 4)


def test_two_rows_for_one_person_in_one_chunk_become_one_candidate(world: OrgWorld, tmp_path: Path) -> None:
    rows = [JA_HEADER, ja_row(7), ja_row(7, 応募者ID="Z9", 応募日="2025/02/01", 応募職種="営業職")]
    report = run(world, write(tmp_path, csv_bytes(rows)))
    assert (report.created, report.updated) == (1, 1)
    candidate = Candidate.objects.get(org=world.org)
    apps = list(Application.objects.filter(candidate=candidate).order_by("applied_at"))
    assert [a.is_reapplication for a in apps] == [False, True]
    assert set(ExternalId.objects.filter(candidate=candidate).values_list("value", flat=True)) == {"A0007", "Z9"}


def test_a_reimport_changes_nothing(world: OrgWorld, tmp_path: Path) -> None:
    path = write(tmp_path, csv_bytes(_rows()))
    run(world, path)
    before = _snapshot(world.org)
    report = run(world, path)
    assert report.written and (report.created, report.updated) == (0, 8)
    assert _snapshot(world.org) == before


def test_an_application_from_a_known_person_is_a_reapplication_only_if_later(world: OrgWorld, tmp_path: Path) -> None:
    from datetime import datetime

    from careerrelay.core.clock import JST

    application_record(
        actor=recruiter_of(world),
        data=sample_data(email="taro1@example.jp", phone=""),
        source="test",
        applied_at=datetime(2024, 6, 1, 9, tzinfo=JST),
    )
    rows = [JA_HEADER, ja_row(1, 応募日="2024/07/01"), ja_row(1, 応募日="2024/01/01", 応募職種="営業職")]
    run(world, write(tmp_path, csv_bytes(rows)))
    marks = dict(Application.objects.filter(org=world.org).values_list("applied_at__month", "is_reapplication"))
    assert marks == {6: False, 7: True, 1: False}


def test_a_row_matching_a_merged_record_lands_on_the_survivor(world: OrgWorld, tmp_path: Path) -> None:
    actor = recruiter_of(world)
    survivor = candidate_upsert(actor=actor, data=sample_data(), source="test").candidate
    merged = candidate_upsert(
        actor=actor, data=sample_data(email="taro1@example.jp", phone="", birth_year=1980), source="test"
    ).candidate
    candidates_merge(actor=actor, survivor_id=survivor.pk, merged_id=merged.pk)
    run(world, write(tmp_path, csv_bytes([JA_HEADER, ja_row(1)])))
    application = Application.objects.get(org=world.org)
    assert application.candidate_id == survivor.pk
    assert Candidate.objects.filter(org=world.org).count() == 2


def test_every_rejection_reaches_every_hook_without_an_email(world: OrgWorld, tmp_path: Path) -> None:
    seen: list[hooks.Rejection] = []
    hooks.on_rejected(seen.append)
    try:
        run(world, write(tmp_path, csv_bytes(_rows())))
    finally:
        hooks._after_reject.remove((seen.append, None))
    closed = Application.objects.filter(org=world.org, status__in=["rejected", "withdrawn"])
    assert sorted(r.application.pk for r in seen) == sorted(closed.values_list("pk", flat=True))
    assert len(seen) == 6  # rows 1, 3, 4, 5 and 6, and row 8 closing row 2's application
    assert not any(r.send_rejection_email for r in seen)


def test_ids_imported_under_the_old_shared_csv_system_still_match(world: OrgWorld, tmp_path: Path) -> None:
    known = apply(world).candidate
    ExternalId.objects.create(org=world.org, candidate=known, system="csv", value="A0001")
    report = run(world, write(tmp_path, csv_bytes([JA_HEADER, ja_row(1)])))
    assert (report.created, report.updated) == (0, 1)
    assert set(ExternalId.objects.filter(candidate=known).values_list("system", flat=True)) == {"csv", "ja_ats"}


def test_ja_ats_and_custom_mapping_ids_are_separate_systems(world: OrgWorld, tmp_path: Path) -> None:
    run(world, write(tmp_path, csv_bytes([JA_HEADER, ja_row(1)])))
    custom = [["id", "name", "mail"], ["A0001", "別人 花子", "hanako@example.jp"]]
    mapping = {"id": "external_id", "name": "full_name", "mail": "email"}
    report = run(world, write(tmp_path, csv_bytes(custom), "custom.csv"), custom_mapping=mapping)
    assert (report.created, report.updated) == (1, 0)
    assert sorted(ExternalId.objects.filter(org=world.org).values_list("system", flat=True)) == ["custom", "ja_ats"]


def test_each_chunk_tells_the_change_hooks_about_every_person_it_touched(world: OrgWorld, tmp_path: Path) -> None:
    seen: list[object] = []

    def record(ids: list[object]) -> None:
        seen.extend(ids)

    hooks.on_candidate_changed(record)
    try:
        report = run(world, write(tmp_path, csv_bytes(_rows())))
    finally:
        hooks._after_change.remove((record, None))
    assert report.written
    assert set(seen) == set(Candidate.objects.filter(org=world.org).values_list("pk", flat=True))
