"""The CSV import service: every row checked first, then all written in one transaction or none.

Pass 1 streams the file and checks each row (and, for a dry run, works out what would be created
or updated). Pass 2, only when no row has an error and it is not a dry run, streams the file again
and writes it a chunk of rows at a time (`bulk.BulkWriter`) inside one `transaction.atomic`: a
failure there rolls the whole import back. Memory stays flat: only one chunk of rows is held.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _

from careerrelay.candidates.identity import IdentityIndex
from careerrelay.candidates.imports.bulk import CHUNK_ROWS, BulkWriter, row_key
from careerrelay.candidates.imports.checked import CheckedRows
from careerrelay.candidates.imports.encoding import detect_encoding, open_text
from careerrelay.candidates.imports.models import MAX_STORED_ERRORS
from careerrelay.candidates.imports.presets import Mapping, build_mapping
from careerrelay.candidates.imports.rows import ParsedRow, Reasons, parse_row
from careerrelay.candidates.selectors import reasons_list
from careerrelay.core.bulkinsert import fewer_collections
from careerrelay.core.errors import DomainValidationError, is_storage_full
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Role

Progress = Callable[[int], None]
logger = logging.getLogger(__name__)
PROGRESS_EVERY = 500


@dataclass(frozen=True)
class RowError:
    row: int  # 1 is the header row; data starts at 2, as Excel numbers them
    column: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportReport:
    dry_run: bool
    preset: str = ""
    encoding: str = ""
    rows_total: int = 0
    created: int = 0
    updated: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False
    mapping: Mapping | None = None

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append(error)


class _FileError(Exception):
    def __init__(self, error: RowError) -> None:
        self.error = error


def _records(path: Path, encoding: str) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) for every non-empty record, header first."""
    with open_text(path, encoding) as handle:
        reader = csv.reader(handle, strict=True)
        number = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise _FileError(_csv_error(number + 1, exc)) from exc
            number += 1
            if any(cell.strip() for cell in cells):
                yield number, cells


def _csv_error(row: int, exc: csv.Error) -> RowError:
    text = str(exc)
    if "field larger than field limit" in text:
        message = _("A cell is larger than %(size)s KB.") % {"size": csv.field_size_limit() // 1024}
    elif "unexpected end of data" in text or "expected" in text:
        message = _("A quoted cell is not closed: check the quotation marks from this row on.")
    else:
        message = _("This row cannot be read as CSV.")
    return RowError(row=row, column="", message=message)


def _data_rows(
    path: Path, encoding: str, mapping_of: Callable[[list[str]], Mapping]
) -> tuple[Mapping, Iterator[tuple[int, list[str]]]]:
    records = _records(path, encoding)
    first = next(records, None)
    if first is None:
        raise _FileError(RowError(row=1, column="", message=_("The file is empty.")))
    return mapping_of(first[1]), records


def _column_error(number: int, mapping: Mapping, exc: DomainValidationError) -> RowError:
    return RowError(row=number, column=mapping.column_of(exc.field or ""), message=exc.message)


def import_candidates(
    *,
    actor: Actor,
    path: Path,
    preset: str = "",
    custom_mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    source: str = "csv",
    file_name: str = "",
    progress: Progress | None = None,
    audit_target: models.Model | None = None,
) -> ImportReport:
    """Import a CSV file of candidates. Nothing is written when any row has an error."""
    actor.require(Role.RECRUITER)
    report = ImportReport(dry_run=dry_run)
    checked = None if dry_run else CheckedRows()
    try:
        with fewer_collections():
            return _import(
                actor, path, report, preset, custom_mapping, progress, checked, source, file_name, audit_target
            )
    finally:
        if checked is not None:
            checked.close()


def _import(
    actor: Actor,
    path: Path,
    report: ImportReport,
    preset: str,
    custom_mapping: dict[str, str] | None,
    progress: Progress | None,
    checked: CheckedRows | None,
    source: str,
    file_name: str,
    audit_target: models.Model | None,
) -> ImportReport:
    try:
        report.encoding = detect_encoding(path)
        _check(actor, path, report, preset, custom_mapping, progress, checked)
    except DomainValidationError as exc:
        report.add_error(RowError(row=1 if exc.field != "file" else 0, column="", message=exc.message))
        return report
    except _FileError as exc:
        report.add_error(exc.error)
        return report
    if report.error_count or checked is None:
        return report
    try:
        with transaction.atomic():
            _write(actor, checked, report, source)
            actor.audit(
                "candidates.imported",
                target=audit_target,
                details={
                    "file": file_name,
                    "preset": report.preset,
                    "rows": report.rows_total,
                    "created": report.created,
                    "updated": report.updated,
                },
            )
    except _RowFailed as exc:
        report.created = report.updated = 0
        report.add_error(exc.error)
        return report
    report.written = True
    return report


class _RowFailed(Exception):
    def __init__(self, error: RowError) -> None:
        self.error = error


def _check(
    actor: Actor,
    path: Path,
    report: ImportReport,
    preset: str,
    custom: dict[str, str] | None,
    progress: Progress | None,
    checked: CheckedRows | None,
) -> None:
    """Pass 1: check every row; a dry run counts what would change, a real run keeps the rows."""
    mapping, rows = _data_rows(
        path, report.encoding, lambda headers: build_mapping(headers, preset=preset, custom=custom)
    )
    report.preset = mapping.preset
    report.mapping = mapping
    reasons = Reasons(list(reasons_list(org=actor.org)))
    counter = _DryRunCounter(actor, report)
    for number, cells in rows:
        report.rows_total += 1
        if len(cells) > mapping.width:
            report.add_error(
                RowError(
                    row=number,
                    column="",
                    message=_("This row has %(cells)s cells but the header has %(columns)s.")
                    % {"cells": len(cells), "columns": mapping.width},
                )
            )
            continue
        try:
            parsed = parse_row(cells, mapping, reasons)
        except DomainValidationError as exc:
            report.add_error(_column_error(number, mapping, exc))
            continue
        if not report.error_count and checked is not None:
            checked.add(number, parsed)
        elif not report.error_count:
            counter.add(parsed)
        if progress and report.rows_total % PROGRESS_EVERY == 0:
            progress(report.rows_total)
    if report.dry_run and not report.error_count:
        counter.count()
    if report.error_count:
        report.created = report.updated = 0
    if progress:
        progress(report.rows_total)


class _DryRunCounter:
    """What a dry run would create or update, resolved a chunk of rows at a time."""

    def __init__(self, actor: Actor, report: ImportReport) -> None:
        self.actor, self.report = actor, report
        self.pending: list[ParsedRow] = []
        self.seen: set[str] = set()

    def add(self, row: ParsedRow) -> None:
        self.pending.append(row)
        if len(self.pending) >= CHUNK_ROWS:
            self.count()

    def count(self) -> None:
        index = IdentityIndex(self.actor.org)
        index.load(row.data for row in self.pending)
        for row in self.pending:
            key = row_key(row)
            known = (key and key in self.seen) or index.find(row.data)[0] is not None
            self.report.updated += bool(known)
            self.report.created += not known
            if key:
                self.seen.add(key)
        self.pending = []


def _write(actor: Actor, checked: CheckedRows, report: ImportReport, source: str) -> None:
    """Pass 2: the checked rows, a chunk at a time (inside the import's transaction)."""
    assert report.mapping is not None
    writer = BulkWriter(actor, report.mapping, source)
    chunk: list[tuple[int, ParsedRow]] = []
    for numbered in checked.rows(list(reasons_list(org=actor.org))):
        chunk.append(numbered)
        if len(chunk) >= CHUNK_ROWS:
            _write_chunk(writer, chunk, report)
            chunk = []
    if chunk:
        _write_chunk(writer, chunk, report)


def storage_full_error() -> RowError:
    """A full disk (SQLite's SQLITE_FULL, PostgreSQL's disk_full): the import's one transaction
    rolled back, so nothing landed."""
    message = _("The database is full, so nothing was imported. Free some space, then upload the file again.")
    return RowError(row=0, column="", message=message)


def _write_chunk(writer: BulkWriter, chunk: list[tuple[int, ParsedRow]], report: ImportReport) -> None:
    first, last = chunk[0][0], chunk[-1][0]
    try:
        created = writer.write([row for _number, row in chunk])
    except (DomainValidationError, DatabaseError) as exc:  # a limit the row checks missed: all rolls back
        logger.exception("import rows %s-%s could not be saved", first, last)
        if is_storage_full(exc):
            raise _RowFailed(storage_full_error()) from exc
        message = _("Rows %(first)s to %(last)s could not be saved.") % {"first": first, "last": last}
        raise _RowFailed(RowError(row=first, column="", message=message)) from exc
    report.created += created
    report.updated += len(chunk) - created
