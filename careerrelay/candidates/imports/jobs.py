"""Import jobs: an uploaded file queued by the API, run by the worker with progress."""

from __future__ import annotations

import csv
import io
import logging
import os
import socket
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from careerrelay.candidates.imports.export import neutralise
from careerrelay.candidates.imports.importer import ImportReport, RowError, import_candidates, storage_full_error
from careerrelay.candidates.imports.models import ImportJob
from careerrelay.candidates.imports.presets import FIELDS, PRESETS
from careerrelay.core import clock
from careerrelay.core.errors import DomainValidationError, is_storage_full
from careerrelay.core.selectors import get_for_org
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Organization, Role

FORMATS = ("csv",)
logger = logging.getLogger(__name__)


def _check_options(fmt: str, preset: str, mapping: dict[str, str] | None) -> None:
    if fmt not in FORMATS:
        raise DomainValidationError(_("Unknown format: %(format)s") % {"format": fmt}, field="format")
    if preset and preset not in PRESETS and preset != "custom":
        raise DomainValidationError(_("Unknown preset: %(preset)s") % {"preset": preset}, field="preset")
    for target in (mapping or {}).values():
        if target not in FIELDS:
            raise DomainValidationError(
                _("Unknown field in the mapping: %(field)s") % {"field": target}, field="mapping"
            )


@transaction.atomic
def import_job_create(
    *,
    actor: Actor,
    upload: IO[bytes],
    file_name: str,
    fmt: str = "csv",
    preset: str = "",
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
) -> ImportJob:
    """Queue an uploaded file for the worker; the file is kept until the job is done."""
    size = getattr(upload, "size", None)
    if size is not None and size > settings.CAREERRELAY_IMPORT_MAX_BYTES:
        limit = settings.CAREERRELAY_IMPORT_MAX_BYTES // (1024 * 1024)
        raise DomainValidationError(
            _("The file is larger than %(limit)s MB; split it.") % {"limit": limit}, field="file"
        )
    actor.require(Role.RECRUITER)
    _check_options(fmt, preset, mapping)
    job = ImportJob(
        org=actor.org,
        format=fmt,
        preset="" if preset == "custom" else preset,
        mapping=mapping or {},
        dry_run=dry_run,
        language=translation.get_language() or "ja",
        actor_label=actor.label,
        requested_role=actor.role,
        file_name=Path(file_name).name[:200],
    )
    job.file.save(f"{job.pk}.csv", File(upload), save=False)
    job.save()
    actor.audit("import.queued", target=job, details={"file": job.file_name, "dry_run": dry_run})
    return job


def import_job_get(*, org: Organization, pk: Any) -> ImportJob:
    return get_for_org(ImportJob.objects.all(), org=org, pk=pk)


def import_jobs_list(*, org: Organization, limit: int = 20) -> list[ImportJob]:
    """The org's latest imports, newest first (the errors are left out: they can be long)."""
    return list(ImportJob.objects.for_org(org).defer("errors", "mapping").order_by("-id")[:limit])


def _this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _claim(job: ImportJob) -> bool:
    return (
        ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
            status=ImportJob.Status.RUNNING, started_at=clock.now(), worker_id=_this_worker()
        )
        == 1
    )


def _process_is_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, owned by someone else
        return False
    return False


def requeue_orphaned_imports() -> int:
    """Queue again the running jobs whose worker process on this host has died.

    Safe because an import writes in one transaction: a worker that died left nothing behind.
    Jobs run by another host are left to that host's worker.
    """
    host = socket.gethostname()
    orphans = []
    for job in ImportJob.objects.filter(status=ImportJob.Status.RUNNING, worker_id__startswith=f"{host}:"):
        pid = job.worker_id.rpartition(":")[2]
        if pid.isdigit() and _process_is_gone(int(pid)):
            orphans.append(job.pk)
    return ImportJob.objects.filter(pk__in=orphans, status=ImportJob.Status.RUNNING).update(
        status=ImportJob.Status.QUEUED, worker_id="", rows_done=0
    )


def import_job_run(job: ImportJob) -> ImportJob:
    """Run one queued job; progress is saved as rows are checked. Returns the finished job."""
    if not _claim(job):
        return job
    actor = Actor(org=job.org, role=job.requested_role)

    def progress(done: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(rows_done=done, updated_at=clock.now())

    with translation.override(job.language):
        try:
            report = import_candidates(
                actor=actor,
                path=Path(job.file.path),
                preset=job.preset,
                custom_mapping=job.mapping or None,
                dry_run=job.dry_run,
                source="csv",
                file_name=job.file_name,
                progress=progress,
                audit_target=job,
            )
        except OSError:
            logger.exception("import %s: the uploaded file cannot be read", job.pk)
            report = ImportReport(dry_run=job.dry_run)
            report.add_error(RowError(row=0, column="", message=_("The uploaded file is no longer available.")))
        except Exception as exc:  # a bug must fail the job, not leave it running for ever
            report = ImportReport(dry_run=job.dry_run)
            if is_storage_full(exc):  # outside the rows (progress, audit): the transaction rolled back whole
                logger.error("import %s: the database is full, nothing was imported", job.pk, exc_info=exc)
                report.add_error(storage_full_error())
            else:
                logger.exception("import %s failed", job.pk)
                report.add_error(RowError(row=0, column="", message=_("The import failed on our side.")))
    job.refresh_from_db()
    job.status = ImportJob.Status.FAILED if report.error_count else ImportJob.Status.SUCCEEDED
    job.preset, job.encoding = report.preset or job.preset, report.encoding
    job.rows_total = job.rows_done = report.rows_total
    job.created_count, job.updated_count = report.created, report.updated
    job.error_count = report.error_count
    job.errors = [error.as_dict() for error in report.errors]
    job.finished_at = job.updated_at = clock.now()
    job.file.delete(save=False)
    job.save()
    return job


def run_queued_imports(limit: int = 5) -> int:
    """The worker's job: run up to `limit` queued imports, oldest first."""
    requeue_orphaned_imports()
    done = 0
    for job in ImportJob.objects.filter(status=ImportJob.Status.QUEUED).select_related("org").order_by("id")[:limit]:
        import_job_run(job)
        done += 1
    return done


def errors_csv(job: ImportJob) -> str:
    """The job's row errors as a CSV report (row, column, reason) in the job's language."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    with translation.override(job.language):
        writer.writerow([_("row"), _("column"), _("reason")])
    for error in job.errors:
        writer.writerow([error["row"], neutralise(error["column"]), neutralise(error["message"])])
    return buffer.getvalue()
