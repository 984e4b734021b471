"""Reads for the re-scout pages: the rules, the 90-day forecast, responses and clicks, the
suppression list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet

from careerrelay.consent import purposes
from careerrelay.consent.gate import consenting_candidate_ids
from careerrelay.core import clock
from careerrelay.core.selectors import get_for_org
from careerrelay.orgs.models import Organization
from careerrelay.outreach import settings as outreach_settings
from careerrelay.outreach.models import (
    LinkClick,
    RescoutResponse,
    RescoutRule,
    RescoutSchedule,
    ScheduledMessage,
    Suppression,
)
from careerrelay.outreach.planner import stop_reasons
from careerrelay.outreach.rescout_content import kind_for_step

FORECAST_DAYS = 90
FORECAST_ROWS = 500


@dataclass(frozen=True)
class ForecastRow:
    when: datetime
    schedule: RescoutSchedule
    kind: str
    blocked: str  # why it would not be sent if it fell due now ("" = it would be sent)

    @property
    def kind_label(self) -> str:
        return str(ScheduledMessage(kind=self.kind).get_kind_display())


def rules_list(*, org: Organization) -> QuerySet[RescoutRule]:
    return RescoutRule.objects.filter(org=org).annotate(
        pending=Count("schedule", filter=Q(schedule__state=RescoutSchedule.State.PENDING))
    )


def rule_get(*, org: Organization, pk: Any) -> RescoutRule:
    return get_for_org(RescoutRule.objects.all(), org=org, pk=pk)


def forecast(*, org: Organization, days: int = FORECAST_DAYS) -> list[ForecastRow]:
    """Who would receive which step, when, over the next `days` days, judged by today's consent,
    suppressions and applications (the planner checks again when each step falls due)."""
    now = clock.now()
    values = outreach_settings.for_org(org)
    rows = list(
        RescoutSchedule.objects.filter(
            org=org, state=RescoutSchedule.State.PENDING, due_at__lte=now + timedelta(days=days), rule__is_active=True
        )
        .select_related("candidate", "application", "rule")
        .order_by("due_at")[:FORECAST_ROWS]
    )
    ids = {row.candidate_id for row in rows}
    consenting = set(
        consenting_candidate_ids(org=org, purpose=purposes.RECONTACT, at=now)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    suppressed = set(
        Suppression.objects.filter(org=org, email__in={row.candidate.email for row in rows}).values_list(
            "email", flat=True
        )
    )
    stops = stop_reasons(rows)
    result = []
    for row in rows:
        blocked = stops[row.pk] or (
            "no_consent"
            if row.candidate_id not in consenting
            else "suppressed"
            if row.candidate.email in suppressed
            else ""
        )
        start = max(row.due_at, now)
        available = row.candidate.available_from
        if row.rule.wait_for_availability and available and outreach_settings.first_day(available) > start:
            start = outreach_settings.first_day(available)
        result.append(
            ForecastRow(
                when=outreach_settings.next_slot(start, values),
                schedule=row,
                kind=kind_for_step(row.step),
                blocked=blocked,
            )
        )
    return sorted(result, key=lambda item: item.when)


def responses_list(*, org: Organization) -> QuerySet[RescoutResponse]:
    return RescoutResponse.objects.filter(org=org).select_related("candidate", "job", "message").order_by("-created_at")


def click_counts(*, org: Organization) -> dict[str, int]:
    rows = LinkClick.objects.filter(org=org).values("action").annotate(n=Count("id"))
    return {row["action"]: row["n"] for row in rows}


def suppressions_list(*, org: Organization) -> QuerySet[Suppression]:
    return Suppression.objects.filter(org=org).order_by("-created_at")
