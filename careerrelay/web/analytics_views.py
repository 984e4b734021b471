"""The org dashboard (the article's table from the org's own data) and the operator's network view."""

from __future__ import annotations

import csv
import re
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from careerrelay.analytics.charts import Point, bar_chart, line_chart
from careerrelay.analytics.dashboard import CHANNEL_PATTERN, Dashboard, channels, dashboard, departments, jobs
from careerrelay.analytics.models import CostEntry
from careerrelay.analytics.network import network_dashboard
from careerrelay.analytics.services import agency_fee_set, cost_add
from careerrelay.candidates.imports.export import neutralise
from careerrelay.consent import purposes
from careerrelay.core import clock, tenancy
from careerrelay.core.dates import add_months
from careerrelay.core.errors import DomainValidationError
from careerrelay.web.templatetags.pool_labels import source_label
from careerrelay.web.views import _actor, member_required


def _month(text: str | None, default: date) -> date:
    parsed = parse_date(f"{text}-01") if text and len(text) == 7 else None
    return (parsed or default).replace(day=1)


def period(request: HttpRequest) -> tuple[date, date]:
    this_month = clock.today_jst().date().replace(day=1)
    start = add_months(clock.today_jst(), -23).date().replace(day=1)
    return _month(request.GET.get("since"), start), _month(request.GET.get("until"), this_month)


def _charts(board: Dashboard) -> dict[str, Any]:
    return {
        "reapplication_chart": line_chart(
            [Point(m.strftime("%Y-%m"), rate.value) for m, rate in board.reapplication],
            key="reapply",
            title=_("Re-application rate by month of rejection"),
            description=_("Of the people rejected each month, the share who applied again within 12 months."),
            percent=True,
        ),
        "hires_chart": bar_chart(
            [Point(source_label(channel), n) for channel, n in sorted(board.hires_by_channel.items())],
            key="hires",
            title=_("Hires by channel"),
            description=_("How many people were hired through each channel in the period."),
        ),
        "rescout_chart": bar_chart(
            [Point(str(RESCOUT_LABELS[step]), n) for step, n in board.rescout_funnel.items()],
            key="rescout",
            title=_("Re-scout response"),
            description=_("Re-scout emails sent; then clicks, interest, applications and hires."),
        ),
        "funnel_chart": bar_chart(
            [Point(str(STEP_LABELS[step]), n) for step, n in board.relay_funnel.items()],
            key="funnel",
            title=_("Career Relay funnel"),
            description=_("People you shared, and how far their introductions went."),
        ),
    }


RESCOUT_LABELS = {
    "sent": gettext_lazy("Sent"),
    "clicked": gettext_lazy("Clicked"),
    "interested": gettext_lazy("Interested"),
    "reapplied": gettext_lazy("Applied again"),
    "hired": gettext_lazy("Hired"),
}
STEP_LABELS = {
    "shared": gettext_lazy("Shared"),
    "viewed": gettext_lazy("Viewed by partners"),
    "requested": gettext_lazy("Asked to meet"),
    "approved": gettext_lazy("Said yes"),
    "interviewed": gettext_lazy("Interviewed"),
    "hired": gettext_lazy("Hired"),
}


@member_required
@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    since, until = period(request)
    split = parse_date(request.GET.get("split", "") or "")
    department = request.GET.get("department", "")
    channel = request.GET.get("channel", "")
    if channel and not re.fullmatch(CHANNEL_PATTERN, channel):
        messages.error(request, _("Channel: choose one of the listed channels."))
        channel = ""
    board = dashboard(
        org=actor.org,
        since=since,
        until=until,
        department=department,
        job=request.GET.get("job") or None,
        channel=channel,
        split=split,
    )
    if request.GET.get("format") == "csv":
        return _csv(board)
    context = {
        "board": board,
        "departments": departments(org=actor.org),
        "department": department,
        "jobs": jobs(org=actor.org),
        "channels": channels(org=actor.org),
        "split": split,
        "purposes": [(p, purposes.LABELS[p], board.opt_in[p]) for p in purposes.FIXED],
        "cost_kinds": CostEntry.Kind.choices,
        "is_admin": actor.role == "admin",
        "query": request.GET.urlencode(),
        **_charts(board),
    }
    return render(request, "web/analytics.html", context)


def _csv(board: Dashboard) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="metrics-{board.since:%Y-%m}-{board.until:%Y-%m}.csv"'
    response.write("\ufeff")
    rows: list[list[object]] = [["metric", "month_or_channel", "numerator", "denominator", "value"]]
    if board.filtered:  # say which filters narrowed the application-based figures
        rows += [["filter", "department", board.department, "", ""]] if board.department else []
        rows += [["filter", "job", board.job.title, "", str(board.job.pk)]] if board.job else []
        rows += [["filter", "channel", board.channel, "", ""]] if board.channel else []
    rows += [
        ["reapplication_rate", f"{m:%Y-%m}", r.numerator, r.denominator, r.percent] for m, r in board.reapplication
    ]
    rows += [["hires", channel, n, "", ""] for channel, n in sorted(board.hires_by_channel.items())]
    rows += [["cost_per_hire", c, cost, hires, per or ""] for c, cost, hires, per in board.cost_per_hire()]
    rows += [["relay_funnel", step, n, "", ""] for step, n in board.relay_funnel.items()]
    rows += [["rescout_funnel", step, n, "", ""] for step, n in board.rescout_funnel.items()]
    rows += [["opt_in", p, r.numerator, r.denominator, r.percent] for p, r in board.opt_in.items()]
    medians = board.offer_median_days.items()
    rows += [["time_to_offer_median_days", g, "", "", "" if d is None else d] for g, d in medians]
    rows += [["credits_redeemed", "", board.credits_redeemed, "", board.cost_saved_yen]]
    if board.leave_dates_recorded:
        a = board.attrition
        rows += [["first_year_attrition", "", a.numerator, a.denominator, a.percent]]
    else:
        rows += [["first_year_attrition", "no leave dates recorded", "", "", ""]]
    growth = board.audience_growth
    rows += [["newsletter_audience", f"{m:%Y-%m}", n, "", "" if c is None else c] for m, n, c in growth]
    csv.writer(response).writerows([[neutralise(str(cell)) for cell in row] for row in rows])
    return response


@member_required
@require_POST
def cost_add_view(request: HttpRequest) -> HttpResponse:
    try:
        cost_add(
            actor=_actor(request),
            month=_month(request.POST.get("month"), clock.today_jst().date()),
            kind=request.POST.get("kind", ""),
            channel=request.POST.get("channel", ""),
            amount_yen=int(request.POST.get("amount_yen") or 0),
            note=request.POST.get("note", ""),
        )
    except ValueError:
        messages.error(request, _("Enter an amount above zero."))
    except DomainValidationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Cost recorded. The dashboard shows it at once."))
    return redirect("web:analytics")


@member_required
@require_POST
def agency_fee_view(request: HttpRequest) -> HttpResponse:
    try:
        agency_fee_set(actor=_actor(request), amount_yen=int(request.POST.get("agency_fee_yen") or 0))
    except (ValueError, DomainValidationError):
        messages.error(request, _("Enter an amount of zero or more."))
    return redirect("web:analytics")


@member_required
@require_GET
# CROSS-ORG: the operator's aggregates count every member's shares, views and introductions (cells
# under 5 suppressed); network_dashboard checks that the network is the operator's own.
@tenancy.cross_org("the operator's network dashboard aggregates its members")
def network_dashboard_view(request: HttpRequest, network_id: str) -> HttpResponse:
    network, rows, totals = network_dashboard(org=_actor(request).org, network_id=network_id)
    return render(request, "web/network_dashboard.html", {"network": network, "rows": rows, "totals": totals})
