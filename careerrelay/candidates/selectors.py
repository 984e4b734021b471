"""Reads for the candidate pool. Every read takes `org=`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from careerrelay.candidates.models import Application, Candidate, JobRequisition, RejectionReason, Tag
from careerrelay.core.errors import NotFound
from careerrelay.core.selectors import get_for_org
from careerrelay.orgs.models import Organization


def candidate_get(*, org: Organization, pk: Any) -> Candidate:
    return get_for_org(Candidate.objects.all(), org=org, pk=pk)


def application_get(*, org: Organization, pk: Any, for_update: bool = False) -> Application:
    queryset = Application.objects.select_related("candidate", "job", "rejection_reason")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    return get_for_org(queryset, org=org, pk=pk)


def job_get(*, org: Organization, pk: Any) -> JobRequisition:
    return get_for_org(JobRequisition.objects.all(), org=org, pk=pk)


def jobs_list(*, org: Organization, status: str | None = None) -> QuerySet[JobRequisition]:
    jobs = JobRequisition.objects.for_org(org)
    return jobs.filter(status=status) if status else jobs


def reasons_list(*, org: Organization, active_only: bool = True) -> QuerySet[RejectionReason]:
    reasons = RejectionReason.objects.for_org(org)
    return reasons.filter(is_active=True) if active_only else reasons


def tags_list(*, org: Organization) -> QuerySet[Tag]:
    return Tag.objects.for_org(org).order_by("-is_builtin", "code")


def tag_get(*, org: Organization, code: str) -> Tag:
    try:
        return Tag.objects.get(org=org, code=code)
    except Tag.DoesNotExist as exc:
        raise NotFound() from exc


def applications_of(*, org: Organization, candidate: Candidate) -> QuerySet[Application]:
    return (
        Application.objects.for_org(org)
        .filter(candidate=candidate)
        .select_related("job", "rejection_reason")
        .prefetch_related("stage_changes", "evaluations")
        .order_by("applied_at")
    )
