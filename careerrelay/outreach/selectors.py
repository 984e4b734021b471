"""Reads for recruiters: a person's consent and messages, the outbox, the templates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from careerrelay.candidates.models import Candidate
from careerrelay.consent import purposes
from careerrelay.consent.gate import PurposeState, consent_states
from careerrelay.consent.models import ConsentEvent
from careerrelay.consent.selectors import candidate_for_consents, consent_history
from careerrelay.core import clock
from careerrelay.core.selectors import get_for_org
from careerrelay.orgs.models import Organization
from careerrelay.outreach.models import MessageTemplate, ScheduledMessage


@dataclass(frozen=True)
class ContactRecord:
    candidate: Candidate
    states: list[PurposeState]
    events: list[ConsentEvent]
    messages: list[ScheduledMessage]


def purposes_of(candidate: Candidate) -> list[str]:
    """The fixed purposes, and every disclosure the person has ever been asked about."""
    disclosures = (
        ConsentEvent.objects.filter(candidate=candidate, purpose__startswith=purposes.DISCLOSE_PREFIX)
        .order_by()  # the model's ordering would make DISTINCT one row per event, not per purpose
        .values_list("purpose", flat=True)
        .distinct()
    )
    return [*purposes.FIXED, *sorted(set(disclosures))]


def contact_record(*, org: Organization, candidate_id: Any) -> ContactRecord:
    candidate = candidate_for_consents(org=org, pk=candidate_id)
    return ContactRecord(
        candidate=candidate,
        states=consent_states(candidate, purposes_of(candidate), at=clock.now()),
        events=list(consent_history(candidate)[:50]),
        messages=list(
            ScheduledMessage.objects.filter(org=org, candidate=candidate)
            .annotate(click_count=Count("clicks"))
            .order_by("-created_at")[:50]
        ),
    )


def messages_list(*, org: Organization, candidate_id: Any = None, status: str = "") -> QuerySet[ScheduledMessage]:
    messages = ScheduledMessage.objects.filter(org=org).select_related("candidate")
    if candidate_id is not None:
        messages = messages.filter(candidate=candidate_for_consents(org=org, pk=candidate_id))
    if status:
        messages = messages.filter(status=status)
    return messages


def outbox_counts(*, org: Organization) -> dict[str, int]:
    rows = ScheduledMessage.objects.filter(org=org).values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def templates_list(*, org: Organization) -> QuerySet[MessageTemplate]:
    return MessageTemplate.objects.filter(org=org).select_related("reason")


def template_get(*, org: Organization, pk: Any) -> MessageTemplate:
    return get_for_org(MessageTemplate.objects.select_related("reason"), org=org, pk=pk)
