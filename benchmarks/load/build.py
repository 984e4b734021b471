"""One org with N candidates in PostgreSQL for the load test, its recruiter and an API key.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hload_1m python -m benchmarks.load.build 1000000
    DATABASE_URL=... python -m benchmarks.load.build 1000000 --reuse     # print the credentials again

People come from the matching evaluation's hidden world (benchmarks/matching/latency.populate:
candidates, re-contact consent for 90%, the match index, all written with COPY), then get
Japanese names, kana, e-mail addresses and phone numbers (the name parts of
benchmarks/generate_candidates.py), one application each to one of the 64 evaluation jobs (80%
rejected with a reason, 5% withdrawn, 15% active) and a tag for about a fifth — each in one SQL
statement over the whole table. The credentials go to `--credentials` (JSON) for locustfile.py.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.generate_candidates import FAMILY_PARTS, GIVEN_PARTS
from benchmarks.matching.evaluate import EVALSET, setup

PASSWORD = "load-test-password-1"  # noqa: S105 (a throwaway benchmark account)
EMAIL = "recruiter@load.example.jp"
CREDENTIALS = Path(tempfile.gettempdir()) / "careerrelay-load.json"


def _names(parts: list[tuple[str, str]]) -> tuple[list[str], list[str], list[str]]:
    """(kanji, kana, search fragment) for every two-part name."""
    from careerrelay.candidates.search import normalize_query, readings

    kanji, kana, fragments = [], [], []
    for first in parts:
        for second in parts:
            name, reading = first[0] + second[0], first[1] + second[1]
            kanji.append(name)
            kana.append(reading)
            fragments.append(normalize_query(" ".join([name, reading, *readings(name), *readings(reading)])))
    return kanji, kana, fragments


def _step(label: str, sql: str, params: list[Any] | None = None) -> None:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        count = cursor.rowcount
    print(f"  {label}: {count:,} rows, {time.perf_counter() - started:.1f} s", flush=True)


def build(count: int) -> Any:
    from benchmarks.matching.latency import populate
    from careerrelay.candidates.services import job_create
    from careerrelay.orgs.actors import Actor
    from careerrelay.orgs.services import org_create

    org = org_create(slug=f"load-{int(time.time())}", name="負荷試験株式会社", kind="employer")
    actor = Actor(org=org, role="admin")
    for job in json.loads(EVALSET.read_text(encoding="utf-8"))["jobs"]:
        job_create(actor=actor, remote=job["remote"], audited=False, **job["typed"])
    started = time.perf_counter()
    pool_seconds, index_seconds = populate(org, count)
    print(f"  candidates + consent {pool_seconds:.0f} s, match index {index_seconds:.0f} s", flush=True)
    family, family_kana, family_text = _names(FAMILY_PARTS)
    given, given_kana, given_text = _names(GIVEN_PARTS)
    org_id = str(org.pk)
    # Names, kana, e-mail and phone from a hash of the id; the name's readings go first in the search text.
    _step(
        "names",
        """
        UPDATE candidates_candidate c SET
            family_name = (%s::text[])[1 + h.f], given_name = (%s::text[])[1 + h.g],
            family_name_kana = (%s::text[])[1 + h.f], given_name_kana = (%s::text[])[1 + h.g],
            birth_year = 1960 + h.n %% 40,
            email = 'p' || replace(c.id::text, '-', '') || '@example.jp',
            phone = '+8190' || lpad((h.n %% 100000000)::text, 8, '0'),
            search_text = (%s::text[])[1 + h.f] || ' ' || (%s::text[])[1 + h.g] || ' ' || c.search_text
                || ' p' || replace(c.id::text, '-', '') || '@example.jp'
        FROM (SELECT id, abs(hashtext(id::text)) AS n, abs(hashtext(id::text)) %% 576 AS f,
                     abs(hashtext(reverse(id::text))) %% 576 AS g
              FROM candidates_candidate WHERE org_id = %s) h
        WHERE c.id = h.id
        """,
        [family, given, family_kana, given_kana, family_text, given_text, org_id],
    )
    _step(
        "applications",
        """
        INSERT INTO candidates_application (id, org_id, created_at, updated_at, candidate_id, job_id, source,
            status, stage, applied_at, closed_at, rejection_reason_id, rejection_note, evaluation_summary,
            rescout_eligible, is_reapplication, external_ref)
        SELECT gen_random_uuid(), c.org_id, c.created_at, c.created_at, c.id,
            jobs.ids[1 + r.n %% array_length(jobs.ids, 1)],
            (ARRAY['own_site','agency','referral','ats'])[1 + r.n %% 4],
            CASE WHEN r.n %% 100 < 80 THEN 'rejected' WHEN r.n %% 100 < 85 THEN 'withdrawn' ELSE 'active' END,
            CASE WHEN r.n %% 100 < 85 THEN 'first_interview' ELSE 'applied' END,
            c.created_at - make_interval(days => 30 + r.n %% 700),
            CASE WHEN r.n %% 100 < 85 THEN c.created_at - make_interval(days => r.n %% 700) END,
            CASE WHEN r.n %% 100 < 80 THEN reasons.ids[1 + r.n %% array_length(reasons.ids, 1)] END,
            '', '', r.n %% 100 < 40, false, ''
        FROM candidates_candidate c
        CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM candidates_jobrequisition WHERE org_id = %s) jobs
        CROSS JOIN (SELECT array_agg(id ORDER BY position) AS ids FROM candidates_rejectionreason
                    WHERE org_id = %s AND kind = 'we_rejected') reasons
        CROSS JOIN LATERAL (SELECT abs(hashtext(c.id::text || 'a')) AS n) r
        WHERE c.org_id = %s
        """,
        [org_id, org_id, org_id],
    )
    _step(
        "tags",
        """
        INSERT INTO candidates_candidatetag (id, org_id, created_at, updated_at, candidate_id, tag_id)
        SELECT gen_random_uuid(), c.org_id, c.created_at, c.created_at, c.id,
               tags.ids[1 + abs(hashtext(c.id::text || 't')) %% array_length(tags.ids, 1)]
        FROM candidates_candidate c
        CROSS JOIN (SELECT array_agg(id ORDER BY code) AS ids FROM candidates_tag WHERE org_id = %s) tags
        WHERE c.org_id = %s AND abs(hashtext(c.id::text || 'g')) %% 5 = 0
        """,
        [org_id, org_id],
    )
    _step("analyze", "VACUUM ANALYZE")
    print(f"built {count:,} candidates in {time.perf_counter() - started:.0f} s", flush=True)
    return org


def credentials(org: Any) -> dict[str, Any]:
    """The org's recruiter (created once), a new recruiter API key, the jobs, sample people and names."""
    from django.db import connection

    from careerrelay.accounts.models import User
    from careerrelay.accounts.services import user_create
    from careerrelay.candidates.models import JobRequisition
    from careerrelay.orgs.actors import Actor
    from careerrelay.orgs.models import Membership
    from careerrelay.orgs.services import apikey_create, membership_add_existing_user

    user = User.objects.filter(email=EMAIL).first() or user_create(
        email=EMAIL, password=PASSWORD, family_name="負荷", given_name="試験"
    )
    if not Membership.objects.filter(org=org, user=user).exists():
        membership_add_existing_user(org=org, user=user, role="recruiter")
    _key, secret = apikey_create(actor=Actor(org=org, role="admin"), name="load test")
    jobs = [str(pk) for pk in JobRequisition.objects.filter(org=org).order_by("id").values_list("id", flat=True)]
    with connection.cursor() as cursor:
        # 2,000 people spread over the table (a sample of pages, not a random sort of a million rows).
        cursor.execute("SELECT count(*) FROM candidates_candidate WHERE org_id = %s", [str(org.pk)])
        share = min(100.0, 100.0 * 4000 / max(cursor.fetchone()[0], 1))
        cursor.execute(
            "SELECT id, family_name FROM candidates_candidate TABLESAMPLE SYSTEM (%s) WHERE org_id = %s LIMIT 2000",
            [share, str(org.pk)],
        )
        sample = cursor.fetchall()
    return {
        "org": org.slug,
        "email": EMAIL,
        "password": PASSWORD,
        "api_key": secret,
        "jobs": jobs,
        "candidates": [str(row[0]) for row in sample],
        "names": sorted({row[1] for row in sample}),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("candidates", type=int)
    parser.add_argument("--reuse", action="store_true", help="skip building: use the newest load-* org")
    parser.add_argument("--credentials", type=Path, default=CREDENTIALS)
    args = parser.parse_args()
    setup()
    from django.db import connection

    from careerrelay.orgs.models import Organization

    if connection.vendor != "postgresql":
        parser.error("set DATABASE_URL to a PostgreSQL database")
    if args.reuse:
        org = Organization.objects.filter(slug__startswith="load-").order_by("-slug")[0]
        print(f"reusing {org.slug}", flush=True)
    else:
        print(f"building {args.candidates:,} candidates", flush=True)
        org = build(args.candidates)
    found = credentials(org)
    args.credentials.write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"credentials for locustfile.py in {args.credentials}", flush=True)


if __name__ == "__main__":
    main()
