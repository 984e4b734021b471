"""Pre-aggregated figures equal the figures computed directly from the raw rows, on random data."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest

from careerrelay.analytics.aggregate import update_org
from careerrelay.analytics.dashboard import dashboard, median_of
from careerrelay.analytics.models import MonthlyFigure
from careerrelay.candidates.models import Application, Candidate, JobRequisition, RejectionReason
from careerrelay.core.clock import JST

pytestmark = pytest.mark.django_db
START = datetime(2024, 1, 1, tzinfo=UTC)
SOURCES = ["own_site", "agency", "referral", "rescout", "relay", ""]


def _random_history(world, seed: int) -> None:
    rng = random.Random(seed)
    jobs = [
        JobRequisition.objects.create(org=world.org, title=f"job {n}", department=rng.choice(["開発", "営業", ""]))
        for n in range(3)
    ]
    reason = RejectionReason.objects.filter(org=world.org).first()
    for n in range(60):
        candidate = Candidate.objects.create(org=world.org, family_name=f"人{n}", email=f"p{seed}-{n}@example.jp")
        moment = START + timedelta(days=rng.randint(0, 600), hours=rng.randint(0, 23))
        for _ in range(rng.randint(1, 3)):
            status = rng.choice(["rejected", "rejected", "hired", "active", "withdrawn", "offer"])
            job = rng.choice([*jobs, None])
            app = Application(
                org=world.org,
                candidate=candidate,
                job=job,
                source=rng.choice(SOURCES),
                status=status,
                applied_at=moment,
            )
            if status in ("rejected", "withdrawn"):
                app.closed_at = moment + timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 23))
                app.rejection_reason = reason
            if status in ("hired", "offer") or rng.random() < 0.2:
                app.offer_date = (moment + timedelta(days=rng.randint(5, 90))).astimezone(JST).date()
            if status == "hired":
                app.hire_date = app.offer_date
                if rng.random() < 0.5:
                    app.left_on = app.hire_date + timedelta(days=rng.randint(0, 700))
            app.save()
            moment += timedelta(days=rng.randint(30, 500))


def _spec_reapplication(org):
    """Person by person and month by month, from model instances, as docs/metrics.md says."""
    apps = list(Application.objects.filter(org=org).select_related("job"))
    result: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    people = {a.candidate_id for a in apps}
    for person in people:
        own = [a for a in apps if a.candidate_id == person]
        months = defaultdict(list)
        for a in own:
            if a.status == "rejected" and a.closed_at:
                months[a.closed_at.astimezone(JST).strftime("%Y-%m")].append(a)
        for month, rejected in months.items():
            first = min(rejected, key=lambda a: a.closed_at)
            again = any(first.closed_at < b.applied_at <= first.closed_at + timedelta(days=365) for b in own)
            for dimension in ("", f"department:{first.job.department}" if first.job and first.job.department else None):
                if dimension is None:
                    continue
                result[(month, dimension)][0] += int(again)
                result[(month, dimension)][1] += 1
    return result


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_aggregated_figures_equal_the_raw_rows(world, seed):
    _random_history(world, seed)
    update_org(world.org, START + timedelta(days=900))
    stored = {
        (f.month.strftime("%Y-%m"), f.dimension): [f.numerator, f.denominator]
        for f in MonthlyFigure.objects.filter(org=world.org, metric="reapplied")
    }
    assert stored == dict(_spec_reapplication(world.org))

    hires = Counter(
        a.source or "unknown"
        for a in Application.objects.filter(org=world.org, status="hired", hire_date__isnull=False)
    )
    board = dashboard(org=world.org, since=START.date(), until=(START + timedelta(days=4000)).date())
    assert board.hires_by_channel == dict(hires)

    offers = defaultdict(list)
    for a in Application.objects.filter(org=world.org, offer_date__isnull=False):
        group = a.source if a.source in ("rescout", "relay") else "other"
        offers[group].append((a.offer_date - a.applied_at.astimezone(JST).date()).days)
    for group, days in offers.items():
        days.sort()
        expected = (days[(len(days) - 1) // 2] + days[len(days) // 2]) / 2
        assert board.offer_median_days[group] == expected


def test_running_the_aggregation_twice_changes_nothing(world):
    _random_history(world, 7)
    at = START + timedelta(days=900)
    update_org(world.org, at)
    first = sorted(
        MonthlyFigure.objects.filter(org=world.org).values_list(
            "month", "metric", "dimension", "numerator", "denominator"
        )
    )
    update_org(world.org, at)
    again = sorted(
        MonthlyFigure.objects.filter(org=world.org).values_list(
            "month", "metric", "dimension", "numerator", "denominator"
        )
    )
    assert first == again and first


def test_medians_from_histograms():
    assert median_of({}) is None
    assert median_of({3: 1}) == 3
    assert median_of({1: 1, 5: 1}) == 3
    assert median_of({1: 2, 9: 1}) == 1


def test_the_rescout_funnel_counts_each_step_once_per_message(world):
    from careerrelay.candidates.tests.factories import apply
    from careerrelay.outreach.compose import Rendered, queue_message
    from careerrelay.outreach.models import LinkClick, MessageKind, RescoutResponse, ScheduledMessage

    sent_at = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
    people = [apply(world, email=f"r{n}@example.jp", phone="", family_name_kana=f"サイ{n}").candidate for n in range(3)]
    messages = []
    for n, person in enumerate(people):
        message = queue_message(
            candidate=person,
            kind=MessageKind.RESCOUT_FIRST,
            key=f"rescout-test-{n}",
            rendered=Rendered(subject="s", body="b"),
            language="ja",
        )
        ScheduledMessage.objects.filter(pk=message.pk).update(status="sent", sent_at=sent_at)
        messages.append(message)
    LinkClick.objects.create(org=world.org, message=messages[0], action="interested", at=sent_at + timedelta(days=1))
    LinkClick.objects.create(org=world.org, message=messages[0], action="profile", at=sent_at + timedelta(days=1))
    LinkClick.objects.create(org=world.org, message=messages[1], action="profile", at=sent_at + timedelta(days=2))
    again = apply(world, email="r0@example.jp", phone="", family_name_kana="サイ0")
    Application.objects.filter(pk=again.pk).update(applied_at=sent_at + timedelta(days=1), status="hired")
    RescoutResponse.objects.create(org=world.org, message=messages[0], candidate=people[0], application=again)
    update_org(world.org, sent_at + timedelta(days=100))
    board = dashboard(org=world.org, since=sent_at.date().replace(day=1), until=sent_at.date().replace(day=1))
    assert board.rescout_funnel == {"sent": 3, "clicked": 2, "interested": 1, "reapplied": 1, "hired": 1}


def _spec_filtered(org, keep):
    """Re-application by month, hires by channel and median days to offer by group, from model
    instances, counting only the applications `keep` accepts (the cohort's first rejection decides)."""
    apps = list(Application.objects.filter(org=org).select_related("job"))
    reapply: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for person in {a.candidate_id for a in apps}:
        own = [a for a in apps if a.candidate_id == person]
        months = defaultdict(list)
        for a in own:
            if a.status == "rejected" and a.closed_at:
                months[a.closed_at.astimezone(JST).strftime("%Y-%m")].append(a)
        for month, rejected in months.items():
            first = min(rejected, key=lambda a: a.closed_at)
            if keep(first):
                again = any(first.closed_at < b.applied_at <= first.closed_at + timedelta(days=365) for b in own)
                reapply[month][0] += int(again)
                reapply[month][1] += 1
    hires = Counter(a.source or "unknown" for a in apps if a.status == "hired" and a.hire_date and keep(a))
    offers = defaultdict(list)
    for a in apps:
        if a.offer_date and keep(a):
            group = a.source if a.source in ("rescout", "relay") else "other"
            offers[group].append((a.offer_date - a.applied_at.astimezone(JST).date()).days)
    medians = {}
    for group, days in offers.items():
        days.sort()
        medians[group] = (days[(len(days) - 1) // 2] + days[len(days) // 2]) / 2
    today = (START + timedelta(days=900)).astimezone(JST).date()
    cohort = [a for a in apps if a.status == "hired" and a.hire_date and keep(a)]
    elapsed = [a for a in cohort if a.hire_date + timedelta(days=365) <= today]
    left = [a for a in elapsed if a.left_on and a.left_on <= a.hire_date + timedelta(days=365)]
    attrition = (len(left), len(elapsed), sum(1 for a in cohort if a.left_on))
    return dict(reapply), dict(hires), medians, attrition


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_filtered_figures_equal_the_raw_rows(world, seed):
    """The department, job and channel filters, alone and combined (and none), give what the raw
    rows give: re-application, hires, time to offer and first-year attrition."""
    _random_history(world, seed)
    update_org(world.org, START + timedelta(days=900))
    rng = random.Random(seed)
    jobs = list(JobRequisition.objects.filter(org=world.org))
    for attempt in range(9):
        job = rng.choice([None, *jobs])
        channel = rng.choice(["", "unknown", *SOURCES[:-1]])
        department = rng.choice(["", "開発", "営業"])
        if attempt == 0:
            job, channel, department = None, "", ""

        def keep(a, job=job, channel=channel, department=department):
            return (
                (job is None or a.job_id == job.pk)
                and (not channel or (a.source or "unknown") == channel)
                and (not department or (a.job is not None and a.job.department == department))
            )

        reapply, hires, medians, attrition = _spec_filtered(world.org, keep)
        board = dashboard(
            org=world.org,
            since=START.date(),
            until=(START + timedelta(days=4000)).date(),
            department=department,
            job=job.pk if job else None,
            channel=channel,
        )
        assert {m.strftime("%Y-%m"): [r.numerator, r.denominator] for m, r in board.reapplication} == reapply
        assert board.hires_by_channel == hires
        assert {g: d for g, d in board.offer_median_days.items() if d is not None} == medians
        assert (board.attrition.numerator, board.attrition.denominator, board.leave_dates_recorded) == attrition


def test_another_orgs_job_is_not_found(world, other_world):
    from careerrelay.core.errors import NotFound

    job = JobRequisition.objects.create(org=other_world.org, title="secret")
    with pytest.raises(NotFound):
        dashboard(org=world.org, since=START.date(), until=START.date(), job=job.pk)


def test_attrition_says_none_recorded_rather_than_zero(world):
    from careerrelay.analytics.dashboard import as_dict

    candidate = Candidate.objects.create(org=world.org, family_name="入社", email="hired@example.jp")
    hired_on = START.date()
    app = Application.objects.create(
        org=world.org, candidate=candidate, status="hired", applied_at=START, offer_date=hired_on, hire_date=hired_on
    )
    update_org(world.org, START + timedelta(days=500))
    board = dashboard(org=world.org, since=START.date().replace(day=1), until=START.date().replace(day=1))
    assert board.attrition.denominator == 1 and board.leave_dates_recorded == 0
    assert as_dict(board)["first_year_attrition"] is None
    Application.objects.filter(pk=app.pk).update(left_on=hired_on + timedelta(days=200))
    update_org(world.org, START + timedelta(days=500))
    board = dashboard(org=world.org, since=START.date().replace(day=1), until=START.date().replace(day=1))
    assert as_dict(board)["first_year_attrition"] == {"numerator": 1, "denominator": 1, "value": 1.0}


def test_the_newsletter_audience_grows_month_by_month(world):
    from careerrelay.analytics.dashboard import as_dict
    from careerrelay.consent import purposes
    from careerrelay.consent.services import consent_grant, consent_withdraw
    from careerrelay.consent.tests.factories import PORTAL
    from careerrelay.core import clock

    people = [
        Candidate.objects.create(org=world.org, family_name=f"読者{n}", email=f"n{n}@example.jp") for n in range(3)
    ]
    Application.objects.create(org=world.org, candidate=people[0], applied_at=START)
    with clock.frozen_at(START + timedelta(days=40)):  # February: two subscribe
        for person in people[:2]:
            consent_grant(candidate=person, purpose=purposes.NEWSLETTER, language="ja", evidence=PORTAL)
    with clock.frozen_at(START + timedelta(days=70)):  # March: one leaves, one joins
        consent_withdraw(candidate=people[0], purpose=purposes.NEWSLETTER, evidence=PORTAL)
        consent_grant(candidate=people[2], purpose=purposes.NEWSLETTER, language="ja", evidence=PORTAL)
    update_org(world.org, START + timedelta(days=100))
    board = dashboard(org=world.org, since=START.date(), until=(START + timedelta(days=100)).date())
    audience = as_dict(board)["newsletter_audience"]
    assert [(row["people"], row["change"]) for row in audience[:3]] == [(0, None), (2, 2), (2, 0)]
