"""The CSV import service: every row checked first, then all written in one transaction or none.

Pass 1 streams the file and checks each row (and, for a dry run, works out what would be created
or updated). Pass 2, only when no row has an error and it is not a dry run, streams the file again
and writes through the pool's services inside one `transaction.atomic`: a failure there rolls
the whole import back. Memory stays flat: rows are never held, only the jobs and reasons.
"""

from __future__ import annotations

import csv
import hashlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _

from careerrelay.candidates import services
from careerrelay.candidates.identity import find_existing
from careerrelay.candidates.imports.encoding import detect_encoding, open_text
from careerrelay.candidates.imports.models import MAX_STORED_ERRORS
from careerrelay.candidates.imports.presets import Mapping, build_mapping
from careerrelay.candidates.imports.rows import ParsedRow, Reasons, parse_row
from careerrelay.candidates.models import Application, Candidate, ExternalId, JobRequisition
from careerrelay.candidates.selectors import reasons_list
from careerrelay.core.errors import Conflict, DomainValidationError
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


def _row_key(row: ParsedRow) -> str:
    data = row.data
    for key in (f"x:{data.external_system}:{data.external_id}" if data.external_id else "", data.email, data.phone):
        if key:
            return key
    if data.family_name_kana and data.given_name_kana and data.birth_year:
        return f"k:{data.family_name_kana}{data.given_name_kana}{data.birth_year}"
    return ""


def _application_ref(row: ParsedRow, mapping: Mapping) -> str:
    app = row.application
    assert app is not None
    if app.ref:
        return app.ref if mapping.preset == "ours" or ":" in app.ref else f"{mapping.system}:{app.ref}"
    key = _row_key(row) or f"n:{row.data.family_name}{row.data.given_name}"
    applied = app.applied_at.date().isoformat() if app.applied_at else ""
    digest = hashlib.sha1(  # noqa: S324 — a key, not a secret
        "|".join((mapping.system, key, app.job_title, app.department, applied)).encode()
    ).hexdigest()
    return f"import:{digest}"


class _Writer:
    """Pass 2: one row at a time through the services, inside the import's transaction."""

    def __init__(self, actor: Actor, mapping: Mapping, source: str) -> None:
        self.actor, self.mapping, self.source = actor, mapping, source
        self.jobs: dict[tuple[str, str], JobRequisition] = {}

    def _job(self, title: str, department: str) -> JobRequisition | None:
        if not title:
            return None
        key = (title, department)
        if key not in self.jobs:
            found = JobRequisition.objects.filter(org=self.actor.org, title=title, department=department).first()
            self.jobs[key] = found or services.job_create(
                actor=self.actor, title=title, department=department, audited=False
            )
        return self.jobs[key]

    def _link_own_id(self, row: ParsedRow) -> None:
        """Our own export's candidate id, imported into the org it came from, is that candidate."""
        if self.mapping.preset != "ours" or not row.candidate_id:
            return
        own = (
            Candidate.objects.filter(org=self.actor.org, pk=row.candidate_id).first()
            if _is_uuid(row.candidate_id)
            else None
        )
        if own is not None:
            ExternalId.objects.get_or_create(
                org=self.actor.org, system="careerrelay", value=row.candidate_id, defaults={"candidate": own}
            )

    def _existing_application(self, ref: str) -> Application | None:
        found = Application.objects.filter(org=self.actor.org, external_ref=ref).first()
        own = ref.removeprefix("careerrelay:")
        if found is None and ref.startswith("careerrelay:") and _is_uuid(own):
            found = Application.objects.filter(org=self.actor.org, pk=own).first()
        return found

    def write(self, row: ParsedRow) -> bool:
        """Returns True when the candidate was created."""
        self._link_own_id(row)
        source = row.source or self.source
        result = services.candidate_upsert(actor=self.actor, data=row.data, source=source, audited=False)
        app = row.application
        if app is None:
            return result.created
        ref = _application_ref(row, self.mapping)
        application = self._existing_application(ref)
        if application is None:
            job = self._job(app.job_title, app.department)
            opened = app.status if app.status in (Application.Status.OFFER, Application.Status.HIRED) else "active"
            application = services.application_record(
                actor=self.actor,
                data=row.data,
                source=source,
                job_id=job.pk if job else None,
                applied_at=app.applied_at,
                external_ref=ref,
                audited=False,
                candidate=result.candidate,
                status=opened,
            )
        if app.reason is not None and application.status in ("active", "offer"):
            services.candidate_reject(
                actor=self.actor,
                application_id=application.pk,
                reason_id=app.reason.pk,
                evaluation_summary=app.evaluation_summary,
                rescout_eligible=app.rescout_eligible,
                note=app.note,
                send_rejection_email=False,
                audited=False,
            )
        return result.created


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


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
    try:
        report.encoding = detect_encoding(path)
        mapping = _check(actor, path, report, preset, custom_mapping, progress)
    except DomainValidationError as exc:
        report.add_error(RowError(row=1 if exc.field != "file" else 0, column="", message=exc.message))
        return report
    except _FileError as exc:
        report.add_error(exc.error)
        return report
    if report.error_count or dry_run:
        return report
    try:
        with transaction.atomic():
            _write(actor, path, report, mapping, source)
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
) -> Mapping:
    mapping, rows = _data_rows(
        path, report.encoding, lambda headers: build_mapping(headers, preset=preset, custom=custom)
    )
    report.preset = mapping.preset
    reasons = Reasons(list(reasons_list(org=actor.org)))
    seen: set[str] = set()
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
        if report.dry_run and not report.error_count:
            key = _row_key(parsed)
            known = (key and key in seen) or find_existing(org=actor.org, data=parsed.data)[0] is not None
            report.updated += bool(known)
            report.created += not known
            if key:
                seen.add(key)
        if progress and report.rows_total % PROGRESS_EVERY == 0:
            progress(report.rows_total)
    if report.error_count:
        report.created = report.updated = 0
    if progress:
        progress(report.rows_total)
    return mapping


def _write(actor: Actor, path: Path, report: ImportReport, mapping: Mapping, source: str) -> None:
    _same, rows = _data_rows(path, report.encoding, lambda headers: mapping)
    reasons = Reasons(list(reasons_list(org=actor.org)))
    writer = _Writer(actor, mapping, source)
    for number, cells in rows:
        try:
            created = writer.write(parse_row(cells, mapping, reasons))
        except DomainValidationError as exc:
            raise _RowFailed(_column_error(number, mapping, exc)) from exc
        except Conflict as exc:
            raise _RowFailed(RowError(row=number, column="", message=str(exc))) from exc
        except DatabaseError as exc:  # a limit the row checks missed: the whole import rolls back
            logger.exception("import row %s could not be saved", number)
            raise _RowFailed(RowError(row=number, column="", message=_("This row could not be saved."))) from exc
        report.created += created
        report.updated += not created
