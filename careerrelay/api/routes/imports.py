"""Candidate imports (background jobs with progress and an error report) and the CSV export."""

from __future__ import annotations

import json
import tempfile
import uuid
from datetime import datetime

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from careerrelay.api.auth import actor_of
from careerrelay.api.schemas import problems
from careerrelay.candidates.imports import jobs
from careerrelay.candidates.imports.export import write_export
from careerrelay.candidates.imports.models import ImportJob
from careerrelay.core.errors import DomainValidationError

router = Router()
exports_router = Router()

CSV_DOC = {"responses": {"200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}}}


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportJobOut(Schema):
    id: uuid.UUID
    status: str
    format: str
    preset: str
    dry_run: bool
    file_name: str
    encoding: str
    rows_total: int
    rows_done: int
    created_count: int
    updated_count: int
    error_count: int
    errors: list[RowErrorOut]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def _mapping(text: str) -> dict[str, str] | None:
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise DomainValidationError(_("The mapping must be a JSON object of column → field."), field="mapping")
    return value


@router.post(
    "",
    response={202: ImportJobOut, **problems(400, 403, 422)},
    summary="Upload a CSV file of candidates; it is imported in the background",
)
def imports_create(
    request: HttpRequest,
    file: File[UploadedFile],
    format: Form[str] = "csv",
    preset: Form[str] = "",
    mapping: Form[str] = "",
    dry_run: Form[bool] = False,
) -> Status[ImportJob]:
    job = jobs.import_job_create(
        actor=actor_of(request),
        upload=file,
        file_name=file.name or "upload.csv",
        fmt=format,
        preset=preset,
        mapping=_mapping(mapping),
        dry_run=dry_run,
    )
    return Status(202, job)


@router.get("/{import_id}", response={200: ImportJobOut, **problems(404, 422)}, summary="An import's progress")
def imports_detail(request: HttpRequest, import_id: uuid.UUID) -> ImportJob:
    return jobs.import_job_get(org=actor_of(request).org, pk=import_id)


@router.get(
    "/{import_id}/errors.csv",
    response={200: None, **problems(404, 422)},
    summary="An import's row errors as CSV (row, column, reason)",
    openapi_extra=CSV_DOC,
)
def imports_errors(request: HttpRequest, import_id: uuid.UUID) -> HttpResponse:
    job = jobs.import_job_get(org=actor_of(request).org, pk=import_id)
    response = HttpResponse(("\ufeff" + jobs.errors_csv(job)).encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response


class ExportQuery(Schema):
    encoding: str = "utf-8-sig"


@exports_router.get(
    "/candidates.csv",
    response={200: None, **problems(403, 422)},
    summary="The candidate pool as CSV for Excel (UTF-8 with BOM or CP932)",
    openapi_extra=CSV_DOC,
)
def exports_candidates(request: HttpRequest, params: Query[ExportQuery]) -> FileResponse:
    spool = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 — FileResponse closes it
    report = write_export(actor=actor_of(request), out=spool, encoding=params.encoding)
    spool.seek(0)
    charset = "utf-8" if params.encoding == "utf-8-sig" else "shift_jis"
    response = FileResponse(spool, content_type=f"text/csv; charset={charset}", as_attachment=True)
    response["Content-Disposition"] = 'attachment; filename="candidates.csv"'
    response["X-Rows"] = str(report.rows)
    response["X-Replaced-Cells"] = str(len(report.replaced))
    return response
