"""Analytics: the costs an org records, and the monthly figures the worker pre-aggregates so that
dashboards read small tables (docs/metrics.md defines each figure)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from careerrelay.core.models import OrgOwnedModel


class CostEntry(OrgOwnedModel):
    """Money spent on hiring in a month, by channel (agency fees, job ads, referral bonuses…)."""

    class Kind(models.TextChoices):
        AGENCY_FEE = "agency_fee", _("Agency fee")
        JOB_ADS = "job_ads", _("Job ads")
        REFERRAL_BONUS = "referral_bonus", _("Referral bonus")
        EVENTS = "events", _("Events")
        OTHER = "other", _("Other")

    month = models.DateField(_("month"), help_text="the first day of the month")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The application source the money bought hires through (agency, own_site, referral…).
    channel = models.CharField(_("channel"), max_length=40)
    amount_yen = models.PositiveBigIntegerField(_("amount (yen)"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["org", "month"])]


class MonthlyFigure(OrgOwnedModel):
    """One pre-aggregated count: `metric` for `month` (JST), split by `dimension` ("" = all).

    The application-based figures are stored twice: as org totals, which the unfiltered dashboard
    reads, and under a `…_by` metric per (job, channel) cell, which the department, job and
    channel filters sum over (`job` is the job's id or "" for none, `channel` the application's
    source or "unknown")."""

    month = models.DateField()
    metric = models.CharField(max_length=40)
    dimension = models.CharField(max_length=120, blank=True)
    job = models.CharField(max_length=36, blank=True, default="")
    channel = models.CharField(max_length=40, blank=True, default="")
    numerator = models.BigIntegerField(default=0)
    denominator = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org", "month", "metric", "dimension", "job", "channel"], name="monthlyfigure_cell_key"
            )
        ]
        indexes = [
            models.Index(fields=["org", "metric", "month"]),
            # The unfiltered dashboard reads only the totals (job = channel = ""), a job filter one job's cells.
            models.Index(fields=["org", "job", "channel", "month"], name="monthlyfigure_cells"),
        ]
