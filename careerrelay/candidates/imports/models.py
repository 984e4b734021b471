"""ImportJob: one uploaded file, its progress and its row errors. Loaded by candidates.models."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models
from django.utils.translation import gettext_lazy as _

from careerrelay.core.models import OrgOwnedModel

MAX_STORED_ERRORS = 1000


def import_storage() -> Storage:
    """Uploaded files wait here until their job is done; then they are deleted."""
    return FileSystemStorage(location=Path(settings.VAR_DIR) / "imports")


class ImportJob(OrgOwnedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    format = models.CharField(max_length=10, default="csv")
    preset = models.CharField(max_length=20, blank=True)
    mapping = models.JSONField(default=dict, blank=True, help_text="custom mapping: column → field")
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    language = models.CharField(max_length=8, default="ja", help_text="language of the error messages")
    actor_label = models.CharField(max_length=200, blank=True)
    requested_role = models.CharField(max_length=10, default="recruiter")
    file = models.FileField(storage=import_storage, upload_to="%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    encoding = models.CharField(max_length=10, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="[{row, column, message}], at most 1000")
    started_at = models.DateTimeField(null=True, blank=True)
    # host:pid of the worker running it, so that a job whose worker died can be found and rerun.
    worker_id = models.CharField(max_length=120, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"import {self.file_name or self.pk} ({self.status})"
