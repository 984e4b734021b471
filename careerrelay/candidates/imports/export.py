"""CSV export of the pool for Excel: UTF-8 with BOM or CP932, formula cells neutralised.

The columns are the "ours" import preset's, one row per application (and one for a candidate
without any), so an export imported back with that preset updates rather than duplicates.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from django.utils.translation import gettext as _

from careerrelay.candidates.imports.presets import CANDIDATE_FIELDS, OURS_COLUMNS
from careerrelay.candidates.models import Application, Candidate
from careerrelay.core.clock import JST
from careerrelay.core.errors import DomainValidationError
from careerrelay.core.prefectures import PREFECTURES
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Organization, Role

ENCODINGS = ("utf-8-sig", "cp932")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PREFECTURE = {p.code: p.ja for p in PREFECTURES}


def neutralise(value: str) -> str:
    """A cell Excel would run as a formula gets a leading apostrophe (shown as text)."""
    return "'" + value if value.startswith(FORMULA_START) else value


@dataclass
class ExportReport:
    rows: int = 0
    # (row number, column) of cells whose characters the encoding lacks ("?" was written).
    replaced: list[tuple[int, str]] = field(default_factory=list)


def _candidate_cells(candidate: Candidate) -> dict[str, str]:
    cells: dict[str, str] = {"candidate_id": str(candidate.pk)}
    for name in CANDIDATE_FIELDS:
        value = getattr(candidate, name)
        if isinstance(value, list):
            cells[name] = "; ".join(value)
        elif name == "prefecture":
            cells[name] = _PREFECTURE.get(value, "")
        else:
            cells[name] = "" if value is None else str(value)
    cells["source"] = candidate.source
    return cells


def _application_cells(application: Application) -> dict[str, str]:
    return {
        "source": application.source,
        "application_ref": application.external_ref or f"careerrelay:{application.pk}",
        "job_title": application.job.title if application.job else "",
        "department": application.job.department if application.job else "",
        "applied_at": application.applied_at.astimezone(JST).date().isoformat(),
        "status": application.status,
        "rejection_reason": application.rejection_reason.code if application.rejection_reason else "",
        "rescout_eligible": "1" if application.rescout_eligible else "0",
        "evaluation_summary": application.evaluation_summary,
        "note": application.rejection_note,
    }


def export_rows(*, org: Organization) -> Iterator[list[str]]:
    """The header, then one row per application, streamed in chunks."""
    yield list(OURS_COLUMNS)
    candidates = (
        Candidate.objects.for_org(org)
        .filter(merged_into__isnull=True, erased_at__isnull=True)
        .prefetch_related("applications__job", "applications__rejection_reason")
        .order_by("id")
    )
    for candidate in candidates.iterator(chunk_size=500):
        base = _candidate_cells(candidate)
        applications = sorted(candidate.applications.all(), key=lambda a: a.pk)
        for application in applications or [None]:
            cells = base | (_application_cells(application) if application else {})
            yield [neutralise(cells.get(column, "")) for column in OURS_COLUMNS]


def write_export(*, actor: Actor, out: IO[bytes], encoding: str = "utf-8-sig") -> ExportReport:
    """Write the actor's org's pool as CSV to a binary stream; returns what was written and replaced.
    Bulk personal data: recruiters and admins only."""
    actor.require(Role.RECRUITER)
    if encoding not in ENCODINGS:
        raise DomainValidationError(_("The encoding must be utf-8-sig or cp932."), field="encoding", in_query=True)
    report = ExportReport()
    if encoding == "utf-8-sig":
        out.write(b"\xef\xbb\xbf")
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for number, row in enumerate(export_rows(org=actor.org), start=1):
        writer.writerow(row)
        line = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        try:
            out.write(line.encode(codec))
        except UnicodeEncodeError:
            for column, cell in zip(OURS_COLUMNS, row, strict=True):
                try:
                    cell.encode(codec)
                except UnicodeEncodeError:
                    report.replaced.append((number, column))
            out.write(line.encode(codec, errors="replace"))
        report.rows = number - 1
    return report
