from __future__ import annotations

from typing import Any, ClassVar, Self

from django.db import models

from careerrelay.core import clock
from careerrelay.core.ids import new_id


class OrgScopedQuerySet(models.QuerySet[Any]):
    def for_org(self, org: Any) -> Self:
        return self.filter(org=org)


class OrgOwnedModel(models.Model):
    """Base of every tenant row: a non-null org, a time-ordered UUID and timestamps.

    Read these rows through selectors that take `org=`; `for_org` is the one filter they use.
    """

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    org = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(default=clock.now)

    objects: ClassVar[OrgScopedQuerySet] = OrgScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        abstract = True


class RateCounter(models.Model):
    """A fixed-window counter shared by every process (login throttling, API rate limits)."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="ratecounter_key_window")]
        indexes = [models.Index(fields=["window_start"])]


class JobRun(models.Model):
    """When each periodic worker job last ran; shared by all workers."""

    name = models.CharField(max_length=100, unique=True)
    last_started_at = models.DateTimeField(null=True)
    last_finished_at = models.DateTimeField(null=True)
    last_error = models.TextField(blank=True, default="")
