"""Japanese business days: weekdays that are neither national holidays (祝日, 振替休日) nor the
year-end break."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache

import holidays

from careerrelay.core.clock import JST

BUSINESS_MORNING = time(9, 30)


@cache
def _japan(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("JP", years=year)


def _year_end_break(day: date) -> bool:
    # 年末年始: most Japanese companies close from 29 December to 3 January.
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _japan(day.year) and not _year_end_break(day)


def next_business_morning(moment: datetime) -> datetime:
    """09:30 JST on the first business day whose 09:30 is not before `moment`."""
    local = moment.astimezone(JST)
    day = local.date()
    while True:
        candidate = datetime.combine(day, BUSINESS_MORNING, tzinfo=JST)
        if is_business_day(day) and candidate >= local:
            return candidate
        day += timedelta(days=1)
