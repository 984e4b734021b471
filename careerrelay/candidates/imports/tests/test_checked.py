"""The checking pass's rows come back from disk exactly as they were parsed."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from careerrelay.candidates.data import CandidateData
from careerrelay.candidates.imports.checked import CheckedRows
from careerrelay.candidates.imports.rows import ApplicationFields, ParsedRow
from careerrelay.candidates.models import Application, RejectionReason
from careerrelay.core.clock import JST


def test_rows_read_back_equal_with_their_types() -> None:
    reason = RejectionReason(pk=uuid.uuid4(), code="timing", label_ja="タイミング", label_en="Timing")
    data = CandidateData(
        family_name="山田",
        family_name_kana="ヤマダ",
        birth_year=1990,
        skills=["Python", "簿記2級"],
        available_from=date(2027, 4, 1),
        external_system="ja_ats",
        external_id="B1",
    )
    rejected = ApplicationFields(
        ref="A-1",
        job_title="営業職",
        department="営業部",
        applied_at=datetime.combine(date(2025, 2, 8), time(9), tzinfo=JST),
        status=Application.Status.REJECTED,
        reason=reason,
        rescout_eligible=True,
        evaluation_summary="面接評価: B",
        note="一次面接で見送り",
    )
    undated = ApplicationFields(
        ref="",
        job_title="人事担当",
        department="",
        applied_at=None,
        status=Application.Status.OFFER,
        reason=None,
        rescout_eligible=False,
        evaluation_summary="",
        note="",
    )
    rows = [
        (2, ParsedRow(data=data, candidate_id="", source="紹介", application=rejected)),
        (3, ParsedRow(data=CandidateData(email="a@example.jp"), candidate_id="x", source="", application=None)),
        (5, ParsedRow(data=CandidateData(given_name="花子"), candidate_id="", source="", application=undated)),
    ]
    checked = CheckedRows()
    try:
        for number, row in rows:
            checked.add(number, row)
        back = list(checked.rows([reason]))
    finally:
        checked.close()
    assert back == rows
    first = back[0][1].application
    assert first is not None and first.applied_at is not None
    assert type(first.status) is Application.Status and first.reason is reason
    assert first.applied_at.tzinfo is JST and first.applied_at.utcoffset() == rejected.applied_at.utcoffset()
    assert type(back[2][1].application.status) is Application.Status  # type: ignore[union-attr]
