"""Tenancy probes for the candidate pool's pages and API operations."""

from __future__ import annotations

from typing import Any

from careerrelay.candidates.merging import candidates_merge
from careerrelay.candidates.models import (
    Application,
    Candidate,
    CandidateTag,
    Evaluation,
    JobRequisition,
    MergeRecord,
)
from careerrelay.candidates.services import application_record, evaluation_add, job_create
from careerrelay.candidates.tests.factories import recruiter_of, sample_data
from careerrelay.orgs.tests.factories import OrgWorld
from tests.tenancy import AppProbes

SECRET_EMAIL = "hidden.person@secret.example.jp"


def ensure_pool(world: OrgWorld) -> Application:
    """One job, one candidate with an evaluated application in `world` (created once)."""
    found = Application.objects.filter(org=world.org, candidate__email=SECRET_EMAIL).first()
    if found is not None:
        return found
    job = job_create(actor=recruiter_of(world), title=f"秘密の求人 {world.org.slug}")
    data = sample_data(
        email=SECRET_EMAIL, family_name="秘密", given_name="太郎", phone="080-9999-0001", family_name_kana="ヒミツ"
    )
    application = application_record(actor=recruiter_of(world), data=data, source="test", job_id=job.pk)
    twin = application_record(
        actor=recruiter_of(world), data=sample_data(email=f"twin.{SECRET_EMAIL}", phone=""), source="test"
    )
    candidates_merge(actor=recruiter_of(world), survivor_id=application.candidate_id, merged_id=twin.candidate_id)
    evaluation_add(
        actor=recruiter_of(world), application_id=application.pk, interviewer="面接官", stage="1次", scores={"x": 4}
    )
    return application


def _foreign_ids(other: OrgWorld) -> dict[str, str]:
    application = ensure_pool(other)
    return {
        "candidate_id": str(application.candidate_id),
        "application_id": str(application.pk),
        "job_id": str(application.job_id),
        "merge_id": str(MergeRecord.objects.get(org=other.org).pk),
    }


def _snapshot(world: OrgWorld) -> dict[str, Any]:
    ensure_pool(world)
    return {
        "candidates": sorted(
            Candidate.objects.filter(org=world.org).values_list("id", "updated_at", "merged_into", "email")
        ),
        "applications": sorted(
            Application.objects.filter(org=world.org).values_list("id", "status", "updated_at", "candidate")
        ),
        "evaluations": Evaluation.objects.filter(org=world.org).count(),
        "candidate_tags": sorted(CandidateTag.objects.filter(org=world.org).values_list("candidate", "tag")),
        "jobs": sorted(JobRequisition.objects.filter(org=world.org).values_list("id", "updated_at")),
        "merges": sorted(MergeRecord.objects.filter(org=world.org).values_list("id", "status")),
    }


def _secrets(other: OrgWorld) -> list[str]:
    ensure_pool(other)
    return [SECRET_EMAIL, "秘密", f"秘密の求人 {other.org.slug}"]


PROBES = AppProbes(
    web_object={
        "web:candidate": ("get", "/candidates/{candidate_id}/", {}),
        "web:application_reject": ("post", "/applications/{application_id}/reject/", {"reason_id": "x"}),
        "web:application_left_on": ("post", "/applications/{application_id}/left-on/", {"left_on": "2030-01-01"}),
        "web:application_evaluate": (
            "post",
            "/applications/{application_id}/evaluations/",
            {"interviewer": "x", "stage": "1", "criterion_1": "a", "score_1": "3"},
        ),
        "web:merge_revert": ("post", "/candidates/merges/{merge_id}/revert/", {}),
        "web:merge_confirm": ("post", "/candidates/merges/{merge_id}/confirm/", {}),
    },
    web_collections={
        "web:candidates": "/candidates/",
        "web:jobs": "/jobs/",
        "web:duplicates": "/candidates/duplicates/",
    },
    web_other={
        "web:candidates_bulk_tag": "ids in the body; test_bulk_tagging_another_orgs_candidates_is_404",
        "web:merge": "ids in the body; test_merging_another_orgs_candidates_from_the_page_is_404",
        "web:duplicate_dismiss": (
            "ids in the body; test_dismissing_a_pair_with_another_orgs_record_from_the_page_is_404"
        ),
    },
    api_object={
        "GET /api/v1/candidates/{candidate_id}": None,
        "PATCH /api/v1/candidates/{candidate_id}": {"city": "横浜市"},
        "GET /api/v1/jobs/{job_id}": None,
        "POST /api/v1/applications/{application_id}/reject": {"reason_id": "00000000-0000-7000-8000-000000000000"},
        "POST /api/v1/applications/{application_id}/leave": {"left_on": "2030-01-01"},
        "POST /api/v1/merges/{merge_id}/revert": None,
        "POST /api/v1/merges/{merge_id}/confirm": None,
        "POST /api/v1/applications/{application_id}/evaluations": {
            "interviewer": "x",
            "stage": "1",
            "scores": {"a": 3},
        },
    },
    api_collections={
        "GET /api/v1/candidates",
        "GET /api/v1/jobs",
        "GET /api/v1/rejection-reasons",
        "GET /api/v1/duplicates",
    },
    api_other={
        "POST /api/v1/candidates": "creates in the caller's org; test_creating_a_candidate_never_matches_another_org",
        "POST /api/v1/candidates/bulk-tag": "ids in the body; test_bulk_tag_with_another_orgs_ids_is_404",
        "POST /api/v1/jobs": "creates in the caller's org; test_jobs_are_created_in_the_callers_org",
        "POST /api/v1/merges": "ids in the body; test_merging_another_orgs_candidates_is_404",
        "POST /api/v1/duplicates/dismissals": "ids in the body; test_dismissing_a_pair_with_another_orgs_record_is_404",
        "POST /api/v1/applications": "job id in the body; test_applying_to_another_orgs_job_is_404",
    },
    foreign_ids=_foreign_ids,
    snapshot=_snapshot,
    secrets=_secrets,
)
