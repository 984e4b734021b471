"""Erasure in the api app's own table (registered with `consent.hooks.on_erasure`): a stored
answer to a POST that quotes the person is deleted. Such records only replay a retry within 24
hours; after the erasure a retry runs again instead of replaying the person's data."""

from __future__ import annotations

from careerrelay.api.models import IdempotencyRecord
from careerrelay.candidates.models import Candidate
from careerrelay.consent.scrub import mentions, person_terms


def idempotency_records_erase(candidate: Candidate) -> None:
    terms = person_terms(candidate)
    if not terms:
        return
    stale = [
        record.pk
        for record in IdempotencyRecord.objects.filter(org=candidate.org_id).only("pk", "body")
        if mentions(bytes(record.body).decode("utf-8", "replace"), terms)
    ]
    IdempotencyRecord.objects.filter(pk__in=stale).delete()
