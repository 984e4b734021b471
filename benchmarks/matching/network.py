"""The network path: a job's top 20 among N shared profiles of a network, through
`relay.matches.network_matches`, against the `icontains` baseline over the same shown fields;
index build time and memory; then nDCG@10 / recall@20 of both on the evaluation set shared to a
network through relay's own services.

    python -m benchmarks.matching.network 200000                       # a fresh SQLite file
    python -m benchmarks.matching.network 0 --eval-only                # nDCG / recall only
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hnet_bench python -m benchmarks.matching.network 1000000
    # --reuse: time the network a previous run built in that database again

One network run by an operator, four partner companies sharing, one member (the viewer) with the
64 evaluation jobs. The profiles are the evaluation set's people (first) and filler people drawn
from the same hidden world up to N, each with a birth year; what partners see of them is decided
by the product's k-anonymity (`relay.generalise.generalise`, k = 5) over all N at once, and the
rows (shown and exact facts) are written with COPY (PostgreSQL) or executemany (SQLite), not
timed. The **index build** is timed: each profile's record from its shown fields and its postings
(`relay.postings.shown_record`, `postings_of`), the SharedProfileTerm rows, then the two posting
indexes (dropped for the bulk load and created once).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import time
from datetime import timedelta
from typing import Any

from benchmarks.matching.evaluate import EVALSET, setup
from benchmarks.matching.latency import CHUNK, Writer, _percentile

PARTNERS = 4
K = 5


def _people(count: int, seed: int) -> Any:
    """(person, birth year) of the evaluation set's people, then filler up to `count`."""
    from benchmarks.matching.make_evalset import person
    from benchmarks.matching.world import OCCUPATIONS

    rng = random.Random(seed)
    occupations = list(OCCUPATIONS)
    listed = json.loads(EVALSET.read_text(encoding="utf-8"))["people"][:count]
    for index in range(count):
        found = listed[index] if index < len(listed) else person(rng, index, rng.choice(occupations))
        yield found, rng.randint(1965, 2003)


def _shown(count: int, seed: int, this_year: int) -> dict[object, Any]:
    from careerrelay.relay.generalise import Facts, generalise

    facts = [Facts(i, born, p["prefecture"], p["years"], "") for i, (p, born) in enumerate(_people(count, seed))]
    return generalise(facts, k=K, this_year=this_year)


def build(count: int, seed: int = 11) -> tuple[Any, Any, float, float, int]:
    """(network, viewer org, seconds for the profiles, seconds for the index, postings)."""
    from careerrelay.core import clock
    from careerrelay.core.ids import new_id
    from careerrelay.orgs.services import org_create
    from careerrelay.relay.models import Network, NetworkMember, SharedProfile, SharedProfileTerm
    from careerrelay.relay.postings import SHOWN, postings_of, shown_record

    stamp_id = int(time.time())
    operator = org_create(slug=f"benchnet-op-{stamp_id}", name="ベンチ運営", kind="operator")
    network = Network.objects.create(org=operator, name="ベンチネットワーク", k=K, japan_mode=False)
    viewer = org_create(slug=f"benchnet-{stamp_id}", name="ベンチ閲覧株式会社", kind="employer")
    partners = [
        org_create(slug=f"benchnet-p{n}-{stamp_id}", name=f"ベンチ共有{n}", kind="employer") for n in range(PARTNERS)
    ]
    now = clock.now()
    for member in (viewer, *partners):
        NetworkMember.objects.create(org=member, network=network, status=NetworkMember.Status.ACTIVE, joined_at=now)
    writer = Writer()
    started = time.perf_counter()
    shown = _shown(count, seed, clock.today_jst().year)
    print(f"  generalised {count:,} in {time.perf_counter() - started:.1f} s", flush=True)
    network_id, stamp = writer.id(network.pk), writer.at(now)
    partner_ids = [writer.id(p.pk) for p in partners]
    rng = random.Random(seed + 1)
    profile_seconds = index_seconds = 0.0
    postings = 0
    with writer.connection.schema_editor() as editor:
        for index in SharedProfileTerm._meta.indexes:
            editor.remove_index(SharedProfileTerm, index)
    people = _people(count, seed)
    for start in range(0, count, CHUNK):
        started = time.perf_counter()
        profiles: list[dict[str, Any]] = []
        for i in range(start, min(count, start + CHUNK)):
            p, born = next(people)
            typed = p["typed"]
            seen = shown[i]
            published = now - timedelta(days=rng.randint(1, 700), minutes=rng.randint(0, 1440))
            profiles.append(
                {
                    "id": new_id(),
                    "org_id": partner_ids[i % PARTNERS],
                    "created_at": stamp,
                    "updated_at": stamp,
                    "network_id": network_id,
                    "status": "published" if seen else "held",
                    "birth_year": born,
                    "prefecture": p["prefecture"],
                    "years_experience": p["years"],
                    "shown_age": seen.age if seen else "",
                    "shown_location": seen.location if seen else "",
                    "shown_experience": seen.experience if seen else "",
                    "generalisation_level": seen.level if seen else 0,
                    "skills": typed["skills"],
                    "desired_roles": typed["desired_roles"],
                    "desired_locations": typed["desired_locations"],
                    "last_title": typed["current_title"],
                    "published_at": published if seen else None,
                }
            )
        writer.write(
            SharedProfile,
            [
                {
                    **row,
                    "id": writer.id(row["id"]),
                    "skills": writer.json(row["skills"]),
                    "desired_roles": writer.json(row["desired_roles"]),
                    "desired_locations": writer.json(row["desired_locations"]),
                    "published_at": writer.at(row["published_at"]) if row["published_at"] else None,
                }
                for row in profiles
            ],
        )
        profile_seconds += time.perf_counter() - started
        started = time.perf_counter()
        terms = [
            {
                "id": writer.id(new_id()),
                "org_id": row["org_id"],
                "created_at": stamp,
                "updated_at": stamp,
                "network_id": network_id,
                "profile_id": writer.id(row["id"]),
                "term": term,
                "place": place,
                "prior": prior,
            }
            for row in profiles
            if row["status"] == "published"
            for term, place, prior in postings_of(shown_record(row.get(name) for name in SHOWN), now=now)
        ]
        writer.write(SharedProfileTerm, terms)
        postings += len(terms)
        index_seconds += time.perf_counter() - started
        if start // CHUNK % 20 == 0:
            print(f"  {start + len(profiles):,} profiles", flush=True)
    started = time.perf_counter()
    with writer.connection.schema_editor() as editor:
        for index in SharedProfileTerm._meta.indexes:
            editor.add_index(SharedProfileTerm, index)
    index_seconds += time.perf_counter() - started
    return network, viewer, profile_seconds, index_seconds, postings


def rebuild_index(network: Any) -> tuple[float, int]:
    """(seconds, postings): the network's postings written again from the stored profiles' shown
    fields, as `build` writes them (for a database built earlier: `--reuse --rebuild-index`)."""
    from django.db import connection

    from careerrelay.core import clock
    from careerrelay.core.ids import new_id
    from careerrelay.relay.models import SharedProfile, SharedProfileTerm
    from careerrelay.relay.postings import SHOWN, postings_of, shown_record

    writer = Writer()
    table = SharedProfileTerm._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (the benchmark's own database)
    started = time.perf_counter()
    with writer.connection.schema_editor() as editor:
        for index in SharedProfileTerm._meta.indexes:
            editor.remove_index(SharedProfileTerm, index)
    now = clock.now()
    stamp, network_id = writer.at(now), writer.id(network.pk)
    published = SharedProfile.objects.filter(network=network, status=SharedProfile.Status.PUBLISHED)
    rows = published.values_list("pk", "org_id", *SHOWN).iterator(chunk_size=CHUNK)
    postings = 0
    batch: list[dict[str, Any]] = []
    for pk, org_id, *shown in rows:
        batch.extend(
            {
                "id": writer.id(new_id()),
                "org_id": writer.id(org_id),
                "created_at": stamp,
                "updated_at": stamp,
                "network_id": network_id,
                "profile_id": writer.id(pk),
                "term": term,
                "place": place,
                "prior": prior,
            }
            for term, place, prior in postings_of(shown_record(shown), now=now)
        )
        if len(batch) >= 4 * CHUNK:
            writer.write(SharedProfileTerm, batch)
            postings, batch = postings + len(batch), []
    writer.write(SharedProfileTerm, batch)
    postings += len(batch)
    with writer.connection.schema_editor() as editor:
        for index in SharedProfileTerm._meta.indexes:
            editor.add_index(SharedProfileTerm, index)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {table}" if connection.vendor == "postgresql" else "ANALYZE")
    return seconds, postings


def icontains_rank(*, org: Any, network: Any, job: Any, limit: int = 20) -> list[Any]:
    """The baseline a Django developer writes first: every skill of the job and every word of
    its title is one `icontains` over the profile's shown skills, last title and desired roles;
    profiles ordered by how many terms they contain, over the same visible profiles."""
    from django.db.models import Case, IntegerField, Q, Value, When

    from careerrelay.relay.selectors import partner_profiles

    words = [*job.required_skills, *job.preferred_skills, *job.title.split()]
    terms = list(dict.fromkeys(str(w).strip() for w in words if str(w).strip()))
    if not terms:
        return []
    anywhere = Q()
    hits: Any = Value(0)
    for term in terms:
        one = Q(skills__icontains=term) | Q(last_title__icontains=term) | Q(desired_roles__icontains=term)
        anywhere |= one
        hits = hits + Case(When(one, then=Value(1)), default=Value(0), output_field=IntegerField())
    visible = partner_profiles(org=org, network_id=network.pk).exclude(org=org)
    return list(
        visible.filter(anywhere)
        .annotate(hits=hits)
        .order_by("-hits", "-published_at")
        .values_list("pk", flat=True)[:limit]
    )


def exhaustive_top(*, org: Any, network: Any, job: Any, limit: int = 20) -> list[Any]:
    """Every visible profile scored by the full ranker (no index): what stage 1 must not lose."""
    from careerrelay.core import clock
    from careerrelay.matching import ranking
    from careerrelay.matching.selectors import job_query_of
    from careerrelay.relay.postings import SHOWN, shown_record
    from careerrelay.relay.selectors import partner_profiles

    query, now = job_query_of(job), clock.now()
    visible = partner_profiles(org=org, network_id=network.pk).exclude(org=org)
    scored = [
        (ranking.score(query, shown_record(shown), now=now)[0], str(pk), pk)
        for pk, *shown in visible.values_list("pk", *SHOWN).iterator(chunk_size=5000)
    ]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [pk for _value, _key, pk in scored[:limit]]


def evaluate() -> None:
    """The evaluation set shared to a network through relay's services (relay consent, then
    `share_all_eligible`, which generalises to k and writes the postings), ranked for a member's
    copies of the jobs by the network path, by scoring every visible profile, and by the baseline."""
    from benchmarks.matching.evaluate import load
    from benchmarks.matching.metrics import ndcg_at, recall_at
    from careerrelay.candidates.models import Candidate
    from careerrelay.candidates.services import job_create
    from careerrelay.consent import purposes
    from careerrelay.consent.models import ConsentEvent
    from careerrelay.consent.services import Evidence, consent_grant
    from careerrelay.orgs.actors import Actor
    from careerrelay.orgs.services import org_create
    from careerrelay.relay.matches import network_matches
    from careerrelay.relay.models import Network, NetworkMember, SharedProfile
    from careerrelay.relay.sharing import share_all_eligible

    data = json.loads(EVALSET.read_text(encoding="utf-8"))
    started = time.perf_counter()
    source, _own_jobs, people = load(data)
    evidence = Evidence(channel=ConsentEvent.Channel.IMPORT, note="evaluation set")
    for candidate in Candidate.objects.filter(org=source):
        consent_grant(candidate=candidate, purpose=purposes.RELAY_SHARE, language="ja", evidence=evidence)
    stamp = int(time.time())
    operator = org_create(slug=f"evalnet-op-{stamp}", name="評価運営", kind="operator")
    viewer = org_create(slug=f"evalnet-{stamp}", name="評価閲覧株式会社", kind="employer")
    network = Network.objects.create(org=operator, name="評価ネットワーク", k=K, japan_mode=False)
    for member in (source, viewer):
        NetworkMember.objects.create(org=member, network=network, status=NetworkMember.Status.ACTIVE)
    share_all_eligible(actor=Actor(org=source, role="admin"), network_id=network.pk)
    published = SharedProfile.objects.filter(network=network, status=SharedProfile.Status.PUBLISHED)
    by_region = published.exclude(shown_location__in=_prefecture_names()).count()
    print(
        f"evaluation network: {len(people)} people shared in {time.perf_counter() - started:.1f} s,"
        f" {published.count()} published (k={K}), {by_region} shown by region only",
        flush=True,
    )
    person_of = {pk: people[str(c)] for pk, c in published.values_list("pk", "candidate_id")}
    actor = Actor(org=viewer, role="admin")
    results: dict[str, dict[str, list[float]]] = {
        name: {"ndcg10": [], "recall20": [], "capped20": []} for name in ("network path", "score all", "baseline")
    }
    shares = []
    for job in data["jobs"]:
        job_id, typed = job["id"], job["typed"]
        ours = job_create(actor=actor, remote=job["remote"], audited=False, **typed)
        labels = data["labels"][job_id]
        ranked = [person_of[m.profile.pk] for m in network_matches(org=viewer, network_id=network.pk, job_id=ours.pk)]
        every = [person_of[pk] for pk in exhaustive_top(org=viewer, network=network, job=ours)]
        base = [person_of[pk] for pk in icontains_rank(org=viewer, network=network, job=ours)]
        shares.append(len(set(ranked) & set(every)) / max(len(every), 1))
        for name, found in (("network path", ranked), ("score all", every), ("baseline", base)):
            recall, capped = recall_at(found, labels)
            results[name]["ndcg10"].append(ndcg_at(found, labels))
            results[name]["recall20"].append(recall)
            results[name]["capped20"].append(capped)
    for name, values in results.items():
        ndcg, recall, capped = (statistics.mean(values[key]) for key in ("ndcg10", "recall20", "capped20"))
        print(f"{name:13s} nDCG@10 {ndcg:.3f}  recall@20 {recall:.3f}  recall@20 capped {capped:.3f}")
    print(f"top 20 shared with scoring every visible profile: {statistics.mean(shares):.3f}", flush=True)


def _prefecture_names() -> list[str]:
    from careerrelay.core import prefectures

    return [p.ja for p in prefectures.PREFECTURES]


def sizes() -> dict[str, float]:
    from django.db import connection

    tables = ["relay_sharedprofile", "relay_sharedprofileterm"]
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
    parser.add_argument("--eval-only", action="store_true", help="only the evaluation set's network")
    parser.add_argument("--rebuild-index", action="store_true", help="with --reuse: time writing the postings again")
    parser.add_argument("--reuse", action="store_true", help="time the network a previous run built (no build)")
    parser.add_argument(
        "--stage1-jobs", type=int, default=0, help="compare with scoring every visible profile on this many jobs"
    )
    args = parser.parse_args()
    setup()
    if args.eval_only:
        evaluate()
        return
    from django.db import connection

    from careerrelay.candidates.models import JobRequisition
    from careerrelay.candidates.services import job_create
    from careerrelay.orgs.actors import Actor
    from careerrelay.orgs.models import Organization
    from careerrelay.relay.matches import network_matches
    from careerrelay.relay.models import Network, SharedProfileTerm

    profile_seconds = index_seconds = rss_after_build = 0.0
    postings = 0
    if args.reuse:
        viewer = Organization.objects.filter(slug__startswith="benchnet-1").order_by("-slug")[0]
        network = Network.objects.filter(members__org=viewer).get()
        jobs = list(JobRequisition.objects.filter(org=viewer).order_by("created_at", "id"))
        postings = SharedProfileTerm.objects.filter(network=network).count()
        print(f"{connection.vendor}: reusing {network} with {len(jobs)} jobs", flush=True)
        if args.rebuild_index:
            index_seconds, postings = rebuild_index(network)
            rss_after_build = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"  index rebuilt: {postings:,} postings in {index_seconds:.1f} s", flush=True)
    else:
        print(f"{connection.vendor}: building {args.profiles:,} shared profiles", flush=True)
        network, viewer, profile_seconds, index_seconds, postings = build(args.profiles)
        rss_after_build = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        actor = Actor(org=viewer, role="admin")
        jobs = [
            job_create(actor=actor, remote=job["remote"], audited=False, **job["typed"])
            for job in json.loads(EVALSET.read_text(encoding="utf-8"))["jobs"]
        ]
    ours: list[float] = []
    base: list[float] = []
    ours_cpu: list[float] = []
    base_cpu: list[float] = []
    for job in jobs:
        network_matches(org=viewer, network_id=network.pk, job_id=job.pk)  # warm once per job
        for _ in range(args.repeat):
            started, cpu = time.perf_counter(), time.process_time()
            found = network_matches(org=viewer, network_id=network.pk, job_id=job.pk)
            ours.append((time.perf_counter() - started) * 1000)
            ours_cpu.append((time.process_time() - cpu) * 1000)
        assert len(found) == 20, len(found)
        started, cpu = time.perf_counter(), time.process_time()
        icontains_rank(org=viewer, network=network, job=job)
        base.append((time.perf_counter() - started) * 1000)
        base_cpu.append((time.process_time() - cpu) * 1000)
    print(f"\n{connection.vendor}, {args.profiles:,} network profiles, {len(jobs)} jobs, {postings:,} postings")
    print(f"profiles insert (not the index): {profile_seconds:.1f} s")
    print(f"index build (shown records + SharedProfileTerm + its indexes): {index_seconds:.1f} s")
    print(f"peak RSS after build: {rss_after_build:.0f} MB")
    for table, mb in sizes().items():
        print(f"size {table}: {mb:.0f} MB")
    for name, values in (
        ("network path", ours),
        ("icontains baseline", base),
        ("network path (CPU)", ours_cpu),
        ("baseline (CPU)", base_cpu),
    ):
        print(
            f"{name:18s} p50 {_percentile(values, 0.5):8.1f} ms  p95 {_percentile(values, 0.95):8.1f} ms"
            f"  mean {statistics.mean(values):8.1f} ms  (n={len(values)})"
        )
    print(f"p95 ratio baseline/network path: {_percentile(base, 0.95) / _percentile(ours, 0.95):.1f}x", flush=True)
    if args.stage1_jobs:
        shares = []
        for job in jobs[: args.stage1_jobs]:
            best = exhaustive_top(org=viewer, network=network, job=job)
            shown = [m.profile.pk for m in network_matches(org=viewer, network_id=network.pk, job_id=job.pk)]
            shares.append(len(set(best) & set(shown)) / len(best))
        print(
            f"top 20 shared with scoring all {args.profiles:,}: {statistics.mean(shares):.3f}"
            f" (min {min(shares):.2f}, {len(shares)} jobs)",
            flush=True,
        )
    if not args.skip_eval:
        evaluate()


if __name__ == "__main__":
    main()
