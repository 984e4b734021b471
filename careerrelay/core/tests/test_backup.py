"""`careerrelay backup` / `restore` on the database the suite runs on (SQLite or PostgreSQL)."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from careerrelay.candidates.models import Candidate
from careerrelay.candidates.tests.factories import apply
from careerrelay.core.backup import BackupError, backup, read_manifest, restore
from careerrelay.orgs.models import Organization
from careerrelay.orgs.tests.factories import OrgWorld, make_org_world

pytestmark = pytest.mark.django_db(transaction=True)


def _snapshot() -> list[tuple[str, str]]:
    return sorted(Candidate.objects.values_list("family_name", "email"))


def test_a_restore_puts_back_exactly_what_the_backup_held(world: OrgWorld, tmp_path: Path) -> None:
    apply(world, phone="", family_name="山田", family_name_kana="やまだ", email="yamada@example.jp")
    apply(world, phone="", family_name="佐藤", family_name_kana="さとう", email="sato@example.jp")
    before = _snapshot()
    archive = tmp_path / "careerrelay.tar.gz"

    manifest = backup(archive)

    assert manifest.row_counts["candidates_candidate"] == 2
    assert read_manifest(archive).row_counts == manifest.row_counts
    Candidate.objects.filter(email="yamada@example.jp").update(family_name="変更")
    make_org_world("gamma")  # work done after the backup, which the restore must undo
    restore(archive, replace=True)
    assert _snapshot() == before
    assert not Organization.objects.filter(slug="gamma").exists()


def test_a_restore_will_not_overwrite_data_unless_told(world: OrgWorld, tmp_path: Path) -> None:
    apply(world, phone="", family_name="山田", family_name_kana="やまだ", email="yamada@example.jp")
    archive = tmp_path / "careerrelay.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    apply(world, phone="", family_name="新規", family_name_kana="しんき", email="new@example.jp")
    before = _snapshot()

    with pytest.raises(CommandError, match="--replace"):
        call_command("restore", str(archive), stdout=io.StringIO())

    assert _snapshot() == before


def test_a_file_that_is_not_a_backup_is_refused_by_name(tmp_path: Path) -> None:
    stray = tmp_path / "notes.tar.gz"
    stray.write_bytes(b"not an archive")
    with pytest.raises(BackupError, match=r"notes\.tar\.gz"):
        restore(stray, replace=True)


def test_a_backup_of_the_other_database_kind_is_refused(world: OrgWorld, tmp_path: Path) -> None:
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    archive = tmp_path / "other.tar.gz"
    manifest = json.dumps({"vendor": other, "created_at": "", "migrations": [], "row_counts": {}, "format": 1}).encode()
    with tarfile.open(archive, "w:gz") as tar:
        entry = tarfile.TarInfo("manifest.json")
        entry.size = len(manifest)
        tar.addfile(entry, io.BytesIO(manifest))
    count = Organization.objects.count()

    with pytest.raises(BackupError, match=other):
        restore(archive, replace=True)

    assert Organization.objects.count() == count


def _empty_database(tmp_path: Path) -> str:
    """A database URL of the suite's kind with nothing in it, as on a new machine."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    settings = connection.settings_dict
    name = f"{settings['NAME']}_restored"
    server = f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{name}"')
        pg.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def test_the_command_restores_into_an_empty_database_on_a_new_machine(world: OrgWorld, tmp_path: Path) -> None:
    apply(world, phone="", family_name="山田", given_name="花子", email="hanako@example.jp")
    archive = tmp_path / "careerrelay.tar.gz"
    manifest = backup(archive)
    url = _empty_database(tmp_path)
    env = {**os.environ, "DATABASE_URL": url, "CAREERRELAY_VAR_DIR": str(tmp_path)}

    result = subprocess.run(
        [sys.executable, "-m", "careerrelay.cli", "restore", str(archive)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    query = "SELECT family_name, given_name FROM candidates_candidate WHERE email = 'hanako@example.jp'"
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as restored:
            assert restored.execute(query).fetchall() == [("山田", "花子")]
            tables = restored.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    else:
        with psycopg.connect(url) as restored:
            assert restored.execute(query).fetchall() == [("山田", "花子")]
            tables = restored.execute(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchone()[0]
        with psycopg.connect(
            url.replace("postgres://", "postgresql://").rsplit("/", 1)[0] + "/postgres", autocommit=True
        ) as pg:
            pg.execute(f'DROP DATABASE "{url.rsplit("/", 1)[1]}"')
    assert tables >= len(manifest.row_counts)
