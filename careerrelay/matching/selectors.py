"""Reads for matching. Every read takes `org=`; another org's job is NotFound.

The own pool reaches the ranker only through `recontact_consenting_ids`, the one consent filter.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations
from typing import Any

from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Sum, Value, When

from careerrelay.candidates.models import Application, Candidate, JobRequisition
from careerrelay.candidates.selectors import job_get
from careerrelay.consent import purposes
from careerrelay.consent.gate import consenting_candidate_ids
from careerrelay.core import clock, prefectures
from careerrelay.matching import explain, ranking
from careerrelay.matching.models import MatchProfile, MatchSuggestion, MatchTerm
from careerrelay.matching.profiles import RECORD_FIELDS, record_from_values
from careerrelay.orgs.models import Organization

SHORTLIST = 200  # profiles the index hands to the full ranker
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
    return set(recontact_consenting_ids(org=org, at=at).filter(pk__in=candidate_ids).values_list("pk", flat=True))


def _take(ranked: QuerySet[Any], *, org: Organization, at: datetime, size: int) -> list[Any]:
    """Candidate ids from a ranked `.values("candidate_id")` query, in pages through the consent
    gate, so the gate only ever looks at people who could make the list. Another page only when
    consent left fewer than half of the list (most people in the pool agreed)."""
    found: list[Any] = []
    start = 0
    while len(found) < size // 2:
        page = [row["candidate_id"] for row in ranked[start : start + size]]
        if not page:
            break
        allowed = _consenting(org, at, page)
        found.extend(pk for pk in page if pk in allowed)
        start += size
    return found[:size]


def _by_terms(org: Organization, weights: dict[str, int]) -> QuerySet[Any]:
    """Exact and portable: the inverted index summed per person (every posting of every term)."""
    score = Sum(Case(*(When(term=t, then=Value(w)) for t, w in weights.items()), output_field=IntegerField()))
    return (
        MatchTerm.objects.filter(org=org, term__in=list(weights))
        .values("candidate_id")
        .annotate(weight=score)
        .order_by("-weight", "candidate_id")
    )


def _by_containment(org: Organization, query: ranking.JobQuery, required: list[tuple[str, ...]]) -> QuerySet[Any]:
    """PostgreSQL: people whose implied skills contain one of the `required` sets (a GIN lookup,
    no matter how long the posting lists), best place and preferred skills first."""
    wanted = Q()
    for terms in required:
        wanted |= Q(implied__contains=list(terms))
    fit: Any = Value(0)
    if query.prefecture and query.remote != "remote":
        near = [p.code for p in prefectures.PREFECTURES if p.region == query.region]
        fit = Case(
            When(prefecture=query.prefecture, then=Value(30)),
            When(desired_prefectures__contains=[query.prefecture], then=Value(30)),
            When(prefecture__in=near, then=Value(12)),
            default=Value(0),
            output_field=IntegerField(),
        )
    for term in query.preferred:
        fit = fit + Case(When(implied__contains=[term], then=Value(10)), default=Value(0), output_field=IntegerField())
    return (
        MatchProfile.objects.filter(org=org, eligible=True)
        .filter(wanted)
        .annotate(fit=fit)
        .order_by("-fit", "-evaluation_strength", "-last_activity", "candidate_id")
        .values("candidate_id")
    )


def shortlist(*, org: Organization, query: ranking.JobQuery, at: datetime, size: int = SHORTLIST) -> list[Any]:
    """Candidate ids of eligible people whose re-contact consent is in force, most promising first.

    On PostgreSQL, people with every required skill (then all but one) come from the GIN index on
    their implied skills, ordered by place and preferred skills; when that finds too few (small
    pools, rare combinations) and on SQLite, the inverted index's weighted sum decides."""
    weights = ranking.term_weights(query)
    if not weights:
        recent = MatchProfile.objects.filter(org=org, eligible=True).order_by("-last_activity", "candidate_id")
        return _take(recent.values("candidate_id"), org=org, at=at, size=size)
    required = list(query.required)
    if connection.vendor == "postgresql" and required:
        tiers = [[tuple(required)]]
        if len(required) > 1:
            tiers.append(list(combinations(required, len(required) - 1)))
        for tier in tiers:
            found = _take(_by_containment(org, query, tier), org=org, at=at, size=size)
            if len(found) >= size // 2:
                return found
    return _take(_by_terms(org, weights), org=org, at=at, size=size)


def rank(
    *, org: Organization, query: ranking.JobQuery, at: datetime, exclude: set[Any] | None = None, limit: int = 20
) -> list[Match]:
    """The best `limit` consenting people of the org's rediscovery pool for a query, explained."""
    ids = shortlist(org=org, query=query, at=at)
    rows = MatchProfile.objects.filter(org=org, candidate_id__in=ids).values("candidate_id", *RECORD_FIELDS)
    scored = []
    for row in rows:
        if exclude and row["candidate_id"] in exclude:
            continue
        value, why = ranking.score(query, record_from_values(row), now=at)
        scored.append((value, str(row["candidate_id"]), row["candidate_id"], why))
    scored.sort(key=lambda item: (-item[0], item[1]))
    best = scored[:limit]
    people = Candidate.objects.filter(org=org, pk__in=[item[2] for item in best]).only(*CANDIDATE_FIELDS).in_bulk()
    return [
        Match(candidate=people[pk], score=value, explanation=why, reason=explain.render_both(why, now=at))
        for value, _key, pk, why in best
    ]


def applicant_ids(*, org: Organization, job: JobRequisition) -> set[Any]:
    return set(Application.objects.filter(org=org, job=job).values_list("candidate_id", flat=True))


def job_matches(*, org: Organization, job_id: Any, limit: int = 20) -> tuple[JobRequisition, list[Match]]:
    """A job's ranked matches from the org's own pool; people who applied to it are left out."""
    job = job_get(org=org, pk=job_id)
    limit = max(1, min(limit, MAX_LIMIT))
    matches = rank(
        org=org, query=job_query_of(job), at=clock.now(), exclude=applicant_ids(org=org, job=job), limit=limit
    )
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
