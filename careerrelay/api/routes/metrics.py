"""The org's metrics (docs/metrics.md), from the nightly pre-aggregated figures."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from careerrelay.analytics.dashboard import CHANNEL_PATTERN, as_dict, dashboard
from careerrelay.api.auth import actor_of
from careerrelay.api.schemas import problems
from careerrelay.core import clock
from careerrelay.core.dates import add_months

router = Router()
MONTH = r"^[1-9]\d{3}-(0[1-9]|1[0-2])$"  # YYYY-MM with a real month: 2026-13 is a 422, not a 500


class MetricsQuery(Schema):
    since: str | None = Field(None, pattern=MONTH, description="first month, YYYY-MM (default: 23 months ago)")
    until: str | None = Field(None, pattern=MONTH, description="last month, YYYY-MM (default: this month)")
    department: str = Field("", max_length=120, description="only applications for this department's jobs")
    job: UUID | None = Field(
        None, description="only applications for this job (an id of your org's job; 404 otherwise)"
    )
    channel: str = Field(
        "",
        pattern=CHANNEL_PATTERN,
        description='only applications from this source (agency, referral, relay, rescout…; "unknown" for none)',
    )
    split: date | None = Field(None, description="compare re-application before and after this date")


def _month(text: str | None, default: date) -> date:
    return date(int(text[:4]), int(text[5:7]), 1) if text else default


@router.get(
    "",
    response={200: dict[str, Any], **problems(404, 422)},
    summary="The org's metrics for a period",
    description="The department, job and channel filters narrow the application-based figures (re-application, "
    "time to offer, hires; costs by channel) — docs/metrics.md.",
)
def metrics_get(request: HttpRequest, params: Query[MetricsQuery]) -> dict[str, Any]:
    today = clock.today_jst()
    board = dashboard(
        org=actor_of(request).org,
        since=_month(params.since, add_months(today, -23).date().replace(day=1)),
        until=_month(params.until, today.date().replace(day=1)),
        department=params.department,
        job=params.job,
        channel=params.channel,
        split=params.split,
    )
    return as_dict(board)
