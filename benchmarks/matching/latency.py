"""Top-20 latency of the ranker and of the icontains baseline over N profiles, index build time
and memory, then nDCG@10 / recall@20 of both on the evaluation set — in one run.

    python -m benchmarks.matching.latency 200000                       # a fresh SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_matching python -m benchmarks.matching.latency 1000000

People are drawn from the evaluation set's hidden world (make_evalset.person), all rejected in
one org, 90% with re-contact consent in force. Candidates and consent rows are bulk-inserted
(not timed); the index build (features through the product's builders, MatchProfile and
MatchTerm rows) is timed. Each of the 64 evaluation jobs is then ranked `--repeat` times by
`matching.selectors.rank` (index shortlist, consent gate, full scoring, ja/en reasons) and once by
the baseline; latencies are wall-clock per job.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from benchmarks.matching.evaluate import EVALSET, setup

CHUNK = 5000
CONSENT_SHARE = 0.9


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Writer:
    """Rows as plain tuples, written with COPY on PostgreSQL and executemany on SQLite: model
    instances would cost more than the database for millions of rows."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"

    def id(self, value: uuid.UUID) -> str:
        return str(value) if self.postgres else value.hex

    def at(self, value: datetime) -> Any:
        return value if self.postgres else value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")

    def json(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    def template(self, model: Any) -> tuple[list[str], dict[str, Any]]:
        """The model's columns and the value each takes by default, ready for the database."""
        blank = model()
        fields = list(model._meta.concrete_fields)
        defaults = {f.attname: f.get_db_prep_save(getattr(blank, f.attname), self.connection) for f in fields}
        for field in fields:
            if field.get_internal_type() == "JSONField":
                defaults[field.attname] = self.json(getattr(blank, field.attname))
        return [f.attname for f in fields], defaults

    def write(self, model: Any, rows: list[dict[str, Any]]) -> None:
        columns, defaults = self.template(model)
        table = model._meta.db_table
        names = ", ".join(self.connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
        values = [[row.get(c, defaults[c]) for c in columns] for row in rows]
        with self.connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for value in values:
                        copy.write_row(value)
            else:
                marks = ", ".join("?" for _ in columns)
                sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 (model metadata, not input)
                cursor.cursor.executemany(sql, values)


def populate(org: Any, count: int, seed: int = 7) -> tuple[float, float]:
    """(seconds for candidates and consent, seconds for the match index)."""
    from benchmarks.matching.make_evalset import person
    from benchmarks.matching.world import OCCUPATIONS
    from careerrelay.candidates.models import Candidate
    from careerrelay.candidates.search import normalize_query
    from careerrelay.consent import purposes
    from careerrelay.consent.models import ConsentEvent
    from careerrelay.core import clock
    from careerrelay.core.ids import new_id
    from careerrelay.matching import features
    from careerrelay.matching.models import MatchProfile, MatchTerm
    from careerrelay.matching.profiles import postings_of, profile_values

    rng = random.Random(seed)
    occupations = list(OCCUPATIONS)
    now = clock.now()
    writer = Writer()
    org_id, stamp = writer.id(org.pk), writer.at(now)
    common = {"org_id": org_id, "created_at": stamp, "updated_at": stamp}
    granted, expires = writer.at(now - timedelta(days=30)), writer.at(now + timedelta(days=700))
    pool_seconds = index_seconds = 0.0
    # Bulk load without the posting-list indexes, then build them once (timed with the index).
    with writer.connection.schema_editor() as editor:
        for index in MatchTerm._meta.indexes:
            editor.remove_index(MatchTerm, index)
    for start in range(0, count, CHUNK):
        started = time.perf_counter()
        people = [person(rng, i, rng.choice(occupations)) for i in range(start, min(count, start + CHUNK))]
        ids = [writer.id(new_id()) for _ in people]
        candidates, consents = [], []
        for candidate_id, p in zip(ids, people, strict=True):
            typed = p["typed"]
            candidates.append(
                {
                    **common,
                    "id": candidate_id,
                    "family_name": "ベンチ",
                    "given_name": p["id"],
                    "prefecture": p["prefecture"],
                    "current_title": typed["current_title"],
                    "years_experience": p["years"],
                    "skills": writer.json(typed["skills"]),
                    "desired_roles": writer.json(typed["desired_roles"]),
                    "desired_locations": writer.json(typed["desired_locations"]),
                    "search_text": normalize_query(
                        " ".join([typed["current_title"], *typed["skills"], *typed["desired_roles"]])
                    ),
                }
            )
            if rng.random() < CONSENT_SHARE:
                consents.append(
                    {
                        **common,
                        "id": writer.id(new_id()),
                        "candidate_id": candidate_id,
                        "purpose": purposes.RECONTACT,
                        "kind": ConsentEvent.Kind.GRANTED,
                        "channel": ConsentEvent.Channel.IMPORT,
                        "occurred_at": granted,
                        "expires_at": expires,
                    }
                )
        writer.write(Candidate, candidates)
        writer.write(ConsentEvent, consents)
        pool_seconds += time.perf_counter() - started
        started = time.perf_counter()
        profiles: list[dict[str, Any]] = []
        terms: list[dict[str, Any]] = []
        for candidate_id, p in zip(ids, people, strict=True):
            typed = p["typed"]
            record = features.build_record(
                skills=typed["skills"],
                prefecture=p["prefecture"],
                desired_locations=typed["desired_locations"],
                years=p["years"],
                title=typed["current_title"],
                desired_roles=typed["desired_roles"],
                available_from=None,
                evaluation=features.evaluation_strength([rng.choice([2.0, 3.0, 4.0])], ["一次面接"], False),
                last_activity=now - timedelta(days=rng.randint(10, 900)),
            )
            values = profile_values(record)
            profile_id = writer.id(new_id())
            profiles.append(
                {
                    **common,
                    **{k: writer.json(v) if isinstance(v, list) else v for k, v in values.items()},
                    "last_activity": writer.at(values["last_activity"]),  # type: ignore[arg-type]
                    "id": profile_id,
                    "candidate_id": candidate_id,
                    "eligible": True,
                }
            )
            terms.extend(
                {
                    **common,
                    "id": writer.id(new_id()),
                    "profile_id": profile_id,
                    "candidate_id": candidate_id,
                    "term": term,
                    "place": place,
                    "prior": prior,
                }
                for term, place, prior in postings_of(record, now=now)
            )
        writer.write(MatchProfile, profiles)
        writer.write(MatchTerm, terms)
        index_seconds += time.perf_counter() - started
        if start // CHUNK % 20 == 0:
            print(f"  {start + len(people):,} people", flush=True)
    started = time.perf_counter()
    with writer.connection.schema_editor() as editor:
        for index in MatchTerm._meta.indexes:
            editor.add_index(MatchTerm, index)
    index_seconds += time.perf_counter() - started
    return pool_seconds, index_seconds


def sizes() -> dict[str, float]:
    """MB on disk of the matching tables with their indexes (and the candidate table, for scale)."""
    from django.db import connection

    tables = ["matching_matchprofile", "matching_matchterm", "candidates_candidate"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            found = {}
            for table in tables:
                cursor.execute("SELECT pg_total_relation_size(%s)", [table])
                found[table] = cursor.fetchone()[0] / 1e6
            return found
        cursor.execute("PRAGMA page_count")
        pages = cursor.fetchone()[0]
        cursor.execute("PRAGMA page_size")
        return {"whole SQLite file": pages * cursor.fetchone()[0] / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("profiles", type=int)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-eval", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="time the org a previous run built (no build)")
    parser.add_argument(
        "--stage1-jobs", type=int, default=0, help="measure stage-1 recall against the full scorer on this many jobs"
    )
    args = parser.parse_args()
    setup()
    from django.db import connection

    from benchmarks.matching.baseline import icontains_rank
    from careerrelay.candidates.services import job_create
    from careerrelay.core import clock
    from careerrelay.matching import selectors
    from careerrelay.orgs.actors import Actor
    from careerrelay.orgs.services import org_create

    pool_seconds = index_seconds = rss_after_build = 0.0
    if args.reuse:
        # The org and jobs a previous run built in this database (CAREERRELAY_VAR_DIR for SQLite).
        from careerrelay.candidates.models import JobRequisition
        from careerrelay.orgs.models import Organization

        org = Organization.objects.filter(slug__startswith="bench-").order_by("-slug")[0]
        jobs = list(JobRequisition.objects.filter(org=org).order_by("created_at", "id"))
        print(f"{connection.vendor}: reusing {org} with {len(jobs)} jobs", flush=True)
    else:
        org = org_create(slug=f"bench-{int(time.time())}", name="ベンチマーク株式会社", kind="employer")
        print(f"{connection.vendor}: building {args.profiles:,} profiles", flush=True)
        pool_seconds, index_seconds = populate(org, args.profiles)
        rss_after_build = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        actor = Actor(org=org, role="admin")
        jobs = [
            job_create(actor=actor, remote=job["remote"], audited=False, **job["typed"])
            for job in json.loads(EVALSET.read_text(encoding="utf-8"))["jobs"]
        ]
    at = clock.now()
    ours: list[float] = []
    base: list[float] = []
    # CPU seconds of this process: on SQLite all the work, so a figure the other processes on
    # the machine do not inflate (on PostgreSQL the server's share is not in it).
    ours_cpu: list[float] = []
    base_cpu: list[float] = []
    for job in jobs:
        query = selectors.job_query_of(job)
        selectors.rank(org=org, query=query, at=at)  # warm the caches once per job
        for _ in range(args.repeat):
            started, cpu = time.perf_counter(), time.process_time()
            found = selectors.rank(org=org, query=query, at=at)
            ours.append((time.perf_counter() - started) * 1000)
            ours_cpu.append((time.process_time() - cpu) * 1000)
        assert len(found) == 20, len(found)
        started, cpu = time.perf_counter(), time.process_time()
        icontains_rank(org=org, job=job, at=at)
        base.append((time.perf_counter() - started) * 1000)
        base_cpu.append((time.process_time() - cpu) * 1000)
    print(f"\n{connection.vendor}, {args.profiles:,} profiles, {len(jobs)} jobs")
    print(f"pool insert (candidates + consent, not the index): {pool_seconds:.1f} s")
    print(f"index build (features + MatchProfile + MatchTerm): {index_seconds:.1f} s")
    print(f"peak RSS after build: {rss_after_build:.0f} MB")
    for table, mb in sizes().items():
        print(f"size {table}: {mb:.0f} MB")
    for name, values in (
        ("ranker", ours),
        ("icontains baseline", base),
        ("ranker (CPU)", ours_cpu),
        ("baseline (CPU)", base_cpu),
    ):
        print(
            f"{name:18s} p50 {_percentile(values, 0.5):8.1f} ms  p95 {_percentile(values, 0.95):8.1f} ms"
            f"  mean {statistics.mean(values):8.1f} ms  (n={len(values)})"
        )
    print(f"p95 ratio baseline/ranker: {_percentile(base, 0.95) / _percentile(ours, 0.95):.1f}x", flush=True)
    if args.stage1_jobs:
        from benchmarks.matching.evaluate import full_scorer_top

        shares = []
        for job in jobs[: args.stage1_jobs]:
            query = selectors.job_query_of(job)
            best = full_scorer_top(org=org, query=query, at=at)
            shares.append(len(set(best) & set(selectors.shortlist(org=org, query=query, at=at))) / len(best))
        print(
            f"stage-1 recall of the full scorer's top 20 over all {args.profiles:,}: {statistics.mean(shares):.3f}"
            f" (min {min(shares):.2f}, {len(shares)} jobs)",
            flush=True,
        )
    if not args.skip_eval:
        from benchmarks.matching import evaluate

        evaluate.report()


if __name__ == "__main__":
    main()
