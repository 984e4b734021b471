"""Build rejected candidates and open jobs for matching tests, through the pool's services."""

from __future__ import annotations

from itertools import count
from typing import Any

from careerrelay.candidates.models import Application, Candidate, JobRequisition, RejectionReason
from careerrelay.candidates.services import application_record, candidate_reject, job_create
from careerrelay.candidates.tests.factories import recruiter_of, sample_data
from careerrelay.consent import purposes
from careerrelay.consent.services import consent_grant
from careerrelay.consent.tests.factories import PORTAL
from careerrelay.orgs.tests.factories import OrgWorld

_serial = count(1)


def open_job(world: OrgWorld, **values: Any) -> JobRequisition:
    values.setdefault("title", "バックエンドエンジニア")
    return job_create(actor=recruiter_of(world), **values)


def grant_recontact(candidate: Candidate) -> None:
    consent_grant(candidate=candidate, purpose=purposes.RECONTACT, language="ja", evidence=PORTAL)


def rejected(
    world: OrgWorld,
    *,
    reason: str = "skills_gap",
    consent: bool = True,
    rescout: bool | None = None,
    job: JobRequisition | None = None,
    **data: Any,
) -> Application:
    """A person who applied (to `job` or a past job) and was let go with `reason`; with `consent`
    they agreed to be contacted again before the rejection (as on the application form)."""
    n = next(_serial)
    data.setdefault("email", f"person{n}@example.jp")
    data.setdefault("phone", f"090-{1000 + n:04d}-{2000 + n:04d}")
    data.setdefault("family_name_kana", f"テスト{n}")
    actor = recruiter_of(world)
    if job is None:
        job = job_create(actor=actor, title="過去の求人", department="過去部")
    application = application_record(actor=actor, data=sample_data(**data), source="test", job_id=job.pk)
    if consent:
        grant_recontact(application.candidate)
    reason_row = RejectionReason.objects.get(org=world.org, code=reason)
    return candidate_reject(
        actor=actor,
        application_id=application.pk,
        reason_id=reason_row.pk,
        rescout_eligible=consent if rescout is None else rescout,
        send_rejection_email=False,
    )
