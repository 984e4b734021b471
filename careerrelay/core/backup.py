"""`careerrelay backup` / `restore`: one file holding the whole database, checked on the way back.

The archive is a tar file with `manifest.json` (format, database vendor, when, the applied
migrations and the row count of every table) and the database in its own tool's format: the
SQLite online-backup copy (consistent while the web process and the worker write), or
`pg_dump --format=custom`. A restore refuses a database that already holds data unless told to
replace it, restores PostgreSQL in one transaction (all or nothing), and compares every table's
row count with the manifest before it says it is done.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext as _

from careerrelay.core import clock

FORMAT = 1
MANIFEST = "manifest.json"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Manifest:
    vendor: str
    created_at: str
    migrations: list[list[str]]
    row_counts: dict[str, int]
    format: int = FORMAT

    @property
    def rows(self) -> int:
        return sum(self.row_counts.values())


def _db(using: str) -> BaseDatabaseWrapper:
    db = connections[using]
    if db.vendor not in DUMP_NAMES:
        raise BackupError(_("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": db.vendor})
    return db


def _counts_and_migrations(cursor: Any, tables: list[str], quote: Any) -> tuple[dict[str, int], list[list[str]]]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 — names from the catalogue
        counts[table] = int(cursor.fetchone()[0])
    migrations: list[list[str]] = []
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        migrations = [[app, name] for app, name in cursor.fetchall()]
    return counts, migrations


def _row_counts(db: BaseDatabaseWrapper) -> dict[str, int]:
    with db.cursor() as cursor:
        return _counts_and_migrations(cursor, db.introspection.table_names(cursor), db.ops.quote_name)[0]


def _pg_environment(db: BaseDatabaseWrapper) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump / pg_restore, the password through the environment only."""
    settings = db.settings_dict
    args = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            args += [option, str(settings[key])]
    environment = dict(os.environ)
    if settings.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings["PASSWORD"])
    return [*args, "--dbname", str(settings["NAME"])], environment


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(_("%(tool)s was not found; install the PostgreSQL client tools.") % {"tool": name})
    return path


def _run(command: list[str], environment: dict[str, str]) -> None:
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s") % {"tool": Path(command[0]).name, "error": result.stderr.strip()}
        )


def _dump(db: BaseDatabaseWrapper, target: Path) -> tuple[dict[str, int], list[list[str]]]:
    """Copy the database to `target`; the row counts and migrations are read from the very state
    copied (the SQLite copy itself; on PostgreSQL the snapshot pg_dump is given), so a backup
    taken while people work still checks out on restore."""
    if db.vendor == "sqlite":
        db.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            db.connection.backup(copy)
            listing = copy.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            tables = [row[0] for row in listing.fetchall()]
            return _counts_and_migrations(copy.cursor(), tables, db.ops.quote_name)
        finally:
            copy.close()
    options, environment = _pg_environment(db)
    with transaction.atomic(using=db.alias), db.cursor() as pg_cursor:
        pg_cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        pg_cursor.execute("SELECT pg_export_snapshot()")
        snapshot = pg_cursor.fetchone()[0]
        found = _counts_and_migrations(pg_cursor, db.introspection.table_names(pg_cursor), db.ops.quote_name)
        command = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"]
        _run([*command, "--file", str(target), *options], environment)
    return found


def backup(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> Manifest:
    """Write the whole database to `path` (replaced only once the new archive is complete)."""
    db = _db(using)
    created_at = clock.now().isoformat()
    partial = path.with_name(path.name + ".part")
    with tempfile.TemporaryDirectory(prefix="careerrelay-backup-") as work:
        dump = Path(work) / DUMP_NAMES[db.vendor]
        counts, migrations = _dump(db, dump)
        manifest = Manifest(vendor=db.vendor, created_at=created_at, migrations=migrations, row_counts=counts)
        with tarfile.open(partial, "w:gz", compresslevel=1) as archive:
            data = json.dumps(manifest.__dict__, ensure_ascii=False, indent=1).encode()
            entry = tarfile.TarInfo(MANIFEST)
            entry.size = len(data)
            archive.addfile(entry, io.BytesIO(data))
            archive.add(dump, arcname=dump.name)
    partial.replace(path)
    return manifest


def read_manifest(path: Path) -> Manifest:
    try:
        with tarfile.open(path, "r:*") as archive:
            member = archive.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            data: dict[str, Any] = json.loads(member.read())
    except (OSError, tarfile.TarError, KeyError, ValueError) as error:
        raise BackupError(
            _("%(path)s is not a Career Relay backup (%(error)s).") % {"path": path, "error": error}
        ) from error
    if data.get("format") != FORMAT:
        raise BackupError(
            _("This backup has format %(found)s; this version reads format %(format)s.")
            % {"found": data.get("format"), "format": FORMAT}
        )
    return Manifest(**data)


def _holds_data(db: BaseDatabaseWrapper) -> bool:
    return any(count for table, count in _row_counts(db).items() if table != "django_migrations")


def _load(db: BaseDatabaseWrapper, dump: Path) -> None:
    if db.vendor == "sqlite":
        db.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(db.connection)  # page by page into the open database, replacing it whole
        finally:
            source.close()
        return
    db.close()  # pg_restore drops and recreates the tables; our session must not hold them
    options, environment = _pg_environment(db)
    _run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *options,
            str(dump),
        ],
        environment,
    )


def restore(path: Path, *, using: str = DEFAULT_DB_ALIAS, replace: bool = False) -> Manifest:
    """Put the database back as `path` holds it, then check every table's row count."""
    db = _db(using)
    manifest = read_manifest(path)
    if manifest.vendor != db.vendor:
        raise BackupError(
            _("This backup is of a %(backup)s database; the configured database is %(target)s.")
            % {"backup": manifest.vendor, "target": db.vendor}
        )
    if not replace and _holds_data(db):
        raise BackupError(_("The database already holds data. Pass --replace to overwrite it with the backup."))
    with tempfile.TemporaryDirectory(prefix="careerrelay-restore-") as work, tarfile.open(path, "r:*") as archive:
        name = DUMP_NAMES[db.vendor]
        archive.extract(name, work, filter="data")
        _load(db, Path(work) / name)
    found = _row_counts(db)
    differing = sorted(table for table, count in manifest.row_counts.items() if found.get(table) != count)
    if differing:
        raise BackupError(
            _("The restored database differs from the backup in these tables: %(tables)s.")
            % {"tables": ", ".join(differing)}
        )
    return manifest
