from __future__ import annotations

from datetime import datetime

from careerrelay.candidates.models import Application, RejectionReason
from careerrelay.candidates.services import candidate_reject
from careerrelay.candidates.tests.factories import apply, recruiter_of
from careerrelay.core import clock
from careerrelay.orgs.tests.factories import OrgWorld


def reject(
    world: OrgWorld, at: datetime, *, reason: str = "skills_gap", send: bool = True, **person: object
) -> Application:
    with clock.frozen_at(at):
        application = apply(world, **person)
        reason_id = RejectionReason.objects.get(org=world.org, code=reason).pk
        return candidate_reject(
            actor=recruiter_of(world), application_id=application.pk, reason_id=reason_id, send_rejection_email=send
        )


def set_timing(world: OrgWorld, timing: str) -> None:
    org = world.org
    org.settings = {**(org.settings or {}), "consent": {"rejection_email_timing": timing}}
    org.save(update_fields=["settings"])
