"""The one place any app asks whether a person's data may be used for a purpose.

A consent is in force at `at` when the person's latest event for that purpose up to `at` is a
grant that has not yet expired. An erased person allows nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import BooleanField, Case, OuterRef, Q, QuerySet, Subquery, Value, When

from careerrelay.candidates.models import Candidate
from careerrelay.consent.models import ConsentEvent
from careerrelay.orgs.models import Organization


def _latest(candidate_id: Any, purpose: str, at: datetime) -> QuerySet[ConsentEvent]:
    return ConsentEvent.objects.filter(candidate_id=candidate_id, purpose=purpose, occurred_at__lte=at).order_by(
        "-occurred_at", "-id"
    )


def consent_allows(candidate: Candidate, purpose: str, *, at: datetime) -> bool:
    if candidate.erased_at is not None:
        return False
    event = _latest(candidate.pk, purpose, at).only("kind", "expires_at").first()
    return _in_force(event, at)


def _in_force(event: ConsentEvent | None, at: datetime) -> bool:
    return (
        event is not None
        and event.kind == ConsentEvent.Kind.GRANTED
        and (event.expires_at is None or event.expires_at > at)
    )


def consenting_candidate_ids(*, org: Organization, purpose: str, at: datetime) -> QuerySet[Candidate]:
    """The ids of the org's people whose consent for `purpose` is in force at `at`, as a
    subquery to filter with (`pk__in=`).

    The latest event is looked up once per person and judged in the database (one correlated
    subquery, not one for its kind and one for its expiry: half the index look-ups of a match
    list's 300 people)."""
    # Spelled out: NOT (NULL <= at) is NULL in SQL, which would drop grants without an expiry.
    granted_in_force = Q(kind=ConsentEvent.Kind.GRANTED) & (Q(expires_at__isnull=True) | Q(expires_at__gt=at))
    in_force = _latest(OuterRef("pk"), purpose, at).annotate(
        in_force=Case(When(granted_in_force, then=Value(True)), default=Value(False), output_field=BooleanField())
    )
    return (
        Candidate.objects.filter(org=org, erased_at__isnull=True, merged_into__isnull=True)
        .annotate(consent_in_force=Subquery(in_force.values("in_force")[:1]))
        .filter(consent_in_force=True)
        .values("pk")
    )


@dataclass(frozen=True)
class PurposeState:
    purpose: str
    in_force: bool
    since: datetime | None
    expires_at: datetime | None
    last_kind: str | None


def consent_states(candidate: Candidate, purposes: list[str], *, at: datetime) -> list[PurposeState]:
    """The state of each purpose, for the portal and the API (the gate's rule, per purpose)."""
    events = ConsentEvent.objects.filter(candidate=candidate, purpose__in=purposes, occurred_at__lte=at).order_by(
        "occurred_at", "id"
    )
    latest: dict[str, ConsentEvent] = {}
    for event in events:
        latest[event.purpose] = event
    states = []
    for purpose in purposes:
        event = latest.get(purpose)
        in_force = candidate.erased_at is None and _in_force(event, at)
        states.append(
            PurposeState(
                purpose=purpose,
                in_force=in_force,
                since=event.occurred_at if event else None,
                expires_at=event.expires_at if event and in_force else None,
                last_kind=event.kind if event else None,
            )
        )
    return states
