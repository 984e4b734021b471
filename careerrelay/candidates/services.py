"""Writes for the candidate pool. Every function checks the actor's role and is audited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from careerrelay.candidates import hooks
from careerrelay.candidates.cleaning import clean_candidate_data
from careerrelay.candidates.data import CandidateData, apply_data
from careerrelay.candidates.defaults import RESCOUT_TAG
from careerrelay.candidates.identity import find_existing
from careerrelay.candidates.models import (
    Application,
    Candidate,
    CandidateTag,
    Evaluation,
    ExternalId,
    JobRequisition,
    RejectionReason,
    Tag,
)
from careerrelay.candidates.search import build_search_text
from careerrelay.candidates.selectors import application_get, job_get
from careerrelay.candidates.timeline import stage_change_record
from careerrelay.core import clock
from careerrelay.core.errors import Conflict, DomainValidationError, NotFound
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Role

Id = uuid.UUID | str


@dataclass(frozen=True)
class UpsertResult:
    candidate: Candidate
    created: bool
    matched_by: str  # "" when created; else the identity rule that matched


def _record(actor: Actor, action: str, target: Model, **details: object) -> None:
    actor.audit(action, target=target, details=details)


@transaction.atomic
def candidate_upsert(*, actor: Actor, data: CandidateData, source: str, audited: bool = True) -> UpsertResult:
    """Add a person to the pool, or update the one identity resolution finds."""
    actor.require(Role.RECRUITER)
    data = clean_candidate_data(data)
    candidate, matched_by = find_existing(org=actor.org, data=data)
    created = candidate is None
    if candidate is None:
        candidate = Candidate(org=actor.org, source=source)
    changed = apply_data(candidate, data)
    if created or changed:
        candidate.search_text = build_search_text(candidate)
        candidate.updated_at = clock.now()
        candidate.save()
    if data.external_system and data.external_id:
        ExternalId.objects.get_or_create(
            org=actor.org, system=data.external_system, value=data.external_id, defaults={"candidate": candidate}
        )
    if created or changed:
        hooks.run_candidate_changed(candidate.pk)
    if audited and (created or changed):
        _record(
            actor,
            "candidate.created" if created else "candidate.updated",
            candidate,
            source=source,
            matched_by=matched_by,
            fields=changed,
        )
    return UpsertResult(candidate=candidate, created=created, matched_by=matched_by)


@transaction.atomic
def application_record(
    *,
    actor: Actor,
    data: CandidateData,
    source: str,
    job_id: Id | None = None,
    applied_at: datetime | None = None,
    external_ref: str = "",
    audited: bool = True,
    candidate: Candidate | None = None,
    status: str = Application.Status.ACTIVE,
) -> Application:
    """A new application; a known person's is attached to them and marked as a re-application.

    `candidate`: a candidate of the actor's org the caller has just upserted (the importer), so
    `data` is not resolved a second time. `status`: active, offer or hired (rejections go
    through `candidate_reject`)."""
    actor.require(Role.RECRUITER)
    if candidate is not None and candidate.org_id != actor.org.pk:
        raise NotFound()
    if status not in (Application.Status.ACTIVE, Application.Status.OFFER, Application.Status.HIRED):
        raise DomainValidationError(_("Unknown status."), field="status")
    job = job_get(org=actor.org, pk=job_id) if job_id else None
    if external_ref:
        existing = Application.objects.filter(org=actor.org, external_ref=external_ref).first()
        if existing is not None:
            if candidate is None:
                candidate_upsert(actor=actor, data=data, source=source, audited=audited)
            return existing
    if candidate is None:
        candidate = candidate_upsert(actor=actor, data=data, source=source, audited=audited).candidate
    applied_at = applied_at or clock.now()
    # Earlier in time, not earlier in arrival: history imported out of order marks the right one.
    earlier = Application.objects.filter(org=actor.org, candidate=candidate, applied_at__lt=applied_at).exists()
    application = Application.objects.create(
        org=actor.org,
        candidate=candidate,
        job=job,
        source=source,
        status=status,
        applied_at=applied_at,
        is_reapplication=earlier,
        external_ref=external_ref,
    )
    stage_change_record(actor=actor, application=application, at=application.applied_at)
    hooks.run_candidate_changed(candidate.pk)
    if audited:
        _record(actor, "application.created", application, reapplication=earlier, source=source)
    return application


CLOSED = {Application.Status.REJECTED, Application.Status.WITHDRAWN, Application.Status.HIRED}


def close_application(
    application: Application, *, reason: RejectionReason, evaluation_summary: str, note: str, rescout_eligible: bool
) -> datetime:
    """Set what a rejection changes on `application` (the caller saves it and records the stage);
    returns when it was closed."""
    application.status = (
        Application.Status.WITHDRAWN
        if reason.kind == RejectionReason.Kind.THEY_WITHDREW
        else Application.Status.REJECTED
    )
    application.closed_at = clock.now()
    application.rejection_reason = reason
    application.evaluation_summary = evaluation_summary.strip()
    application.rejection_note = note.strip()
    application.rescout_eligible = rescout_eligible
    application.updated_at = application.closed_at
    return application.closed_at


@transaction.atomic
def candidate_reject(
    *,
    actor: Actor,
    application_id: Id,
    reason_id: Id,
    evaluation_summary: str = "",
    rescout_eligible: bool = False,
    note: str = "",
    send_rejection_email: bool = True,
    audited: bool = True,
) -> Application:
    """Close an application with a reason, an evaluation summary and the re-scout decision, in one
    step. A reason of the 'they withdrew' kind closes it as withdrawn. Other apps attach the
    rejection email and the re-scout schedule through `hooks.on_rejected`."""
    actor.require(Role.RECRUITER)
    application = application_get(org=actor.org, pk=application_id, for_update=True)
    if application.status in CLOSED:
        raise Conflict(_("This application is already closed."))
    try:
        reason = RejectionReason.objects.get(org=actor.org, pk=reason_id, is_active=True)
    except (RejectionReason.DoesNotExist, ValueError) as exc:
        raise DomainValidationError(
            _("Choose one of your organisation's rejection reasons."), field="reason_id"
        ) from exc
    closed_at = close_application(
        application, reason=reason, evaluation_summary=evaluation_summary, note=note, rescout_eligible=rescout_eligible
    )
    application.save()
    stage_change_record(actor=actor, application=application, at=closed_at)
    if rescout_eligible:
        tag = Tag.objects.get(org=actor.org, code=RESCOUT_TAG)
        CandidateTag.objects.get_or_create(org=actor.org, candidate=application.candidate, tag=tag)
    if audited:
        _record(
            actor,
            "application.rejected",
            application,
            reason=reason.code,
            rescout_eligible=rescout_eligible,
            status=application.status,
        )
    hooks.run_candidate_changed(application.candidate_id)
    hooks.run_after_reject(
        hooks.Rejection(
            application=application, actor=actor, send_rejection_email=send_rejection_email, audited=audited
        )
    )
    return application


@transaction.atomic
def evaluation_add(
    *,
    actor: Actor,
    application_id: Id,
    interviewer: str,
    stage: str,
    scores: dict[str, int],
    recommendation: str = "",
    comment: str = "",
    at: datetime | None = None,
) -> Evaluation:
    actor.require(Role.RECRUITER)
    application = application_get(org=actor.org, pk=application_id)
    for criterion, score in scores.items():
        if not isinstance(score, int) or not 1 <= score <= 5:
            raise DomainValidationError(_("Scores are whole numbers from 1 to 5."), field=f"scores/{criterion}")
    if recommendation and recommendation not in Evaluation.Recommendation.values:
        raise DomainValidationError(_("Unknown recommendation."), field="recommendation")
    overall = (Decimal(sum(scores.values())) / len(scores)).quantize(Decimal("0.01"), ROUND_HALF_UP) if scores else None
    evaluation = Evaluation.objects.create(
        org=actor.org,
        application=application,
        interviewer=interviewer.strip(),
        stage=stage.strip(),
        scores=scores,
        overall=overall,
        recommendation=recommendation,
        comment=comment.strip(),
        at=at or clock.now(),
    )
    hooks.run_candidate_changed(application.candidate_id)
    _record(actor, "evaluation.added", evaluation, application=str(application.pk))
    return evaluation


@transaction.atomic
def tags_set(*, actor: Actor, candidate_ids: list[Id], tag_code: str, present: bool) -> int:
    """Add (present=True) or remove a tag on many candidates; returns how many changed."""
    actor.require(Role.RECRUITER)
    try:
        tag = Tag.objects.get(org=actor.org, code=tag_code)
    except Tag.DoesNotExist as exc:
        raise NotFound() from exc
    candidates = list(Candidate.objects.filter(org=actor.org, pk__in=candidate_ids))
    if len(candidates) != len(set(map(str, candidate_ids))):
        raise NotFound()
    changed = 0
    for candidate in candidates:
        if present:
            changed += CandidateTag.objects.get_or_create(org=actor.org, candidate=candidate, tag=tag)[1]
        else:
            changed += CandidateTag.objects.filter(org=actor.org, candidate=candidate, tag=tag).delete()[0]
    _record(actor, "candidates.tagged" if present else "candidates.untagged", tag, count=changed)
    return changed


@transaction.atomic
def job_create(
    *,
    actor: Actor,
    title: str,
    department: str = "",
    description: str = "",
    required_skills: list[str] | None = None,
    preferred_skills: list[str] | None = None,
    prefecture: str = "",
    remote: str = JobRequisition.Remote.ONSITE,
    employment_type: str = JobRequisition.EmploymentType.FULL_TIME,
    salary_min: int | None = None,
    salary_max: int | None = None,
    headcount: int = 1,
    opened_on: date | None = None,
    audited: bool = True,
) -> JobRequisition:
    from careerrelay.core.prefectures import prefecture_from_text
    from careerrelay.core.text import normalize

    actor.require(Role.RECRUITER)
    if not normalize(title):
        raise DomainValidationError(_("A job needs a title."), field="title")
    code = ""
    if prefecture:
        found = prefecture_from_text(prefecture)
        if found is None:
            raise DomainValidationError(_("Unknown prefecture."), field="prefecture")
        code = found.code
    if salary_min is not None and salary_max is not None and salary_min > salary_max:
        raise DomainValidationError(_("The lower end of the salary is above the upper end."), field="salary_min")
    job = JobRequisition.objects.create(
        org=actor.org,
        title=normalize(title),
        department=normalize(department),
        description=description.strip(),
        required_skills=[normalize(s) for s in required_skills or [] if normalize(s)],
        preferred_skills=[normalize(s) for s in preferred_skills or [] if normalize(s)],
        prefecture=code,
        remote=remote,
        employment_type=employment_type,
        salary_min=salary_min,
        salary_max=salary_max,
        headcount=headcount,
    )
    if audited:
        _record(actor, "job.created", job)
    hooks.run_job_opened(hooks.JobOpened(job=job, actor=actor, audited=audited))
    return job
