"""Lever webhook events → candidate pool services.

Lever's events carry ids only (opportunityId, candidateId, archive reason id), no names or
addresses, so they act on applications we already know as `lever:<opportunityId>` (from an
import); for an unknown opportunity the delivery is skipped with that reason.
"""

from __future__ import annotations

from typing import Any

from careerrelay.candidates.application_status import application_hire
from careerrelay.candidates.models import Application
from careerrelay.candidates.services import CLOSED, candidate_reject
from careerrelay.consent.settings import for_org
from careerrelay.integrations.greenhouse import Skip
from careerrelay.integrations.reasons import map_reason
from careerrelay.orgs.actors import Actor


def _known_application(actor: Actor, data: dict[str, Any]) -> Application:
    opportunity = data.get("opportunityId")
    application = (
        Application.objects.filter(org=actor.org, external_ref=f"lever:{opportunity}").first() if opportunity else None
    )
    if application is None:
        raise Skip("unknown Lever opportunity; import the candidate first")
    return application


def handle(actor: Actor, payload: dict[str, Any]) -> str:
    event = str(payload.get("event") or "")
    data = payload.get("data") or {}
    if event == "candidateArchiveChange":
        archived = data.get("toArchived") or {}
        if not archived.get("reason"):
            raise Skip("unarchived, or archived without a reason")
        application = _known_application(actor, data)
        if application.status in CLOSED:
            raise Skip(f"application already {application.status}")
        # Lever names the reason by an id of the customer's own list; without a mapping table the
        # fallback reason is used and the id is kept in the note.
        reason = map_reason(actor=actor)
        candidate_reject(
            actor=actor,
            application_id=application.pk,
            reason_id=reason.pk,
            note=f"Lever archive reason {archived['reason']}",
            send_rejection_email=for_org(actor.org).rejection_email_for_ats,
        )
        return f"rejected with {reason.code}"
    if event == "candidateHired":
        application = _known_application(actor, data)
        if application.status in CLOSED:
            raise Skip(f"application already {application.status}")
        application_hire(actor=actor, application_id=application.pk)
        return "hired"
    raise Skip(f"event {event!r} is not handled")
