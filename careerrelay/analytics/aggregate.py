"""The nightly pre-aggregation: every org's monthly figures, recomputed from the raw rows and
replaced in one transaction (so running it twice changes nothing). docs/metrics.md defines them."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import transaction

from careerrelay.analytics.models import MonthlyFigure
from careerrelay.candidates.models import Application
from careerrelay.consent import purposes
from careerrelay.consent.gate import consenting_candidate_ids
from careerrelay.consent.models import ConsentEvent
from careerrelay.core.clock import JST
from careerrelay.core.dates import add_months
from careerrelay.orgs.models import Organization
from careerrelay.outreach.models import RESCOUT_KINDS, LinkClick, MessageKind, RescoutResponse, ScheduledMessage
from careerrelay.relay.models import (
    Introduction,
    JobFoundReport,
    LedgerEntry,
    Placement,
    ProfileView,
    SharedProfile,
)

# (month, metric, dimension, job, channel) → [numerator, denominator]; job and channel are "" for org totals.
Counts = dict[tuple[date, str, str, str, str], list[int]]
REAPPLY_WINDOW = timedelta(days=365)
OPT_IN_WINDOW = timedelta(days=30)
RESCOUT_WINDOW = timedelta(days=90)
FIRST_YEAR = timedelta(days=365)


def month_of(moment: datetime | date) -> date:
    day = moment.astimezone(JST).date() if isinstance(moment, datetime) else moment
    return day.replace(day=1)


def channel_group(source: str) -> str:
    return source if source in ("rescout", "relay") else "other"


def channel_of(source: str) -> str:
    """The channel filter's value for an application source ("unknown" when none was given)."""
    return source or "unknown"


def _add(counts: Counts, month: date, metric: str, dimension: str, numerator: int, denominator: int = 0) -> None:
    cell = counts.setdefault((month, metric, dimension, "", ""), [0, 0])
    cell[0] += numerator
    cell[1] += denominator


def _add_cell(
    counts: Counts,
    cell: tuple[object, str],
    month: date,
    metric: str,
    dimension: str,
    numerator: int,
    denominator: int = 0,
) -> None:
    """Also count a figure in its (job, channel) cell, under `<metric>_by`, for the dashboard's filters."""
    job, source = cell
    key = (month, f"{metric}_by", dimension, "" if job is None else str(job), channel_of(source))
    stored = counts.setdefault(key, [0, 0])
    stored[0] += numerator
    stored[1] += denominator


def _reapplications(org: Organization, counts: Counts) -> None:
    applied: dict[object, list[datetime]] = defaultdict(list)
    for candidate_id, applied_at in Application.objects.filter(org=org).values_list("candidate_id", "applied_at"):
        applied[candidate_id].append(applied_at)
    for dates in applied.values():
        dates.sort()
    first_rejection: dict[tuple[object, date], tuple[datetime, str, tuple[object, str]]] = {}
    rejected = Application.objects.filter(org=org, status=Application.Status.REJECTED, closed_at__isnull=False)
    for candidate_id, closed_at, department, job_id, source in rejected.values_list(
        "candidate_id", "closed_at", "job__department", "job_id", "source"
    ):
        key = (candidate_id, month_of(closed_at))
        if key not in first_rejection or closed_at < first_rejection[key][0]:
            first_rejection[key] = (closed_at, department or "", (job_id, source))
    for (candidate_id, month), (closed_at, department, cell) in first_rejection.items():
        dates = applied[candidate_id]
        later = bisect.bisect_right(dates, closed_at)
        again = int(later < len(dates) and dates[later] <= closed_at + REAPPLY_WINDOW)
        _add(counts, month, "reapplied", "", again, 1)
        _add_cell(counts, cell, month, "reapplied", "", again, 1)
        if department:
            _add(counts, month, "reapplied", f"department:{department}", again, 1)


def _offers_and_hires(org: Organization, counts: Counts) -> None:
    offered = Application.objects.filter(org=org, offer_date__isnull=False)
    for applied_at, offer_date, source, job_id in offered.values_list("applied_at", "offer_date", "source", "job_id"):
        days = max((offer_date - applied_at.astimezone(JST).date()).days, 0)
        _add(counts, month_of(offer_date), "offer_days", f"{channel_group(source)}:{days}", 1)
        _add_cell(counts, (job_id, source), month_of(offer_date), "offer_days", f"{channel_group(source)}:{days}", 1)
    hired = Application.objects.filter(org=org, status=Application.Status.HIRED, hire_date__isnull=False)
    for hire_date, source, job_id in hired.values_list("hire_date", "source", "job_id"):
        _add(counts, month_of(hire_date), "hires", channel_of(source), 1)
        _add_cell(counts, (job_id, source), month_of(hire_date), "hires", channel_of(source), 1)


def _attrition(org: Organization, counts: Counts, at: datetime) -> None:
    """Per month of hire: hires whose first year has elapsed, and of them those who left within it;
    `leave_dates` counts the month's hires with any leave date, so that "none recorded" is not 0%."""
    today = at.astimezone(JST).date()
    hired = Application.objects.filter(org=org, status=Application.Status.HIRED, hire_date__isnull=False)
    for hire_date, left_on, source, job_id in hired.values_list("hire_date", "left_on", "source", "job_id"):
        month = month_of(hire_date)
        if left_on is not None:
            _add(counts, month, "leave_dates", "", 1)
            _add_cell(counts, (job_id, source), month, "leave_dates", "", 1)
        if hire_date + FIRST_YEAR <= today:
            left = int(left_on is not None and left_on <= hire_date + FIRST_YEAR)
            _add(counts, month, "attrition", "", left, 1)
            _add_cell(counts, (job_id, source), month, "attrition", "", left, 1)


def _relay(org: Organization, counts: Counts) -> None:
    for (published_at,) in SharedProfile.objects.filter(org=org, published_at__isnull=False).values_list(
        "published_at"
    ):
        _add(counts, month_of(published_at), "relay", "shared", 1)
    for (viewed_at,) in ProfileView.objects.filter(org=org).values_list("first_viewed_at"):
        _add(counts, month_of(viewed_at), "relay", "viewed", 1)
    received = Introduction.objects.filter(source_org=org)
    for requested_at, decided_at, status, outcome in received.values_list(
        "requested_at", "decided_at", "status", "outcome"
    ):
        _add(counts, month_of(requested_at), "relay", "requested", 1)
        if status == Introduction.Status.APPROVED and decided_at is not None:
            _add(counts, month_of(decided_at), "relay", "approved", 1)
            if outcome in ("interview", "offer", "hired"):
                _add(counts, month_of(decided_at), "relay", "interviewed", 1)
    placed = Placement.objects.filter(source_org=org).exclude(status=Placement.Status.REVERSED)
    for (hired_on,) in placed.values_list("hired_on"):
        _add(counts, month_of(hired_on), "relay", "hired", 1)
    redeemed = LedgerEntry.objects.filter(holder=org, kind=LedgerEntry.Kind.REDEEMED, amount__lt=0)
    for at, amount in redeemed.values_list("at", "amount"):
        _add(counts, month_of(at), "credits_redeemed", "", -amount)
    shared_people = {
        candidate_id: published_at
        for candidate_id, published_at in SharedProfile.objects.filter(
            org=org, published_at__isnull=False, candidate__isnull=False
        ).values_list("candidate_id", "published_at")
    }
    reemployed = set(
        Placement.objects.filter(source_org=org)
        .exclude(status=Placement.Status.REVERSED)
        .values_list("introduction__profile__candidate_id", flat=True)
    ) | set(JobFoundReport.objects.filter(org=org).values_list("candidate_id", flat=True))
    for candidate_id, published_at in shared_people.items():
        _add(counts, month_of(published_at), "reemployed", "", int(candidate_id in reemployed), 1)


def _opt_ins(org: Organization, counts: Counts) -> None:
    sent = ScheduledMessage.objects.filter(
        org=org, kind=MessageKind.REJECTION, status=ScheduledMessage.Status.SENT, sent_at__isnull=False
    )
    first_sent: dict[object, datetime] = {}
    for candidate_id, sent_at in sent.values_list("candidate_id", "sent_at"):
        if candidate_id not in first_sent or sent_at < first_sent[candidate_id]:
            first_sent[candidate_id] = sent_at
    grants: dict[tuple[object, str], list[datetime]] = defaultdict(list)
    for candidate_id, purpose, occurred_at in ConsentEvent.objects.filter(
        org=org, kind=ConsentEvent.Kind.GRANTED, candidate_id__in=list(first_sent)
    ).values_list("candidate_id", "purpose", "occurred_at"):
        grants[(candidate_id, purpose)].append(occurred_at)
    for candidate_id, sent_at in first_sent.items():
        month = month_of(sent_at)
        for purpose in purposes.FIXED:
            agreed = any(sent_at <= at <= sent_at + OPT_IN_WINDOW for at in grants.get((candidate_id, purpose), []))
            _add(counts, month, "opt_in", purpose, int(agreed), 1)


def _rescout(org: Organization, counts: Counts) -> None:
    """Per month of sending: re-scout messages sent → clicked → "I'm interested" → the person
    applied again within 90 days → hired from that application."""
    sent = ScheduledMessage.objects.filter(
        org=org, kind__in=RESCOUT_KINDS, status=ScheduledMessage.Status.SENT, sent_at__isnull=False
    )
    messages = list(sent.values_list("pk", "candidate_id", "sent_at"))
    if not messages:
        return
    clicked = set(LinkClick.objects.filter(org=org).values_list("message_id", flat=True))
    interested = set(RescoutResponse.objects.filter(org=org).values_list("message_id", flat=True))
    applications: dict[object, list[tuple[datetime, str]]] = defaultdict(list)
    people = {candidate_id for _pk, candidate_id, _at in messages}
    for candidate_id, applied_at, status in Application.objects.filter(org=org, candidate_id__in=people).values_list(
        "candidate_id", "applied_at", "status"
    ):
        applications[candidate_id].append((applied_at, status))
    for pk, candidate_id, sent_at in messages:
        month = month_of(sent_at)
        later = [status for at, status in applications[candidate_id] if sent_at < at <= sent_at + RESCOUT_WINDOW]
        _add(counts, month, "rescout", "sent", 1)
        _add(counts, month, "rescout", "clicked", int(pk in clicked))
        _add(counts, month, "rescout", "interested", int(pk in interested))
        _add(counts, month, "rescout", "reapplied", int(bool(later)))
        _add(counts, month, "rescout", "hired", int(Application.Status.HIRED in later))


def _months(since: date, until: date) -> Iterable[date]:
    month = since
    while month <= until:
        yield month
        month = add_months(datetime(month.year, month.month, 1, tzinfo=JST), 1).date()


def _audience(org: Organization, counts: Counts, at: datetime) -> None:
    """People with newsletter consent in force at the end of each month."""
    first = Application.objects.filter(org=org).order_by("applied_at").values_list("applied_at", flat=True).first()
    if first is None:
        return
    for month in _months(month_of(first), month_of(at)):
        end = min(add_months(datetime(month.year, month.month, 1, tzinfo=JST), 1), at)
        audience = consenting_candidate_ids(org=org, purpose=purposes.NEWSLETTER, at=end).count()
        _add(counts, month, "newsletter_audience", "", audience)


def figures_for(org: Organization, at: datetime) -> Counts:
    counts: Counts = {}
    _reapplications(org, counts)
    _offers_and_hires(org, counts)
    _attrition(org, counts, at)
    _relay(org, counts)
    _opt_ins(org, counts)
    _rescout(org, counts)
    _audience(org, counts, at)
    return counts


@transaction.atomic
def update_org(org: Organization, at: datetime) -> int:
    counts = figures_for(org, at)
    MonthlyFigure.objects.filter(org=org).delete()
    MonthlyFigure.objects.bulk_create(
        [
            MonthlyFigure(
                org=org,
                month=month,
                metric=metric,
                dimension=dimension,
                job=job,
                channel=channel,
                numerator=n,
                denominator=d,
            )
            for (month, metric, dimension, job, channel), (n, d) in counts.items()
        ],
        batch_size=2000,
    )
    return len(counts)


def update_all(at: datetime) -> int:
    return sum(update_org(org, at) for org in Organization.objects.exclude(kind=Organization.Kind.OPERATOR))
