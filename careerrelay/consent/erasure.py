"""Erasure requests and the worker job that carries them out.

A request is recorded at once (from the portal, an admin, the ATS, or the retention rule); the job
`carry_out_erasures` empties the person's data in one transaction per person (see erasing.py for
what is emptied and what is kept). While an import of the person's org is queued or running, the
org's requests wait: the uploaded file may hold the person, and the import will land on the
record that is then erased, instead of creating a fresh copy of them after the erasure.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from careerrelay.candidates.models import Candidate, ImportJob
from careerrelay.consent.erasing import erase_person
from careerrelay.consent.models import ErasureRequest
from careerrelay.core import clock
from careerrelay.core.errors import DomainValidationError
from careerrelay.core.selectors import get_for_org
from careerrelay.orgs.actors import Actor, system_actor
from careerrelay.orgs.models import Role

BATCH = 200


@transaction.atomic
def erasure_request(
    *, candidate: Candidate, channel: str, requested_by: str, actor: Actor | None = None, at: datetime | None = None
) -> ErasureRequest:
    """Record that the person's data is to be erased. While a request for them is pending, asking
    again returns that request. Audited when an actor (an admin, the ATS) asks."""
    if channel not in ErasureRequest.Channel.values:
        raise DomainValidationError(_("Unknown erasure channel."), field="channel")
    at = at or clock.now()
    pending = ErasureRequest.objects.filter(candidate=candidate, status=ErasureRequest.Status.PENDING)
    request = pending.first()
    if request is not None:
        return request
    try:
        with transaction.atomic():
            request = ErasureRequest.objects.create(
                org=candidate.org,
                candidate=candidate,
                channel=channel,
                requested_by=requested_by[:200],
                requested_at=at,
            )
    except IntegrityError:  # a concurrent request for the same person got there first
        return pending.get()
    if actor is not None:
        actor.audit("erasure.requested", target=request, details={"channel": channel})
    return request


def candidate_erasure_request(*, actor: Actor, candidate_id: uuid.UUID | str) -> ErasureRequest:
    """An admin (a member, or an admin API key) asks that one of the org's people be erased."""
    actor.require(Role.ADMIN)
    candidate = get_for_org(Candidate.objects.all(), org=actor.org, pk=candidate_id)
    return erasure_request(
        candidate=candidate, channel=ErasureRequest.Channel.ADMIN, requested_by=actor.label, actor=actor
    )


def carry_out_erasures(at: datetime) -> int:
    """The worker job: erase the people of every due request, oldest first, one transaction
    each; returns how many requests were carried out."""
    busy_orgs = set(
        ImportJob.objects.filter(status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]).values_list(
            "org_id", flat=True
        )
    )
    due = list(
        ErasureRequest.objects.filter(status=ErasureRequest.Status.PENDING, requested_at__lte=at)
        .exclude(org__in=busy_orgs)
        .order_by("requested_at", "id")
        .values_list("pk", flat=True)[:BATCH]
    )
    done = 0
    for pk in due:
        with transaction.atomic():
            request = (
                ErasureRequest.objects.select_for_update()
                .select_related("candidate", "candidate__org")
                .filter(pk=pk, status=ErasureRequest.Status.PENDING)
                .first()
            )
            if request is None:
                continue
            cluster = erase_person(request.candidate, at)
            done += ErasureRequest.objects.filter(candidate__in=cluster, status=ErasureRequest.Status.PENDING).update(
                status=ErasureRequest.Status.DONE, completed_at=at
            )
            request.refresh_from_db()
            system_actor(request.org, "erasure job").audit(
                "erasure.completed", target=request, details={"channel": request.channel, "records": len(cluster)}
            )
    return done
