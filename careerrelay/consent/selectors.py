"""Reads of a person's consent records (the person's own pages, the recruiter's candidate page)."""

from __future__ import annotations

from django.db.models import QuerySet

from careerrelay.candidates.models import Candidate
from careerrelay.consent.models import ConsentEvent, SharingBlock
from careerrelay.core.selectors import get_for_org
from careerrelay.orgs.models import Organization


def consent_history(candidate: Candidate) -> QuerySet[ConsentEvent]:
    return ConsentEvent.objects.filter(candidate=candidate).select_related("policy").order_by("-occurred_at", "-id")


def sharing_block_names(candidate: Candidate) -> list[str]:
    return [
        block.company_name or (block.blocked_org.name if block.blocked_org else "")
        for block in SharingBlock.objects.filter(candidate=candidate).select_related("blocked_org")
    ]


def candidate_for_consents(*, org: Organization, pk: object) -> Candidate:
    return get_for_org(Candidate.objects.filter(erased_at__isnull=True), org=org, pk=pk)
