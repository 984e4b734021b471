"""What a person does with a re-scout message: each click is counted against the message;
"I'm interested" creates a re-application attributed to it; "stop" withdraws re-contact."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from careerrelay.candidates.data import CandidateData
from careerrelay.candidates.models import JobRequisition
from careerrelay.candidates.services import application_record
from careerrelay.consent import purposes
from careerrelay.consent.services import Evidence, consent_withdraw
from careerrelay.core import clock
from careerrelay.orgs.actors import system_actor
from careerrelay.outreach.models import LinkClick, RescoutResponse, ScheduledMessage

RESCOUT_SOURCE = "rescout"


@transaction.atomic
def link_click_record(*, message: ScheduledMessage, action: str) -> LinkClick:
    """Count a visit to one of the message's links (every visit: clicks, not people)."""
    return LinkClick.objects.create(org_id=message.org_id, message=message, action=action, at=clock.now())


@transaction.atomic
def rescout_interest(*, message: ScheduledMessage, job_id: Any = None) -> RescoutResponse:
    """The person said "I'm interested": a re-application (source "rescout") to the job they
    chose among the org's open ones, or to none; the recruiters see it as a new response.
    Pressing the button again changes nothing."""
    locked = ScheduledMessage.objects.select_for_update().select_related("candidate", "org").get(pk=message.pk)
    existing = RescoutResponse.objects.filter(message=locked).first()
    if existing is not None:
        return existing
    job = (
        JobRequisition.objects.filter(org_id=locked.org_id, pk=job_id, status=JobRequisition.Status.OPEN).first()
        if job_id
        else None
    )
    actor = system_actor(locked.org, "candidate (re-scout link)")
    application = application_record(
        actor=actor,
        data=CandidateData(),
        source=RESCOUT_SOURCE,
        job_id=job.pk if job else None,
        candidate=locked.candidate,
    )
    response = RescoutResponse.objects.create(
        org_id=locked.org_id, message=locked, candidate=locked.candidate, application=application, job=job
    )
    actor.audit("rescout.interested", target=application, details={"message": str(locked.pk)})
    return response


@transaction.atomic
def rescout_stop(*, message: ScheduledMessage, evidence: Evidence) -> None:  # the GET counted the click
    """ "Stop": no more job offers from this org (re-contact consent withdrawn at once, which
    cancels every pending re-scout)."""
    consent_withdraw(candidate=message.candidate, purpose=purposes.RECONTACT, evidence=evidence)
