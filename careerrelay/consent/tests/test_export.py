"""The person's data download: everything held about them, as plain JSON."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from careerrelay.accounts.models import AuditEvent
from careerrelay.api.tests.helpers import call
from careerrelay.candidates.data import CandidateData
from careerrelay.candidates.merging import candidates_merge
from careerrelay.candidates.models import RejectionReason
from careerrelay.candidates.services import application_record, candidate_reject, evaluation_add
from careerrelay.candidates.tests.factories import apply, recruiter_of
from careerrelay.consent import purposes
from careerrelay.consent.export import personal_data_export
from careerrelay.consent.services import consent_grant, consent_withdraw, sharing_blocks_set
from careerrelay.consent.tests.factories import PORTAL
from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.django_db


def test_the_export_holds_profile_applications_evaluations_consents_and_blocks(
    world: OrgWorld, other_world: OrgWorld
) -> None:
    recruiter = recruiter_of(world)
    application = apply(world)
    candidate = application.candidate
    evaluation_add(
        actor=recruiter,
        application_id=application.pk,
        interviewer="面接官 山本",
        stage="1次面接",
        scores={"技術": 4},
        recommendation="yes",
        comment="内部メモ",
    )
    reason = RejectionReason.objects.get(org=world.org, code="timing")
    candidate_reject(
        actor=recruiter, application_id=application.pk, reason_id=reason.pk, evaluation_summary="良い", note="時期"
    )
    twin = application_record(
        actor=recruiter, data=CandidateData(family_name="佐藤", email="old@example.jp"), source="test"
    ).candidate
    candidates_merge(actor=recruiter, survivor_id=candidate.pk, merged_id=twin.pk)
    consent_grant(candidate=candidate, purpose=purposes.RECONTACT, language="ja", evidence=PORTAL)
    consent_withdraw(candidate=candidate, purpose=purposes.RECONTACT, evidence=PORTAL)
    sharing_blocks_set(candidate=candidate, org_ids=[str(other_world.org.pk)], names=["株式会社どこか"])

    data = personal_data_export(twin)  # asking through a merged record gives the whole person

    assert json.loads(json.dumps(data)) == data
    assert data["held_by"]["name"] == world.org.name
    profile = data["profile"]
    assert (profile["id"], profile["family_name"], profile["email"]) == (
        str(candidate.pk),
        "佐藤",
        "misaki.sato@example.jp",
    )
    assert profile["phone"] == "+819012345678" and profile["skills"] == ["Python", "AWS"]
    assert "search_text" not in profile and "org" not in profile
    assert [record["email"] for record in data["merged_records"]] == ["old@example.jp"]
    (exported,) = [a for a in data["applications"] if a["id"] == str(application.pk)]
    assert exported["status"] == "rejected" and exported["rejection_reason"]["code"] == "timing"
    assert exported["evaluation_summary"] == "良い" and exported["rejection_note"] == "時期"
    assert [s["status"] for s in exported["stages"]] == ["active", "rejected"]
    (evaluation,) = exported["evaluations"]
    assert evaluation["scores"] == {"技術": 4} and evaluation["recommendation"] == "yes"
    assert "interviewer" not in evaluation and "comment" not in evaluation
    assert [(e["purpose"], e["kind"]) for e in data["consent_history"]] == [
        ("recontact", "granted"),
        ("recontact", "withdrawn"),
    ]
    assert data["consent_history"][0]["ip"] == "198.51.100.7"
    assert sorted(b["company"] for b in data["sharing_blocks"]) == sorted([other_world.org.name, "株式会社どこか"])
    # Outreach's section: the rejection email queued when she was rejected.
    (message,) = data["messages"]
    assert (message["kind"], message["to"]) == ("rejection", "misaki.sato@example.jp") and message["body"]


def test_admins_download_a_persons_data_from_the_api_and_the_page_and_it_is_audited(
    client: Client, world: OrgWorld
) -> None:
    candidate = apply(world).candidate
    path = f"/api/v1/candidates/{candidate.pk}/personal-data"
    assert call(client, "GET", path, world.recruiter_key).status_code == 403
    response = call(client, "GET", path, world.admin_key)
    assert response.status_code == 200 and response.json()["profile"]["email"] == "misaki.sato@example.jp"
    client.force_login(world.admin)
    page = client.get(f"/candidates/{candidate.pk}/personal-data/")
    assert page.status_code == 200 and page["Content-Disposition"].startswith("attachment;")
    assert json.loads(page.content)["profile"]["family_name"] == "佐藤"
    assert AuditEvent.objects.filter(action="personal_data.exported", object_id=str(candidate.pk)).count() == 2
    client.force_login(world.viewer)
    assert client.get(f"/candidates/{candidate.pk}/personal-data/").status_code == 403
