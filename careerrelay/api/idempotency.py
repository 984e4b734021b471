"""Idempotency-Key for POST: the first answer is kept per org and key for 24 hours and replayed.

A second request with the same key and a different body is refused with 422; one that arrives
while the first is still running gets 409. Server errors are not kept, so a retry runs again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction

from careerrelay.api.models import IdempotencyRecord
from careerrelay.core import clock
from careerrelay.orgs.models import Organization


@dataclass(frozen=True)
class Replay:
    status_code: int
    content_type: str
    body: bytes


class KeyReusedWithDifferentRequest(Exception):
    pass


class KeyInProgress(Exception):
    pass


def fingerprint(*, api_key_id: object, method: str, path: str, body: bytes) -> str:
    """The request's identity. The key is part of it, so another key (perhaps with a lower role)
    resending the same Idempotency-Key gets a 422, never the first key's answer."""
    digest = hashlib.sha256()
    for part in (str(api_key_id).encode(), method.encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _ttl() -> timedelta:
    return timedelta(seconds=settings.CAREERRELAY_IDEMPOTENCY_TTL_SECONDS)


def begin(*, org: Organization, key: str, request_fingerprint: str) -> Replay | None:
    """Reserve the key; return the stored answer if this key was already answered."""
    IdempotencyRecord.objects.filter(org=org, key=key, created_at__lt=clock.now() - _ttl()).delete()
    try:
        with transaction.atomic():
            IdempotencyRecord.objects.create(org=org, key=key, fingerprint=request_fingerprint)
            return None
    except IntegrityError:
        pass
    record = IdempotencyRecord.objects.get(org=org, key=key)
    if record.fingerprint != request_fingerprint:
        raise KeyReusedWithDifferentRequest()
    if record.status_code is None:
        raise KeyInProgress()
    return Replay(status_code=record.status_code, content_type=record.content_type, body=bytes(record.body))


def finish(*, org: Organization, key: str, status_code: int, content_type: str, body: bytes) -> None:
    records = IdempotencyRecord.objects.filter(org=org, key=key, status_code__isnull=True)
    if status_code >= 500:
        records.delete()
    else:
        records.update(status_code=status_code, content_type=content_type, body=body, updated_at=clock.now())


def purge_expired(at: datetime) -> int:
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=at - _ttl()).delete()
    return deleted
