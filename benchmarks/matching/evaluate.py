"""nDCG@10 and recall@20 of the ranker and of the icontains baseline on the evaluation set.

    python -m benchmarks.matching.evaluate                      # a fresh SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_matching python -m benchmarks.matching.evaluate

Loads evalset.json into a fresh org through the pool's own services (every person applied, agreed
to be re-contacted and was rejected, so their profile and index are built by the hooks), opens
the jobs, then ranks each job's top 20 both ways and compares with the rubric's labels.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

EVALSET = Path(__file__).parent / "evalset.json"


def setup() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="careerrelay-eval-"))
    os.environ.setdefault("CAREERRELAY_VAR_DIR", str(workdir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(data: dict[str, Any]) -> tuple[Any, dict[str, Any], dict[str, str]]:
    """(org, job id → JobRequisition, candidate id → person id)."""
    from careerrelay.candidates.data import CandidateData
    from careerrelay.candidates.models import RejectionReason
    from careerrelay.candidates.services import application_record, candidate_reject, job_create
    from careerrelay.consent import purposes
    from careerrelay.consent.models import ConsentEvent
    from careerrelay.consent.services import Evidence, consent_grant
    from careerrelay.orgs.actors import Actor
    from careerrelay.orgs.services import org_create

    org = org_create(slug=f"eval-{int(time.time())}", name="評価用株式会社", kind="employer")
    actor = Actor(org=org, role="admin")
    past = job_create(actor=actor, title="過去の求人", department="過去", audited=False)
    reason = RejectionReason.objects.get(org=org, code="skills_gap")
    evidence = Evidence(channel=ConsentEvent.Channel.IMPORT, note="evaluation set")
    people: dict[str, str] = {}
    for person in data["people"]:
        typed = person["typed"]
        data_in = CandidateData(
            family_name="評価",
            given_name=person["id"],
            email=f"{person['id']}@eval.example.jp",
            prefecture=typed["prefecture"],
            current_title=typed["current_title"],
            years_experience=person["years"],
            skills=typed["skills"],
            desired_roles=typed["desired_roles"],
            desired_locations=typed["desired_locations"],
        )
        application = application_record(actor=actor, data=data_in, source="eval", job_id=past.pk, audited=False)
        consent_grant(candidate=application.candidate, purpose=purposes.RECONTACT, language="ja", evidence=evidence)
        candidate_reject(
            actor=actor,
            application_id=application.pk,
            reason_id=reason.pk,
            rescout_eligible=True,
            send_rejection_email=False,
            audited=False,
        )
        people[str(application.candidate_id)] = person["id"]
    jobs = {}
    for job in data["jobs"]:
        typed = job["typed"]
        jobs[job["id"]] = job_create(
            actor=actor,
            title=typed["title"],
            description=typed["description"],
            required_skills=typed["required_skills"],
            preferred_skills=typed["preferred_skills"],
            prefecture=typed["prefecture"],
            remote=job["remote"],
            audited=False,
        )
    return org, jobs, people


def main() -> None:
    setup()
    report()


def report() -> None:
    """Load the evaluation set into a new org of the configured database and print the metrics."""
    from django.db import connection

    from benchmarks.matching.baseline import icontains_rank
    from benchmarks.matching.metrics import ndcg_at, recall_at
    from careerrelay.core import clock
    from careerrelay.matching import selectors

    data = json.loads(EVALSET.read_text(encoding="utf-8"))
    started = time.perf_counter()
    org, jobs, people = load(data)
    print(f"loaded {len(people)} people and {len(jobs)} jobs in {time.perf_counter() - started:.1f} s")
    at = clock.now()
    results: dict[str, dict[str, list[float]]] = {"ranker": {}, "baseline": {}}
    for name in results:
        results[name] = {"ndcg10": [], "recall20": [], "capped20": []}
    stage1: list[float] = []
    exhaustive: list[float] = []
    for job_id, job in jobs.items():
        labels = data["labels"][job_id]
        query = selectors.job_query_of(job)
        ours = [people[str(m.candidate.pk)] for m in selectors.rank(org=org, query=query, at=at)]
        best = full_scorer_top(org=org, query=query, at=at)
        stage1.append(len(set(best) & set(selectors.shortlist(org=org, query=query, at=at))) / max(len(best), 1))
        exhaustive.append(ndcg_at([people[str(pk)] for pk in best], labels))
        base = [people[str(pk)] for pk in icontains_rank(org=org, job=job, at=at)]
        for name, ranked in (("ranker", ours), ("baseline", base)):
            recall, capped = recall_at(ranked, labels)
            results[name]["ndcg10"].append(ndcg_at(ranked, labels))
            results[name]["recall20"].append(recall)
            results[name]["capped20"].append(capped)
    print(f"{connection.vendor}: {len(jobs)} jobs, {len(people)} people")
    for name, values in results.items():
        ndcg, recall, capped = (statistics.mean(values[key]) for key in ("ndcg10", "recall20", "capped20"))
        print(f"{name:9s} nDCG@10 {ndcg:.3f}  recall@20 {recall:.3f}  recall@20 capped {capped:.3f}")
    print(f"full scorer over the whole pool (no stage 1): nDCG@10 {statistics.mean(exhaustive):.3f}")
    print(f"stage-1 recall (the full scorer's top 20 found in the shortlist): {statistics.mean(stage1):.3f}")


def full_scorer_top(*, org: Any, query: Any, at: Any, limit: int = 20) -> list[Any]:
    """The full scorer's top `limit` over every consenting profile of the org (no index): what
    stage 1 must not lose."""
    from careerrelay.matching import ranking, selectors
    from careerrelay.matching.models import MatchProfile
    from careerrelay.matching.profiles import RECORD_FIELDS, record_from_values

    allowed = selectors.recontact_consenting_ids(org=org, at=at)
    rows = MatchProfile.objects.filter(org=org, eligible=True, candidate_id__in=allowed)
    scored = [
        (ranking.score(query, record_from_values(row), now=at)[0], str(row["candidate_id"]), row["candidate_id"])
        for row in rows.values("candidate_id", *RECORD_FIELDS).iterator()
    ]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [pk for _value, _key, pk in scored[:limit]]


if __name__ == "__main__":
    main()
