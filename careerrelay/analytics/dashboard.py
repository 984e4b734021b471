"""The org dashboard's figures for a period, read from the pre-aggregated monthly table."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet, Sum

from careerrelay.analytics.models import CostEntry, MonthlyFigure
from careerrelay.candidates.models import JobRequisition
from careerrelay.consent import purposes
from careerrelay.core.selectors import get_for_org
from careerrelay.orgs.models import Organization

DEFAULT_AGENCY_FEE_YEN = 1_000_000
RELAY_STEPS = ("shared", "viewed", "requested", "approved", "interviewed", "hired")
RESCOUT_STEPS = ("sent", "clicked", "interested", "reapplied", "hired")
# What a channel filter may be: an application source as stored (letters, digits, _ . -), or "unknown".
CHANNEL_PATTERN = r"^[\w.\-]{1,40}$"
# The figures the department, job and channel filters apply to (stored per job and channel cell).
FILTERED_METRICS = ("reapplied", "offer_days", "hires", "attrition", "leave_dates")


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent(self) -> str:
        return "—" if self.value is None else f"{self.value * 100:.1f}%"


@dataclass
class Dashboard:
    since: date
    until: date
    department: str = ""
    job: JobRequisition | None = None
    channel: str = ""
    reapplication: list[tuple[date, Rate]] = field(default_factory=list)
    before: Rate | None = None
    after: Rate | None = None
    offer_median_days: dict[str, float | None] = field(default_factory=dict)
    hires_by_channel: dict[str, int] = field(default_factory=dict)
    cost_by_channel: dict[str, int] = field(default_factory=dict)
    relay_funnel: dict[str, int] = field(default_factory=dict)
    rescout_funnel: dict[str, int] = field(default_factory=dict)
    credits_redeemed: int = 0
    agency_fee_yen: int = DEFAULT_AGENCY_FEE_YEN
    opt_in: dict[str, Rate] = field(default_factory=dict)
    audience: list[tuple[date, int]] = field(default_factory=list)
    reemployment: Rate = field(default_factory=lambda: Rate(0, 0))
    attrition: Rate = field(default_factory=lambda: Rate(0, 0))
    leave_dates_recorded: int = 0

    @property
    def audience_growth(self) -> list[tuple[date, int, int | None]]:
        """(month, people, change from the month before; None for the period's first month)."""
        rows: list[tuple[date, int, int | None]] = []
        for index, (month, people) in enumerate(self.audience):
            rows.append((month, people, people - self.audience[index - 1][1] if index else None))
        return rows

    @property
    def filtered(self) -> bool:
        return bool(self.department or self.job or self.channel)

    @property
    def costs_shown(self) -> bool:
        """Costs are recorded per channel, not per job or department (docs/metrics.md)."""
        return not (self.department or self.job)

    @property
    def cost_saved_yen(self) -> int:
        return self.credits_redeemed * self.agency_fee_yen

    @property
    def total_hires(self) -> int:
        return sum(self.hires_by_channel.values())

    @property
    def referral_hire_rate(self) -> Rate:
        referred = sum(n for channel, n in self.hires_by_channel.items() if channel in ("referral", "relay"))
        return Rate(referred, self.total_hires)

    def cost_per_hire(self) -> list[tuple[str, int, int, int | None]]:
        """(channel, cost, hires, cost per hire) for every channel with a cost or a hire."""
        channels = sorted(set(self.hires_by_channel) | set(self.cost_by_channel))
        rows = []
        for channel in channels:
            cost, hires = self.cost_by_channel.get(channel, 0), self.hires_by_channel.get(channel, 0)
            rows.append((channel, cost, hires, cost // hires if hires else None))
        return rows


def median_of(histogram: dict[int, int]) -> float | None:
    total = sum(histogram.values())
    if not total:
        return None
    ordered = sorted(histogram.items())
    middle = [(total - 1) // 2, total // 2]
    values = []
    for position in middle:
        seen = 0
        for value, count in ordered:
            seen += count
            if position < seen:
                values.append(value)
                break
    return sum(values) / 2


def dashboard(
    *,
    org: Organization,
    since: date,
    until: date,
    department: str = "",
    job: object = None,
    channel: str = "",
    split: date | None = None,
) -> Dashboard:
    """The figures for a period; `department`, `job` (an id of the org's job: NotFound otherwise) and
    `channel` (an application source, "unknown" for none) narrow the application-based ones."""
    board = Dashboard(since=since, until=until, department=department, channel=channel)
    if job:
        board.job = get_for_org(JobRequisition.objects.all(), org=org, pk=job)
    rows = _rows(org=org, board=board)
    before, after = [0, 0], [0, 0]
    reapplied: dict[date, list[int]] = defaultdict(lambda: [0, 0])  # filtered: many cells per month
    offer_days: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    opt_in: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    reemployed = [0, 0]
    attrition = [0, 0]
    # Plain tuples, not model instances: the figures are many small rows.
    figures = rows.order_by("month").values_list("month", "metric", "dimension", "numerator", "denominator")
    for month, metric, dimension, numerator, denominator in figures:
        metric = metric.removesuffix("_by")
        if metric == "reapplied" and dimension == "":
            reapplied[month][0] += numerator
            reapplied[month][1] += denominator
            side = after if split and month >= split else before
            side[0] += numerator
            side[1] += denominator
        elif metric == "offer_days":
            group, days = dimension.rsplit(":", 1)
            offer_days[group][int(days)] += numerator
        elif metric == "hires":
            board.hires_by_channel[dimension] = board.hires_by_channel.get(dimension, 0) + numerator
        elif metric == "relay":
            board.relay_funnel[dimension] = board.relay_funnel.get(dimension, 0) + numerator
        elif metric == "rescout":
            board.rescout_funnel[dimension] = board.rescout_funnel.get(dimension, 0) + numerator
        elif metric == "credits_redeemed":
            board.credits_redeemed += numerator
        elif metric == "opt_in":
            opt_in[dimension][0] += numerator
            opt_in[dimension][1] += denominator
        elif metric == "newsletter_audience":
            board.audience.append((month, numerator))
        elif metric == "attrition":
            attrition[0] += numerator
            attrition[1] += denominator
        elif metric == "leave_dates":
            board.leave_dates_recorded += numerator
        elif metric == "reemployed":
            reemployed[0] += numerator
            reemployed[1] += denominator
    board.reapplication = [(month, Rate(*reapplied[month])) for month in sorted(reapplied)]
    if split:
        board.before, board.after = Rate(*before), Rate(*after)
    board.offer_median_days = {group: median_of(offer_days[group]) for group in ("rescout", "relay", "other")}
    board.relay_funnel = {step: board.relay_funnel.get(step, 0) for step in RELAY_STEPS}
    board.rescout_funnel = {step: board.rescout_funnel.get(step, 0) for step in RESCOUT_STEPS}
    board.opt_in = {purpose: Rate(*opt_in[purpose]) for purpose in purposes.FIXED}
    board.reemployment = Rate(*reemployed)
    board.attrition = Rate(*attrition)
    costs = CostEntry.objects.filter(org=org, month__gte=since, month__lte=until)
    if channel:
        costs = costs.filter(channel=channel)
    if board.costs_shown:
        totals = costs.values("channel").annotate(total=Sum("amount_yen"))
        board.cost_by_channel = {row["channel"]: row["total"] for row in totals}
    board.agency_fee_yen = int((org.settings or {}).get("analytics", {}).get("agency_fee_yen", DEFAULT_AGENCY_FEE_YEN))
    return board


def _rows(*, org: Organization, board: Dashboard) -> QuerySet[MonthlyFigure]:
    """Unfiltered: the org totals. Filtered: the other figures' totals plus the (job, channel) cells
    of the application-based ones that match the filters."""
    rows = MonthlyFigure.objects.filter(org=org, month__gte=board.since, month__lte=board.until)
    if not board.filtered:
        return rows.filter(job="", channel="")  # cells always name a channel
    cells = rows.filter(metric__in=[f"{m}_by" for m in FILTERED_METRICS])
    if board.job is not None:
        cells = cells.filter(job=str(board.job.pk))
    if board.department:
        jobs = JobRequisition.objects.filter(org=org, department=board.department).values_list("pk", flat=True)
        cells = cells.filter(job__in=[str(pk) for pk in jobs])
    if board.channel:
        cells = cells.filter(channel=board.channel)
    others = rows.filter(job="", channel="").exclude(metric__in=FILTERED_METRICS)
    return others | cells


def channels(*, org: Organization) -> list[str]:
    """The channels the org's applications came through (for the filter)."""
    stored = MonthlyFigure.objects.filter(org=org, metric__in=[f"{m}_by" for m in FILTERED_METRICS])
    return sorted(stored.values_list("channel", flat=True).distinct())


def jobs(*, org: Organization) -> list[JobRequisition]:
    return list(JobRequisition.objects.filter(org=org).order_by("title", "pk"))


def departments(*, org: Organization) -> list[str]:
    return sorted(
        dimension.removeprefix("department:")
        for dimension in MonthlyFigure.objects.filter(org=org, metric="reapplied", dimension__startswith="department:")
        .values_list("dimension", flat=True)
        .distinct()
    )


def as_dict(board: Dashboard) -> dict[str, object]:
    """The dashboard as plain data (API, `careerrelay metrics --json`)."""

    def rate(r: Rate | None) -> dict[str, object] | None:
        return None if r is None else {"numerator": r.numerator, "denominator": r.denominator, "value": r.value}

    return {
        "since": board.since.strftime("%Y-%m"),
        "until": board.until.strftime("%Y-%m"),
        "filters": {
            "department": board.department or None,
            "job": None if board.job is None else str(board.job.pk),
            "channel": board.channel or None,
            "applies_to": list(FILTERED_METRICS) if board.filtered else [],
        },
        "reapplication_rate": [{"month": m.strftime("%Y-%m"), **(rate(r) or {})} for m, r in board.reapplication],
        "reapplication_before": rate(board.before),
        "reapplication_after": rate(board.after),
        "time_to_offer_median_days": board.offer_median_days,
        "hires_by_channel": board.hires_by_channel,
        "cost_per_hire": [
            {"channel": c, "cost_yen": cost, "hires": hires, "cost_per_hire_yen": per}
            for c, cost, hires, per in board.cost_per_hire()
        ],
        "referral_hire_rate": rate(board.referral_hire_rate),
        "relay_funnel": board.relay_funnel,
        "rescout_funnel": board.rescout_funnel,
        "reemployment_rate": rate(board.reemployment),
        # None when no hire of the period's cohorts has a leave date: "not recorded", not 0%.
        "first_year_attrition": rate(board.attrition) if board.leave_dates_recorded else None,
        "leave_dates_recorded": board.leave_dates_recorded,
        "credits_redeemed": board.credits_redeemed,
        "cost_saved_yen": board.cost_saved_yen,
        "opt_in_rate": {purpose: rate(r) for purpose, r in board.opt_in.items()},
        "newsletter_audience": [
            {"month": m.strftime("%Y-%m"), "people": n, "change": change} for m, n, change in board.audience_growth
        ],
    }
