"""A person's consent: the current state per purpose, the log, and recording consent given
elsewhere (with its evidence)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from careerrelay.api.auth import actor_of
from careerrelay.api.consent_schemas import ConsentEventOut, ConsentRecordIn, ConsentsOut
from careerrelay.api.schemas import problems
from careerrelay.consent.models import ConsentEvent
from careerrelay.consent.services import consent_record
from careerrelay.outreach.selectors import contact_record

router = Router()


def _event(event: ConsentEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "purpose": event.purpose,
        "kind": event.kind,
        "channel": event.channel,
        "occurred_at": event.occurred_at,
        "expires_at": event.expires_at,
        "policy_version": event.policy.number if event.policy else None,
        "text_hash": event.text_hash,
        "language": event.language,
    }


def _consents(request: HttpRequest, candidate_id: UUID) -> dict[str, Any]:
    record = contact_record(org=actor_of(request).org, candidate_id=candidate_id)
    return {
        "candidate_id": record.candidate.pk,
        "states": record.states,
        "events": [_event(event) for event in record.events],
    }


@router.get(
    "/{candidate_id}/consents",
    response={200: ConsentsOut, **problems(404)},
    summary="Consent history and current state per purpose",
)
def consents_get(request: HttpRequest, candidate_id: UUID) -> dict[str, Any]:
    return _consents(request, candidate_id)


@router.post(
    "/{candidate_id}/consents",
    response={201: ConsentEventOut, 200: ConsentsOut, **problems(403, 404, 422)},
    summary="Record consent the person gave elsewhere, or its withdrawal",
    description="A grant needs `evidence` (where and how the person agreed). Withdrawing what is not in force "
    "records nothing and answers 200 with the current state.",
)
def consents_record(request: HttpRequest, candidate_id: UUID, payload: ConsentRecordIn) -> Any:
    event = consent_record(
        actor=actor_of(request),
        candidate_id=candidate_id,
        purpose=payload.purpose,
        granted=payload.granted,
        evidence_note=payload.evidence,
        language=payload.language,
    )
    if event is None:
        return Status(200, _consents(request, candidate_id))
    return Status(201, _event(event))
