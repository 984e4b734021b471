"""Writes for matching: profiles kept fresh after candidate changes, suggestions when a job opens
or a rejection says "fits another department". Called through the candidates hooks, inside the
transaction of the service that triggered them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from careerrelay.candidates.hooks import JobOpened, KnownCandidates, Rejection
from careerrelay.candidates.models import Application, Candidate, Evaluation, JobRequisition, StageChange
from careerrelay.consent import purposes
from careerrelay.consent.hooks import Withdrawal
from careerrelay.core import clock
from careerrelay.core.bulkinsert import insert_rows
from careerrelay.core.ids import IdSequence
from careerrelay.matching import explain, ranking, selectors
from careerrelay.matching.models import MatchProfile, MatchSuggestion, MatchTerm
from careerrelay.matching.profiles import RECORD_FIELDS, candidate_record, postings_of, profile_values, record_of
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Role

FIT_THRESHOLD = 0.55  # a suggestion when a job opens: a clear fit, not just a shared skill
OTHER_DEPARTMENT_THRESHOLD = 0.3  # the recruiter already said the person fits elsewhere
OTHER_DEPARTMENT_JOBS = 3
MAX_SUGGESTIONS = 50
OTHER_DEPARTMENT_REASON = "other_department"


@transaction.atomic
def profiles_refresh(*, candidate_ids: Iterable[Any], known: KnownCandidates | None = None) -> int:
    """Recompute the MatchProfile and index terms of these candidates; returns how many.

    `known` (from a batch writer) holds some of them in full, with their applications and stage
    changes: those are taken as given; the others, and every candidate's evaluations, are read."""
    wanted = list(candidate_ids)
    held = known.candidates if known is not None else {}
    missing = [pk for pk in wanted if pk not in held]
    candidates = [held[pk] for pk in wanted if pk in held]
    applications: dict[Any, list[Application]] = {}
    stages: dict[Any, list[str]] = {}
    if known is not None:
        applications.update((pk, list(known.applications.get(pk, ()))) for pk in held)
        stages.update((pk, list(known.stages.get(pk, ()))) for pk in held)
    if missing:
        read = list(Candidate.objects.filter(pk__any_of=missing))
        candidates.extend(read)
        ids = [c.pk for c in read]
        applications.update((pk, []) for pk in ids)
        stages.update((pk, []) for pk in ids)
        for application in Application.objects.filter(candidate_id__any_of=ids):
            applications[application.candidate_id].append(application)
        changes = StageChange.objects.filter(application__candidate_id__any_of=ids)
        for candidate_id, stage in changes.values_list("application__candidate_id", "stage").order_by("at", "id"):
            stages[candidate_id].append(stage)
    ids = [c.pk for c in candidates]
    evaluations: dict[Any, list[Evaluation]] = {pk: [] for pk in ids}
    for evaluation in Evaluation.objects.filter(application__candidate_id__any_of=ids).select_related("application"):
        evaluations[evaluation.application.candidate_id].append(evaluation)
    now = clock.now()
    new_id = IdSequence(now)
    # Rewritten rather than updated: a chunk of the import refreshes thousands of profiles, and
    # one COPY of new rows is far cheaper than a per-row UPDATE (or bulk_update's CASE per column).
    # An existing profile keeps its id and creation time; nothing but its index terms points at it.
    kept = {
        candidate_id: (pk, created_at)
        for candidate_id, pk, created_at in MatchProfile.objects.filter(candidate_id__any_of=ids).values_list(
            "candidate_id", "pk", "created_at"
        )
    }
    # By the profile's id (an indexed foreign key): postings have no index on the candidate.
    MatchTerm.objects.filter(profile_id__any_of=[pk for pk, _created_at in kept.values()]).delete()
    MatchProfile.objects.filter(candidate_id__any_of=ids).delete()
    profiles: list[list[Any]] = []
    terms: list[tuple[Any, ...]] = []
    for candidate in candidates:
        record, eligible = candidate_record(
            candidate, applications[candidate.pk], evaluations[candidate.pk], stages[candidate.pk]
        )
        pk, created_at = kept.get(candidate.pk) or (new_id(), now)
        values = profile_values(record)
        head = [pk, candidate.org_id, created_at, now, candidate.pk, eligible]
        profiles.append([*head, *map(values.get, RECORD_FIELDS)])
        if eligible:
            terms.extend(
                (new_id(), candidate.org_id, now, now, pk, candidate.pk, term, place, prior)
                for term, place, prior in postings_of(record, now=now)
            )
    if profiles:
        insert_rows(MatchProfile, [*_PROFILE_HEAD, *RECORD_FIELDS], profiles)
    if terms:
        insert_rows(MatchTerm, _TERM_COLUMNS, terms)
    return len(candidates)


_PROFILE_HEAD = ("id", "org_id", "created_at", "updated_at", "candidate_id", "eligible")
_TERM_COLUMNS = ("id", "org_id", "created_at", "updated_at", "profile_id", "candidate_id", "term", "place", "prior")


def profile_refresh_hook(candidate_ids: list[Any]) -> None:
    profiles_refresh(candidate_ids=candidate_ids)


def profile_refresh_known_hook(candidate_ids: list[Any], known: KnownCandidates) -> None:
    profiles_refresh(candidate_ids=candidate_ids, known=known)


@transaction.atomic
def profiles_rebuild(*, actor: Actor, batch: int = 500) -> int:
    """Every profile of the org computed again (after a taxonomy change, or for existing data)."""
    actor.require(Role.ADMIN)
    ids = list(Candidate.objects.filter(org=actor.org).values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        profiles_refresh(candidate_ids=ids[start : start + batch])
    actor.audit("matching.profiles_rebuilt", details={"count": len(ids)})
    return len(ids)


def _store(*, job: JobRequisition, match: selectors.Match, origin: str, application: Application | None = None) -> bool:
    _suggestion, created = MatchSuggestion.objects.update_or_create(
        job=job,
        candidate=match.candidate,
        defaults={
            "org_id": job.org_id,
            "origin": origin,
            "from_application": application,
            "score": match.score,
            "explanation": match.explanation,
            "reason_ja": match.reason["ja"],
            "reason_en": match.reason["en"],
            "updated_at": clock.now(),
        },
    )
    return created


@transaction.atomic
def job_suggestions_compute(*, actor: Actor, job: JobRequisition, audited: bool = True) -> int:
    """Store the past candidates who clearly fit a job; returns how many (told on the job page)."""
    actor.require(Role.RECRUITER)
    if job.org_id != actor.org.pk or job.status != JobRequisition.Status.OPEN:
        return 0
    at = clock.now()
    matches = selectors.rank(
        org=actor.org,
        query=selectors.job_query_of(job),
        at=at,
        applicants_of=job,
        limit=MAX_SUGGESTIONS,
    )
    fits = [match for match in matches if match.score >= FIT_THRESHOLD]
    for match in fits:
        _store(job=job, match=match, origin=MatchSuggestion.Origin.JOB_OPENED)
    if audited:
        actor.audit("matching.job_suggestions", target=job, details={"count": len(fits)})
    return len(fits)


def job_opened_hook(opened: JobOpened) -> None:
    job_suggestions_compute(actor=opened.actor, job=opened.job, audited=opened.audited)


@transaction.atomic
def other_department_suggest(*, actor: Actor, application: Application, audited: bool = True) -> int:
    """Suggest the person of a just-rejected application for the org's open jobs in other
    departments where they fit best; returns how many suggestions were stored."""
    actor.require(Role.RECRUITER)
    if application.org_id != actor.org.pk:
        return 0
    at = clock.now()
    allowed = selectors.recontact_consenting_ids(org=actor.org, at=at).filter(pk=application.candidate_id)
    profile = MatchProfile.objects.filter(org=actor.org, candidate_id=application.candidate_id).first()
    if profile is None or not allowed.exists():
        return 0
    department = application.job.department if application.job else ""
    jobs = JobRequisition.objects.filter(org=actor.org, status=JobRequisition.Status.OPEN)
    if application.job_id:
        jobs = jobs.exclude(pk=application.job_id).exclude(department=department)
    record = record_of(profile)
    scored = []
    for job in jobs:
        value, why = ranking.score(selectors.job_query_of(job), record, now=at)
        if value >= OTHER_DEPARTMENT_THRESHOLD:
            scored.append((value, str(job.pk), job, why))
    scored.sort(key=lambda item: (-item[0], item[1]))
    for value, _key, job, why in scored[:OTHER_DEPARTMENT_JOBS]:
        match = selectors.Match(
            candidate=application.candidate, score=value, explanation=why, reason=explain.render_both(why, now=at)
        )
        _store(job=job, match=match, origin=MatchSuggestion.Origin.OTHER_DEPARTMENT, application=application)
    count = len(scored[:OTHER_DEPARTMENT_JOBS])
    if audited:
        actor.audit("matching.other_department", target=application, details={"count": count})
    return count


def consent_withdrawn_hook(withdrawal: Withdrawal) -> None:
    """Re-contact withdrawn: the person's stored suggestions go at once (lists filter them anyway)."""
    if withdrawal.purpose == purposes.RECONTACT:
        MatchSuggestion.objects.filter(candidate=withdrawal.candidate).delete()


def erasure_hook(candidate: Candidate) -> None:
    """An erased person leaves nothing in matching: profile, index terms and suggestions."""
    MatchSuggestion.objects.filter(candidate=candidate).delete()
    MatchProfile.objects.filter(candidate=candidate).delete()


def rejection_hook(rejection: Rejection) -> None:
    reason = rejection.application.rejection_reason
    if reason is not None and reason.code == OTHER_DEPARTMENT_REASON:
        other_department_suggest(actor=rejection.actor, application=rejection.application, audited=rejection.audited)
