"""Reads for matching. Every read takes `org=`; another org's job is NotFound.

The own pool reaches the ranker only through the consent app's gate for re-contact:
`recontact_consenting_ids` (a filter to narrow further) or `consent.gate.first_consenting` (the
shortlist's proposals in order).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from careerrelay.candidates.models import Application, Candidate, JobRequisition
from careerrelay.candidates.selectors import job_get
from careerrelay.consent import purposes
from careerrelay.consent.gate import consenting_candidate_ids, first_consenting
from careerrelay.core import clock
from careerrelay.matching import explain, ranking
from careerrelay.matching import shortlist as shortlist_index
from careerrelay.matching.models import MatchProfile, MatchSuggestion
from careerrelay.matching.profiles import records_of
from careerrelay.orgs.models import Organization

SHORTLIST = 300  # consenting people the index hands to the full ranker (stage 2)
MAX_LIMIT = 100
# What a match shows of the person (the page and the API).
CANDIDATE_FIELDS = ("id", "org_id", "family_name", "given_name", "email", "current_title", "prefecture")


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    score: float
    explanation: dict[str, Any]
    reason: dict[str, str]  # language → one line


def recontact_consenting_ids(*, org: Organization, at: datetime) -> QuerySet[Any]:
    """Candidate ids of `org` whose re-contact consent is in force at `at`: THE consent filter of
    matching (the consent app's bulk gate, purpose "recontact"). Filter it further with
    `.filter(pk__in=…)` to ask about a few people only."""
    return consenting_candidate_ids(org=org, purpose=purposes.RECONTACT, at=at)


def job_query_of(job: JobRequisition) -> ranking.JobQuery:
    return ranking.job_query(
        title=job.title,
        required=[str(s) for s in job.required_skills or []],
        preferred=[str(s) for s in job.preferred_skills or []],
        prefecture=job.prefecture,
        remote=job.remote,
        description=job.description,
    )


def _consenting(org: Organization, at: datetime, candidate_ids: list[Any]) -> set[Any]:
    if not candidate_ids:
        return set()  # nobody to ask about: no query (a job without stored suggestions, every page)
    return set(recontact_consenting_ids(org=org, at=at).filter(pk__any_of=candidate_ids).values_list("pk", flat=True))


def shortlist(*, org: Organization, query: ranking.JobQuery, at: datetime, size: int = SHORTLIST) -> list[Any]:
    """Stage 1: candidate ids of eligible people whose re-contact consent is in force, most
    promising first. The index (`matching.shortlist`) proposes twice `size`; the consent gate
    takes them in order in one statement and stops at `size` (asking in pages of `size` took two
    round trips whenever fewer than every one of the first `size` had consented)."""
    proposed = shortlist_index.candidates(org=org, query=query, size=2 * size)
    return first_consenting(org=org, purpose=purposes.RECONTACT, at=at, candidate_ids=proposed, limit=size)


def rank(
    *,
    org: Organization,
    query: ranking.JobQuery,
    at: datetime,
    exclude: set[Any] | None = None,
    applicants_of: JobRequisition | None = None,
    limit: int = 20,
) -> list[Match]:
    """The best `limit` consenting people of the org's rediscovery pool for a query, explained.
    `applicants_of`: leave out the people who applied to that job (looked up among the shortlist
    only: a job with 15,000 applicants cost 92 ms to list whole, benchmarks/README.md, Load)."""
    ids = shortlist(org=org, query=query, at=at)
    if applicants_of is not None:
        exclude = set(exclude or ()) | applicant_ids(org=org, job=applicants_of, among=ids)
    profiles = records_of(org=org, candidate_ids=ids)
    best = ranking.top(query, [item for item in profiles if not (exclude and item[0] in exclude)], limit=limit, now=at)
    people = Candidate.objects.filter(org=org, pk__any_of=[pk for _value, pk, _record in best]).only(*CANDIDATE_FIELDS)
    shown = people.in_bulk()
    # Only the shown few are explained (building 300 explanations cost more than scoring them).
    explanations = [ranking.score(query, record, now=at)[1] for _value, _pk, record in best]
    reasons = explain.render_many(explanations, now=at)
    return [
        Match(candidate=shown[pk], score=value, explanation=why, reason=reason)
        for (value, pk, _record), why, reason in zip(best, explanations, reasons, strict=True)
    ]


def applicant_ids(*, org: Organization, job: JobRequisition, among: list[Any] | None = None) -> set[Any]:
    applications = Application.objects.filter(org=org, job=job)
    if among is not None:
        applications = applications.filter(candidate_id__any_of=among)
    return set(applications.values_list("candidate_id", flat=True))


def job_matches(*, org: Organization, job_id: Any, limit: int = 20) -> tuple[JobRequisition, list[Match]]:
    """A job's ranked matches from the org's own pool; people who applied to it are left out."""
    job = job_get(org=org, pk=job_id)
    limit = max(1, min(limit, MAX_LIMIT))
    matches = rank(org=org, query=job_query_of(job), at=clock.now(), applicants_of=job, limit=limit)
    return job, matches


@dataclass(frozen=True)
class JobMatchesView:
    job: JobRequisition
    matches: list[Match]
    suggestions: list[MatchSuggestion]


def job_matches_view(*, org: Organization, job_id: Any, limit: int = 20) -> JobMatchesView:
    """What the job page and the API show: the ranked matches now and the stored suggestions."""
    job, matches = job_matches(org=org, job_id=job_id, limit=limit)
    return JobMatchesView(job=job, matches=matches, suggestions=job_suggestions(org=org, job=job))


def job_suggestions(*, org: Organization, job: JobRequisition) -> list[MatchSuggestion]:
    """Stored suggestions for one of the org's jobs, best first, whose consent is still in force."""
    rows = list(
        MatchSuggestion.objects.filter(org=org, job=job)
        .select_related("candidate", "from_application__job")
        .order_by("-score", "id")
    )
    allowed = _consenting(org, clock.now(), [row.candidate_id for row in rows])
    return [row for row in rows if row.candidate_id in allowed]


def unknown_skills(*, org: Organization, limit: int = 100) -> list[tuple[str, int]]:
    """Free tags (skills the taxonomy does not know) by how many of the org's profiles carry them."""
    profiles = MatchProfile.objects.filter(org=org)
    counts: Counter[str] = Counter()
    for tags in profiles.exclude(free_tags=[]).values_list("free_tags", flat=True).iterator():
        counts.update(tags)
    return counts.most_common(limit)
