from __future__ import annotations

from django.db import models

from careerrelay.core.models import OrgOwnedModel


class IdempotencyRecord(OrgOwnedModel):
    """The first answer to a POST with an Idempotency-Key, replayed for 24 hours."""

    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body")
    status_code = models.PositiveSmallIntegerField(null=True, help_text="null while the first request runs")
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "key"], name="idempotency_org_key")]
        indexes = [models.Index(fields=["created_at"])]
