"""Each org's outreach settings, kept in `Organization.settings` under "outreach": the send
window and the frequency cap that every marketing message (re-scout, newsletter) obeys."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from careerrelay.core.business_days import is_business_day
from careerrelay.core.clock import JST
from careerrelay.orgs.models import Organization


@dataclass(frozen=True)
class OutreachSettings:
    # At most one marketing message per person per this many days (re-scouts and newsletters).
    # The rejection email, consent renewals and portal links neither count nor wait.
    cap_days: int = 30
    # Marketing messages go out on Japanese business days between these hours (JST).
    window_start_hour: int = 10
    window_end_hour: int = 18


def for_org(org: Organization) -> OutreachSettings:
    stored = (org.settings or {}).get("outreach", {})
    known = {key: value for key, value in stored.items() if key in OutreachSettings.__dataclass_fields__}
    return OutreachSettings(**known)


def as_json(values: OutreachSettings) -> dict[str, object]:
    return asdict(values)


def in_window(moment: datetime, values: OutreachSettings) -> bool:
    local = moment.astimezone(JST)
    return is_business_day(local.date()) and values.window_start_hour <= local.hour < values.window_end_hour


def next_slot(moment: datetime, values: OutreachSettings) -> datetime:
    """`moment` if it is inside the send window, else the window's next opening."""
    if in_window(moment, values):
        return moment
    local = moment.astimezone(JST)
    day = local.date()
    if local.hour >= values.window_start_hour:
        day += timedelta(days=1)
    while not is_business_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, time(values.window_start_hour), tzinfo=JST)


def add_months(moment: datetime, months: int) -> datetime:
    """The same local (JST) day and time `months` later; the 31st becomes the month's last day."""
    local = moment.astimezone(JST)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = local.day
    while True:
        try:
            return local.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1


def first_day(value: date) -> datetime:
    return datetime.combine(value, time(0), tzinfo=JST)
