from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careerrelay.analytics.aggregate import update_org
from careerrelay.analytics.dashboard import CHANNEL_PATTERN, as_dict, dashboard
from careerrelay.core import clock
from careerrelay.core.dates import add_months
from careerrelay.core.errors import NotFound
from careerrelay.orgs.models import Organization


def _month(text: str | None, default: date, option: str) -> date:
    if not text:
        return default
    try:
        return date(int(text[:4]), int(text[5:7]), 1)
    except ValueError as exc:
        raise CommandError(f"{option}: use YYYY-MM, e.g. 2026-04") from exc


class Command(BaseCommand):
    help = (
        "Print an org's metrics (docs/metrics.md): `metrics --org SLUG [--json] [--since YYYY-MM] [--until YYYY-MM] "
        "[--department NAME] [--job ID] [--channel SOURCE]`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="the organisation's slug")
        parser.add_argument("--json", action="store_true", help="machine-readable output")
        parser.add_argument("--since", help="first month, YYYY-MM (default: 23 months ago)")
        parser.add_argument("--until", help="last month, YYYY-MM (default: this month)")
        parser.add_argument("--department", default="", help="only applications for this department's jobs")
        parser.add_argument("--job", help="only applications for this job (its id)")
        parser.add_argument("--channel", default="", help='only applications from this source ("unknown" for none)')
        parser.add_argument("--refresh", action="store_true", help="recompute the org's figures first")

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organization.objects.filter(slug=options["org"]).first()
        if org is None:
            raise CommandError(f"--org: no organisation with the slug {options['org']!r}")
        if options["refresh"]:
            update_org(org, clock.now())
        today = clock.today_jst()
        if options["channel"] and not re.fullmatch(CHANNEL_PATTERN, options["channel"]):
            raise CommandError("--channel: an application source such as agency, referral or relay")
        try:
            board = dashboard(
                org=org,
                since=_month(options["since"], add_months(today, -23).date().replace(day=1), "--since"),
                until=_month(options["until"], today.date().replace(day=1), "--until"),
                department=options["department"],
                job=options["job"],
                channel=options["channel"],
            )
        except NotFound as exc:
            raise CommandError(f"--job: no job {options['job']!r} in {org.slug}") from exc
        figures = as_dict(board)
        if options["json"]:
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{org.name}  {figures['since']} – {figures['until']}")
        for month in figures["reapplication_rate"]:  # type: ignore[attr-defined]
            value = month["value"]
            shown = "—" if value is None else f"{value * 100:5.1f}%"
            self.stdout.write(
                f"  re-application {month['month']}: {shown} ({month['numerator']}/{month['denominator']})"
            )
        self.stdout.write(f"  hires by channel: {figures['hires_by_channel']}")
        self.stdout.write(f"  median days to offer: {figures['time_to_offer_median_days']}")
        self.stdout.write(f"  relay funnel: {figures['relay_funnel']}")
        self.stdout.write(
            f"  free slots used: {figures['credits_redeemed']}, cost saved: ¥{figures['cost_saved_yen']:,}"
        )
