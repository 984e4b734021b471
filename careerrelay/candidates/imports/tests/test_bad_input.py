"""The bad-input corpus: every broken file is imported or refused with precise errors, and
a refused file writes nothing. Files are generated here, not committed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation

from careerrelay.candidates.imports.tests.helpers import JA_HEADER, csv_bytes, ja_row, run, write
from careerrelay.candidates.models import Application, Candidate
from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages are checked in English, so the Japanese catalogue can change freely."""
    with translation.override("en"):
        yield


def _nothing_written(world: OrgWorld) -> bool:
    return (
        not Candidate.objects.filter(org=world.org).exists() and not Application.objects.filter(org=world.org).exists()
    )


def _refused(world: OrgWorld, path: Path) -> list[tuple[int, str, str]]:
    report = run(world, path)
    assert not report.written and report.error_count >= 1
    assert _nothing_written(world)
    return [(error.row, error.column, error.message) for error in report.errors]


def test_utf16_is_refused_with_a_clear_message(world: OrgWorld, tmp_path: Path) -> None:
    content = csv_bytes([JA_HEADER, ja_row(1)], "utf-16")
    (error,) = _refused(world, write(tmp_path, content))
    assert "UTF-16" in error[2]


def test_utf16_without_bom_is_refused(world: OrgWorld, tmp_path: Path) -> None:
    (error,) = _refused(world, write(tmp_path, csv_bytes([JA_HEADER, ja_row(1)], "utf-16-le")))
    assert "encoding" in error[2]


def test_latin1_bytes_are_refused(world: OrgWorld, tmp_path: Path) -> None:
    content = csv_bytes([["First Name", "Last Name", "Email"], ["José", "Müller", "jose@example.com"]], "latin-1")
    (error,) = _refused(world, write(tmp_path, content))
    assert "encoding" in error[2]


def test_a_cp932_file_that_is_ascii_for_its_first_megabyte_is_still_recognised(world: OrgWorld, tmp_path: Path) -> None:
    header = ["Candidate ID", "First Name", "Last Name", "Email", "Title"]
    ascii_rows = [[str(n), "Taro", "Yamada", f"t{n}@example.jp" + " " * 3000, "SRE"] for n in range(400)]
    content = csv_bytes([header, *ascii_rows, ["9999", "咲子", "髙橋", "s@example.jp", "エンジニア"]], "cp932")
    assert len(content) > 1 << 20 and content[: 1 << 20].isascii()
    report = run(world, write(tmp_path, content))
    assert report.errors == [] and report.encoding == "cp932"
    assert Candidate.objects.filter(org=world.org, family_name="髙橋", given_name="咲子").exists()


def test_an_unbalanced_quote_refuses_the_file_naming_the_row(world: OrgWorld, tmp_path: Path) -> None:
    good = csv_bytes([JA_HEADER, ja_row(1)])
    broken = ",".join(ja_row(2)).replace("山田", '"山田', 1).encode() + b"\r\n"
    errors = _refused(world, write(tmp_path, good + broken + csv_bytes([ja_row(3)])))
    assert errors[-1][0] == 3 and "quoted" in errors[-1][2]


def test_a_10_mb_cell_is_refused_with_its_row(world: OrgWorld, tmp_path: Path) -> None:
    huge = ja_row(2, 備考="あ" * (10 * 1024 * 1024 // 3))
    errors = _refused(world, write(tmp_path, csv_bytes([JA_HEADER, ja_row(1), huge])))
    assert errors[-1][0] == 3 and "KB" in errors[-1][2]


def test_5000_columns_are_refused(world: OrgWorld, tmp_path: Path) -> None:
    header = JA_HEADER + [f"extra{n}" for n in range(5000 - len(JA_HEADER))]
    (error,) = _refused(world, write(tmp_path, csv_bytes([header, ja_row(1) + [""] * (5000 - len(JA_HEADER))])))
    assert "5000" in error[2]


def test_an_empty_file_is_refused(world: OrgWorld, tmp_path: Path) -> None:
    (error,) = _refused(world, write(tmp_path, b""))
    assert error[0] == 1


def test_a_file_of_blank_lines_is_refused_as_empty(world: OrgWorld, tmp_path: Path) -> None:
    (error,) = _refused(world, write(tmp_path, b"\r\n\n,,,\r\n"))
    assert error[0] == 1


def test_a_header_only_file_imports_nothing_without_error(world: OrgWorld, tmp_path: Path) -> None:
    report = run(world, write(tmp_path, csv_bytes([JA_HEADER])))
    assert (report.rows_total, report.created, report.error_count) == (0, 0, 0)
    assert _nothing_written(world)


def test_duplicate_headers_are_refused_naming_the_column(world: OrgWorld, tmp_path: Path) -> None:
    (error,) = _refused(
        world, write(tmp_path, csv_bytes([[*JA_HEADER, "メールアドレス"], [*ja_row(1), "x@example.jp"]]))
    )
    assert "メールアドレス" in error[2]


def test_an_unrecognised_header_is_refused(world: OrgWorld, tmp_path: Path) -> None:
    (error,) = _refused(world, write(tmp_path, csv_bytes([["foo", "bar"], ["1", "2"]])))
    assert "preset" in error[2] or "mapping" in error[2]


def test_a_row_longer_than_the_header_is_a_row_error(world: OrgWorld, tmp_path: Path) -> None:
    errors = _refused(world, write(tmp_path, csv_bytes([JA_HEADER, ja_row(1), [*ja_row(2), "extra"]])))
    assert [(row, column) for row, column, _ in errors] == [(3, "")]


def test_invalid_emails_phones_and_dates_are_each_named(world: OrgWorld, tmp_path: Path) -> None:
    rows = [JA_HEADER, ja_row(1, メールアドレス="a@@b"), ja_row(2, 電話番号="abc"), ja_row(3, 応募日="昨日")]
    errors = _refused(world, write(tmp_path, csv_bytes(rows)))
    assert [(row, column) for row, column, _ in errors] == [(2, "メールアドレス"), (3, "電話番号"), (4, "応募日")]


def test_formula_cells_are_kept_as_text_not_refused(world: OrgWorld, tmp_path: Path) -> None:
    row = ja_row(1, 現職='=HYPERLINK("http://evil.example","click")', 備考="@SUM(A1:A2)")
    report = run(world, write(tmp_path, csv_bytes([JA_HEADER, row])))
    assert report.errors == []
    person = Candidate.objects.get(org=world.org)
    assert person.current_title.startswith("=HYPERLINK")


def test_values_longer_than_their_column_are_row_errors_on_every_database(world: OrgWorld, tmp_path: Path) -> None:
    rows = [
        JA_HEADER,
        ja_row(1, 現職="長" * 201),
        ja_row(2, 応募職種="職" * 201),
        ja_row(3, 姓="姓" * 101),
        ja_row(4, 部署="部" * 101),
        ja_row(5, 応募者ID="9" * 201),
    ]
    errors = _refused(world, write(tmp_path, csv_bytes(rows)))
    assert [(row, column) for row, column, _ in errors] == [
        (2, "現職"),
        (3, "応募職種"),
        (4, "姓"),
        (5, "部署"),
        (6, "応募者ID"),
    ]
    assert errors[0][2] == "At most 200 characters."


def test_a_full_name_whose_family_part_is_too_long_is_a_row_error(world: OrgWorld, tmp_path: Path) -> None:
    errors = _refused(
        world, write(tmp_path, csv_bytes([["氏名", "メールアドレス"], ["長" * 150 + " 太郎", "a@example.jp"]]))
    )
    assert [(row, column) for row, column, _ in errors] == [(2, "氏名")]
