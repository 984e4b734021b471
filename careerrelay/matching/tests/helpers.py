"""Build rejected candidates and open jobs for matching tests, through the pool's services."""

from __future__ import annotations

from itertools import count
from typing import Any

from careerrelay.candidates.models import Application, JobRequisition, RejectionReason
from careerrelay.candidates.services import application_record, candidate_reject, job_create
from careerrelay.candidates.tests.factories import recruiter_of, sample_data
from careerrelay.orgs.tests.factories import OrgWorld

_serial = count(1)


def open_job(world: OrgWorld, **values: Any) -> JobRequisition:
    values.setdefault("title", "バックエンドエンジニア")
    return job_create(actor=recruiter_of(world), **values)


def rejected(
    world: OrgWorld,
    *,
    reason: str = "skills_gap",
    rescout: bool = True,
    job: JobRequisition | None = None,
    **data: Any,
) -> Application:
    """A person who applied (to `job` or a past job) and was let go with `reason`."""
    n = next(_serial)
    data.setdefault("email", f"person{n}@example.jp")
    data.setdefault("phone", f"090-{1000 + n:04d}-{2000 + n:04d}")
    data.setdefault("family_name_kana", f"テスト{n}")
    actor = recruiter_of(world)
    if job is None:
        job = job_create(actor=actor, title="過去の求人", department="過去部")
    application = application_record(actor=actor, data=sample_data(**data), source="test", job_id=job.pk)
    reason_row = RejectionReason.objects.get(org=world.org, code=reason)
    return candidate_reject(
        actor=actor,
        application_id=application.pk,
        reason_id=reason_row.pk,
        rescout_eligible=rescout,
        send_rejection_email=False,
    )
