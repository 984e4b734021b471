"""CSV export for Excel: encodings, formula neutralisation, CP932 replacements, round trips."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from careerrelay.candidates.imports.export import write_export
from careerrelay.candidates.imports.presets import OURS_COLUMNS
from careerrelay.candidates.imports.tests.helpers import JA_HEADER, csv_bytes, ja_row, run, write
from careerrelay.candidates.models import Application, Candidate
from careerrelay.candidates.tests.factories import apply, recruiter_of
from careerrelay.core.errors import PermissionDenied
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.django_db


def _export(world: OrgWorld, encoding: str = "utf-8-sig") -> tuple[bytes, object]:
    out = io.BytesIO()
    report = write_export(actor=recruiter_of(world), out=out, encoding=encoding)
    return out.getvalue(), report


def _rows(content: bytes, encoding: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode(encoding), newline="")))


def test_utf8_export_starts_with_a_bom_and_has_our_columns(world: OrgWorld) -> None:
    apply(world)
    content, _report = _export(world)
    assert content.startswith(b"\xef\xbb\xbf")
    rows = _rows(content, "utf-8-sig")
    assert rows[0] == OURS_COLUMNS
    assert rows[1][OURS_COLUMNS.index("family_name")] == "佐藤"
    assert rows[1][OURS_COLUMNS.index("prefecture")] == "東京都"


@pytest.mark.parametrize("value", ["=1+1", "+cmd", "-2+3", "@SUM(A1)"])
def test_formula_cells_get_a_leading_apostrophe(world: OrgWorld, value: str) -> None:
    apply(world, current_title=value, email="f@example.jp")
    rows = _rows(_export(world)[0], "utf-8-sig")
    title = rows[1][OURS_COLUMNS.index("current_title")]
    assert title.startswith("'") and title[1:].strip() == value.strip()


def test_cells_starting_with_a_tab_or_carriage_return_are_neutralised_and_others_are_not() -> None:
    from careerrelay.candidates.imports.export import neutralise

    assert (neutralise("\tx"), neutralise("\rx"), neutralise("a=b"), neutralise("")) == ("'\tx", "'\rx", "a=b", "")


def test_phone_numbers_are_neutralised_too_and_read_back(world: OrgWorld) -> None:
    apply(world)
    rows = _rows(_export(world)[0], "utf-8-sig")
    assert rows[1][OURS_COLUMNS.index("phone")] == "'+819012345678"


def test_cp932_export_replaces_characters_it_lacks_and_reports_them(world: OrgWorld) -> None:
    apply(world, family_name="佐藤😀", email="e@example.jp")
    content, report = _export(world, "cp932")
    rows = _rows(content, "cp932")
    assert rows[1][OURS_COLUMNS.index("family_name")] == "佐藤?"
    assert report.replaced == [(2, "family_name")]  # type: ignore[attr-defined]


def test_an_unknown_encoding_is_refused(world: OrgWorld) -> None:
    from careerrelay.core.errors import DomainValidationError

    with pytest.raises(DomainValidationError):
        _export(world, "latin-1")


def test_a_viewer_cannot_export(world: OrgWorld) -> None:
    with pytest.raises(PermissionDenied):
        write_export(actor=Actor(org=world.org, role="viewer", user=world.viewer), out=io.BytesIO())


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_reimporting_an_export_with_the_ours_preset_round_trips(world: OrgWorld, tmp_path: Path, encoding: str) -> None:
    run(
        world,
        write(tmp_path, csv_bytes([JA_HEADER, ja_row(1), ja_row(2, ステータス="選考中", 不採用理由="")]), "in.csv"),
    )
    apply(world, family_name="=武田", email="", phone="", family_name_kana="", birth_year=None)  # name only
    before = sorted(Candidate.objects.filter(org=world.org).values_list("id", "family_name", "email", "skills"))
    apps_before = sorted(Application.objects.filter(org=world.org).values_list("id", "status", "rejection_reason"))
    content, _report = _export(world, encoding)
    report = run(world, write(tmp_path, content, "export.csv"), preset="ours")
    assert report.errors == [] and (report.created, report.updated) == (0, 3)
    after = sorted(Candidate.objects.filter(org=world.org).values_list("id", "family_name", "email", "skills"))
    assert after == before
    assert (
        sorted(Application.objects.filter(org=world.org).values_list("id", "status", "rejection_reason")) == apps_before
    )
    again, _ = _export(world, encoding)
    assert again == content


def test_an_export_is_detected_as_ours_without_a_preset(world: OrgWorld, tmp_path: Path) -> None:
    apply(world)
    report = run(world, write(tmp_path, _export(world)[0]))
    assert report.preset == "ours" and report.errors == []
