"""Analytics at scale: one org with N applications (about 1.6 per person over two years, most
rejected, some re-applications, offers and hires), then the nightly aggregation's time and peak
memory, and the dashboard's latency (the page through Django's test client, and the selector).

    python benchmarks/analytics_bench.py 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_analytics python benchmarks/analytics_bench.py 1000000
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

START = datetime(2024, 12, 1, tzinfo=UTC)
SOURCES = ["own_site", "agency", "referral", "rescout", "relay", "ats"]


def _populate(org: Any, count: int, rng: random.Random) -> None:
    from careerrelay.candidates.models import Application, Candidate, JobRequisition
    from careerrelay.core.ids import new_id

    jobs = [JobRequisition.objects.create(org=org, title=f"求人 {n}", department=f"部署{n % 6}") for n in range(40)]
    made = 0
    batch = 5000
    while made < count:
        people, apps = [], []
        for _ in range(min(batch, count - made) // 2 + 1):
            person = Candidate(org=org, id=new_id(), family_name="山田", email=f"p{made}@example.jp")
            people.append(person)
            moment = START + timedelta(days=rng.randint(0, 700), hours=rng.randint(0, 23))
            for _ in range(1 if rng.random() < 0.6 else 2):
                status = rng.choices(["rejected", "withdrawn", "hired", "active"], [80, 8, 4, 8])[0]
                app = Application(
                    org=org,
                    id=new_id(),
                    candidate=person,
                    job=rng.choice(jobs),
                    source=rng.choice(SOURCES),
                    status=status,
                    applied_at=moment,
                )
                if status in ("rejected", "withdrawn"):
                    app.closed_at = moment + timedelta(days=rng.randint(3, 60))
                if status == "hired":
                    app.offer_date = (moment + timedelta(days=rng.randint(10, 60))).date()
                    app.hire_date = app.offer_date
                apps.append(app)
                made += 1
                moment += timedelta(days=rng.randint(60, 400))
        Candidate.objects.bulk_create(people, batch_size=2000)
        Application.objects.bulk_create(apps, batch_size=2000)
        print(f"\r  {made:,} applications", end="", flush=True)
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--reuse", action="store_true", help="use the newest bench org already in the database")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="careerrelay-bench-"))
    os.environ.setdefault("CAREERRELAY_VAR_DIR", str(workdir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from careerrelay.accounts.services import user_create
    from careerrelay.analytics.aggregate import update_org
    from careerrelay.analytics.dashboard import dashboard
    from careerrelay.analytics.models import MonthlyFigure
    from careerrelay.core import clock
    from careerrelay.orgs.services import membership_add_existing_user, org_create

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from careerrelay.accounts.models import User
    from careerrelay.candidates.models import Application
    from careerrelay.orgs.models import Organization

    existing = Organization.objects.filter(slug__startswith="bench-").order_by("-created_at").first()
    if args.reuse and existing is not None:
        org, user = existing, User.objects.get(email=f"admin@{existing.slug}.example.jp")
        print(f"reusing {existing.slug}: {Application.objects.filter(org=org).count():,} applications")
    else:
        slug = f"bench-{int(time.time())}"
        org = org_create(slug=slug, name="ベンチマーク株式会社", kind="employer")
        user = user_create(email=f"admin@{slug}.example.jp", password="bench-password-1")  # noqa: S106
        membership_add_existing_user(org=org, user=user, role="admin")
        began = time.perf_counter()
        _populate(org, args.count, random.Random(2026))
        print(f"populated {args.count:,} applications in {time.perf_counter() - began:.1f} s ({connection.vendor})")

    at = START + timedelta(days=800)
    began = time.perf_counter()
    rows = update_org(org, at)
    aggregation = time.perf_counter() - began
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"aggregation: {aggregation:.1f} s, {rows:,} figures ({MonthlyFigure.objects.filter(org=org).count():,} rows)"
    )
    print(f"peak RSS so far: {peak_mb:.0f} MB")

    client = Client()
    client.force_login(user)
    page_times, selector_times, filtered_times = [], [], []
    period = {"since": "2024-12", "until": "2027-01", "split": "2025-12-01"}
    with clock.frozen_at(at):
        for _ in range(args.requests):
            began = time.perf_counter()
            response = client.get("/analytics/", period)
            page_times.append(time.perf_counter() - began)
            assert response.status_code == 200
            began = time.perf_counter()  # the filters read the (job, channel) cells instead of the totals
            response = client.get("/analytics/", {**period, "department": "部署1", "channel": "agency"})
            filtered_times.append(time.perf_counter() - began)
            assert response.status_code == 200
            began = time.perf_counter()
            dashboard(org=org, since=START.date(), until=at.date())
            selector_times.append(time.perf_counter() - began)

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1] * 1000

    print(
        f"dashboard page: p50 {statistics.median(page_times) * 1000:.0f} ms, p95 {p95(page_times):.0f} ms; "
        f"selector: p50 {statistics.median(selector_times) * 1000:.0f} ms, p95 {p95(selector_times):.0f} ms; "
        f"filtered page (department + channel): p50 {statistics.median(filtered_times) * 1000:.0f} ms, "
        f"p95 {p95(filtered_times):.0f} ms"
    )


if __name__ == "__main__":
    main()
