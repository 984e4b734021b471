"""Newsletter expansion: how long a newsletter to a large audience takes to become outbox rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_newsletter python benchmarks/newsletter_expand_bench.py \\
        --pool 100000 --consenting 20000

Empties the bench database's pool tables, writes `--pool` people of one org with SQL, of whom
`--consenting` have `newsletter` consent, schedules one newsletter to everyone (empty segment) and
runs `compose_newsletter_messages` ticks until it is expanded. Prints the recipient count (the
composer's `segment_reach`) time, the expansion time and the rows per second.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.outreach_planner_bench import _fill


def _build(org_id: str, pool: int, consenting: int) -> None:
    from django.db import connection, transaction

    uid = "md5('{}' || g)::uuid"
    org = f"'{org_id}'::uuid"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE candidates_candidate, outreach_scheduledmessage, outreach_newsletter,"
            " consent_consentevent CASCADE"
        )
        _fill(
            cursor,
            "candidates_candidate",
            pool,
            {"id": uid.format("c"), "org_id": org, "family_name": "'試験'", "email": "'p' || g || '@bench.example.jp'"},
        )
        _fill(
            cursor,
            "consent_consentevent",
            consenting,
            {
                "id": uid.format("e"),
                "org_id": org,
                "candidate_id": uid.format("c"),
                "purpose": "'newsletter'",
                "kind": "'granted'",
                "language": "'ja'",
                "channel": "'portal'",
                "occurred_at": "now() - interval '200 days'",
                "expires_at": "now() + interval '2 years'",
            },
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pool", type=int, default=100_000)
    parser.add_argument("--consenting", type=int, default=20_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from careerrelay.core import clock
    from careerrelay.orgs.models import Organization
    from careerrelay.outreach.models import Newsletter, ScheduledMessage
    from careerrelay.outreach.newsletter_selectors import Segment, segment_reach
    from careerrelay.outreach.newsletter_send import expand_due

    org, _created = Organization.objects.get_or_create(
        slug="bench-newsletter", defaults={"name": "ベンチ株式会社", "kind": "employer"}
    )
    at = clock.parse_instant("2026-11-25T11:00:00+09:00")
    from django.urls import reverse

    # A running worker has its URLconf loaded already.
    reverse("portal:home", kwargs={"token": "warm-up"})
    with clock.frozen_at(at):
        _build(str(org.pk), args.pool, args.consenting)
        started = time.perf_counter()
        reach = segment_reach(org=org, segment=Segment(), at=at)
        counted = time.perf_counter() - started
        newsletter = Newsletter.objects.create(
            org=org,
            subject_ja="お知らせ",
            body_ja="{candidate_name} 様",
            subject_en="News",
            body_en="Dear {candidate_name}",
            status=Newsletter.Status.SCHEDULED,
            send_at=at,
        )
        started = time.perf_counter()
        ticks = 0
        while Newsletter.objects.filter(pk=newsletter.pk, expanded_at__isnull=True).exists():
            expand_due(at)
            ticks += 1
        expanded = time.perf_counter() - started
    rows = ScheduledMessage.objects.filter(newsletter=newsletter).count()
    assert rows == reach.recipients == args.consenting, (rows, reach)
    print(
        f"pool {args.pool:,}, consenting {args.consenting:,}: count {counted:.2f} s; "
        f"expansion {expanded:.1f} s over {ticks} ticks = {rows / expanded:,.0f} rows/s"
    )


if __name__ == "__main__":
    main()
