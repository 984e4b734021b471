from __future__ import annotations

from datetime import datetime
from itertools import count

from careerrelay.candidates.models import Application, RejectionReason
from careerrelay.candidates.services import candidate_reject
from careerrelay.candidates.tests.factories import apply, recruiter_of
from careerrelay.consent import purposes
from careerrelay.consent.services import consent_grant
from careerrelay.consent.tests.factories import PORTAL
from careerrelay.core import clock
from careerrelay.orgs.tests.factories import OrgWorld

_numbers = count(1)


def rejected(
    world: OrgWorld,
    at: datetime,
    *,
    flagged: bool = True,
    consent: bool = True,
    reason: str = "skills_gap",
    job_id: object = None,
    **person: object,
) -> Application:
    """A distinct person rejected at `at` (no rejection email), with re-contact consent a day later."""
    n = next(_numbers)
    details: dict[str, object] = {
        "email": f"person{n}@{world.org.slug}.example.jp",
        "phone": "",
        "family_name_kana": f"テスト{n}",
        **person,
    }
    with clock.frozen_at(at):
        actor = recruiter_of(world)
        application = apply(world, **details)
        if job_id:
            Application.objects.filter(pk=application.pk).update(job_id=job_id)
        reason_id = RejectionReason.objects.get(org=world.org, code=reason).pk
        application = candidate_reject(
            actor=actor,
            application_id=application.pk,
            reason_id=reason_id,
            rescout_eligible=flagged,
            send_rejection_email=False,
        )
    if consent:
        consent_grant(
            candidate=application.candidate, purpose=purposes.RECONTACT, language="ja", evidence=PORTAL, at=at
        )
    return application
