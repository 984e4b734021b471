"""`careerrelay import candidates …` and `careerrelay export candidates …`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from careerrelay import cli
from careerrelay.candidates.imports.tests.helpers import JA_HEADER, csv_bytes, ja_row, write
from careerrelay.candidates.models import Candidate
from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.django_db


def test_the_console_script_maps_import_and_export_to_their_commands() -> None:
    assert (cli.ALIASES["import"], cli.ALIASES["export"]) == ("import_data", "export_data")


def test_import_writes_the_rows_and_prints_a_summary(world: OrgWorld, tmp_path: Path) -> None:
    path = write(tmp_path, csv_bytes([JA_HEADER, ja_row(1), ja_row(2)], "cp932"))
    out = io.StringIO()
    call_command("import_data", "candidates", str(path), "--org", world.org.slug, stdout=out)
    assert "Imported: 2 rows, preset ja_ats, encoding cp932: 2 created, 0 updated" in out.getvalue()
    assert Candidate.objects.filter(org=world.org).count() == 2


def test_a_dry_run_writes_nothing(world: OrgWorld, tmp_path: Path) -> None:
    path = write(tmp_path, csv_bytes([JA_HEADER, ja_row(1)]))
    out = io.StringIO()
    call_command("import_data", "candidates", str(path), "--org", world.org.slug, "--dry-run", stdout=out)
    assert "Dry run, nothing written: 1 rows" in out.getvalue()
    assert not Candidate.objects.filter(org=world.org).exists()


def test_errors_print_row_column_and_reason_and_fail_the_command(world: OrgWorld, tmp_path: Path) -> None:
    path = write(tmp_path, csv_bytes([JA_HEADER, ja_row(1), ja_row(2, 電話番号="12")]))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 errors; nothing was imported"):
        call_command("import_data", "candidates", str(path), "--org", world.org.slug, "--preset", "ja_ats", stdout=out)
    assert "row 3, column 電話番号:" in out.getvalue()
    assert not Candidate.objects.filter(org=world.org).exists()


def test_an_unknown_org_or_file_is_a_clear_error(world: OrgWorld, tmp_path: Path) -> None:
    path = write(tmp_path, csv_bytes([JA_HEADER]))
    with pytest.raises(CommandError, match="No organisation"):
        call_command("import_data", "candidates", str(path), "--org", "nope")
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_data", "candidates", str(tmp_path / "missing.csv"), "--org", world.org.slug)


def test_export_writes_a_file_that_imports_back(world: OrgWorld, tmp_path: Path) -> None:
    call_command("import_data", "candidates", str(write(tmp_path, csv_bytes([JA_HEADER, ja_row(1)]))), "--org",
                 world.org.slug, stdout=io.StringIO())  # fmt: skip
    target = tmp_path / "out.csv"
    err = io.StringIO()
    call_command("export_data", "candidates", "--org", world.org.slug, "--encoding", "cp932", "--output", str(target),
                 stderr=err)  # fmt: skip
    assert "1 rows exported." in err.getvalue()
    assert "山田".encode("cp932") in target.read_bytes()
    out = io.StringIO()
    call_command("import_data", "candidates", str(target), "--org", world.org.slug, stdout=out)
    assert "0 created, 1 updated" in out.getvalue()
