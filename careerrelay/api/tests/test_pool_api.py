from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from careerrelay.accounts.models import AuditEvent
from careerrelay.api.tests.helpers import call
from careerrelay.candidates.models import Application, Candidate, CandidateTag, JobRequisition, RejectionReason
from careerrelay.candidates.tests.factories import apply
from careerrelay.candidates.tests.tenancy import SECRET_EMAIL, ensure_pool
from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.django_db

PERSON = {
    "family_name": "山田",
    "given_name": "太郎",
    "family_name_kana": "やまだ",
    "given_name_kana": "たろう",
    "email": "Taro.Yamada@example.jp",
    "phone": "090-2222-3333",
    "prefecture": "東京",
    "skills": ["Python", "Go"],
}


def reason_id(world: OrgWorld, code: str = "skills_gap") -> str:
    return str(RejectionReason.objects.get(org=world.org, code=code).pk)


def test_creating_a_candidate_returns_japanese_fields_and_then_matches_the_same_person(
    client: Client, world: OrgWorld
) -> None:
    response = call(client, "POST", "/api/v1/candidates", world.recruiter_key, PERSON)
    assert response.status_code == 201
    body = response.json()
    assert body["created"] is True
    candidate = body["candidate"]
    assert (candidate["family_name_kana"], candidate["given_name_kana"]) == ("ヤマダ", "タロウ")
    assert candidate["prefecture"] == {"code": "13", "name_ja": "東京都", "name_en": "Tokyo"}
    assert candidate["phone"] == "+819022223333"
    again = call(client, "POST", "/api/v1/candidates", world.recruiter_key, {"email": "taro.yamada@EXAMPLE.jp"})
    assert again.status_code == 200
    assert again.json()["created"] is False
    assert again.json()["matched_by"] == "email"
    assert again.json()["candidate"]["id"] == candidate["id"]


def test_creating_a_candidate_never_matches_another_org(client: Client, world: OrgWorld, other_world: OrgWorld) -> None:
    ensure_pool(other_world)
    response = call(client, "POST", "/api/v1/candidates", world.admin_key, {"email": SECRET_EMAIL})
    assert response.status_code == 201
    assert Candidate.objects.filter(org=other_world.org, email=SECRET_EMAIL).count() == 1
    assert Candidate.objects.filter(org=world.org, email=SECRET_EMAIL).count() == 1


def test_invalid_candidate_input_is_a_problem_with_the_pointer(client: Client, world: OrgWorld) -> None:
    response = call(client, "POST", "/api/v1/candidates", world.recruiter_key, {**PERSON, "phone": "12"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "#/phone"
    assert not Candidate.objects.filter(org=world.org).exists()


def test_viewers_cannot_write_to_the_pool(client: Client, world: OrgWorld) -> None:
    application = apply(world)
    attempts: list[tuple[str, dict[str, Any]]] = [
        ("/api/v1/candidates", PERSON),
        ("/api/v1/jobs", {"title": "SRE"}),
        ("/api/v1/applications", {"candidate": PERSON}),
        (f"/api/v1/applications/{application.pk}/reject", {"reason_id": reason_id(world)}),
        (f"/api/v1/applications/{application.pk}/evaluations", {"interviewer": "a", "stage": "1", "scores": {}}),
        ("/api/v1/candidates/bulk-tag", {"tag": "rescout", "candidate_ids": [str(application.candidate_id)]}),
    ]
    for path, body in attempts:
        assert call(client, "POST", path, world.viewer_key, body).status_code == 403, path
    patch = call(client, "PATCH", f"/api/v1/candidates/{application.candidate_id}", world.viewer_key, {"city": "x"})
    assert patch.status_code == 403
    application.refresh_from_db()
    assert application.status == "active"
    assert Candidate.objects.filter(org=world.org).count() == 1
    assert not JobRequisition.objects.filter(org=world.org).exists()


def test_viewers_can_read_the_pool(client: Client, world: OrgWorld) -> None:
    application = apply(world)
    assert call(client, "GET", "/api/v1/candidates", world.viewer_key).status_code == 200
    detail = call(client, "GET", f"/api/v1/candidates/{application.candidate_id}", world.viewer_key)
    assert detail.json()["email"] == "misaki.sato@example.jp"


def test_list_filters_and_searches_through_query_parameters(client: Client, world: OrgWorld) -> None:
    call(client, "POST", "/api/v1/candidates", world.recruiter_key, PERSON)
    call(client, "POST", "/api/v1/candidates", world.recruiter_key, {"email": "other@example.jp", "skills": ["Go"]})
    by_name = call(client, "GET", "/api/v1/candidates?q=yamada", world.viewer_key).json()["items"]
    assert [item["email"] for item in by_name] == ["taro.yamada@example.jp"]
    by_skills = call(client, "GET", "/api/v1/candidates?skills=go&skills=python", world.viewer_key).json()["items"]
    assert [item["email"] for item in by_skills] == ["taro.yamada@example.jp"]
    both = call(client, "GET", "/api/v1/candidates?skills=go", world.viewer_key).json()["items"]
    assert [item["email"] for item in both] == ["other@example.jp", "taro.yamada@example.jp"]
    bad = call(client, "GET", "/api/v1/candidates?prefecture=Atlantis", world.viewer_key)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["parameter"] == "prefecture"


def test_list_is_cursor_paginated(client: Client, world: OrgWorld) -> None:
    for n in range(3):
        call(client, "POST", "/api/v1/candidates", world.recruiter_key, {"email": f"p{n}@example.jp"})
    first = call(client, "GET", "/api/v1/candidates?limit=2", world.viewer_key).json()
    second = call(client, "GET", f"/api/v1/candidates?limit=2&cursor={first['next_cursor']}", world.viewer_key).json()
    assert [i["email"] for i in first["items"] + second["items"]] == ["p2@example.jp", "p1@example.jp", "p0@example.jp"]
    assert second["next_cursor"] is None


def test_patch_changes_only_the_members_sent_and_is_audited(client: Client, world: OrgWorld) -> None:
    candidate_id = call(client, "POST", "/api/v1/candidates", world.recruiter_key, PERSON).json()["candidate"]["id"]
    response = call(
        client,
        "PATCH",
        f"/api/v1/candidates/{candidate_id}",
        world.recruiter_key,
        {"city": "横浜市", "skills": ["Rust"]},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["city"], body["skills"], body["email"]) == ("横浜市", ["Rust"], "taro.yamada@example.jp")
    assert AuditEvent.objects.filter(org=world.org, action="candidate.updated").exists()
    found = call(client, "GET", "/api/v1/candidates?skills=rust", world.viewer_key).json()["items"]
    assert [item["id"] for item in found] == [candidate_id]
    bad = call(client, "PATCH", f"/api/v1/candidates/{candidate_id}", world.recruiter_key, {"email": "not-an-email"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["pointer"] == "#/email"


def test_jobs_are_created_in_the_callers_org(client: Client, world: OrgWorld, other_world: OrgWorld) -> None:
    response = call(
        client, "POST", "/api/v1/jobs", world.recruiter_key, {"title": "バックエンドエンジニア", "prefecture": "大阪"}
    )
    assert response.status_code == 201
    job = response.json()
    assert job["prefecture"]["name_ja"] == "大阪府"
    assert JobRequisition.objects.get(pk=job["id"]).org == world.org
    assert not JobRequisition.objects.filter(org=other_world.org).exists()
    listed = call(client, "GET", "/api/v1/jobs", world.viewer_key).json()["items"]
    assert [item["id"] for item in listed] == [job["id"]]
    assert (
        call(client, "GET", f"/api/v1/jobs/{job['id']}", world.viewer_key).json()["title"] == "バックエンドエンジニア"
    )


def test_applications_report_reapplications(client: Client, world: OrgWorld) -> None:
    job = call(client, "POST", "/api/v1/jobs", world.recruiter_key, {"title": "SRE"}).json()
    first = call(
        client, "POST", "/api/v1/applications", world.recruiter_key, {"candidate": PERSON, "job_id": job["id"]}
    )
    assert first.status_code == 201
    assert first.json()["is_reapplication"] is False
    assert first.json()["job_id"] == job["id"]
    body = {"candidate": {"family_name": "山田", "phone": "09022223333"}}
    again = call(client, "POST", "/api/v1/applications", world.recruiter_key, body)
    assert again.json()["is_reapplication"] is True
    assert again.json()["candidate_id"] == first.json()["candidate_id"]


def test_application_errors_point_inside_the_candidate(client: Client, world: OrgWorld) -> None:
    body = {"candidate": {**PERSON, "email": "nope"}}
    response = call(client, "POST", "/api/v1/applications", world.recruiter_key, body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "#/candidate/email"
    assert not Application.objects.filter(org=world.org).exists()


def test_applying_to_another_orgs_job_is_404(client: Client, world: OrgWorld, other_world: OrgWorld) -> None:
    foreign_job = ensure_pool(other_world).job_id
    body = {"candidate": PERSON, "job_id": str(foreign_job)}
    response = call(client, "POST", "/api/v1/applications", world.admin_key, body)
    assert response.status_code == 404
    assert not Candidate.objects.filter(org=world.org).exists()


def test_reject_closes_with_reason_and_flags_rescout(client: Client, world: OrgWorld) -> None:
    application = apply(world)
    body = {
        "reason_id": reason_id(world),
        "evaluation_summary": "設計力は高い",
        "rescout_eligible": True,
        "note": "1年後に再連絡",
        "send_rejection_email": False,
    }
    response = call(client, "POST", f"/api/v1/applications/{application.pk}/reject", world.recruiter_key, body)
    assert response.status_code == 200
    out = response.json()
    assert (out["status"], out["rejection_reason"], out["rescout_eligible"]) == ("rejected", "skills_gap", True)
    assert CandidateTag.objects.filter(candidate=application.candidate, tag__code="rescout").exists()
    twice = call(client, "POST", f"/api/v1/applications/{application.pk}/reject", world.recruiter_key, body)
    assert twice.status_code == 409
    unknown = call(
        client,
        "POST",
        f"/api/v1/applications/{apply(world, email='b@example.jp', phone='', birth_year=None).pk}/reject",
        world.recruiter_key,
        {"reason_id": "00000000-0000-7000-8000-000000000000"},
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["pointer"] == "#/reason_id"


def test_evaluations_are_added_with_an_overall_score(client: Client, world: OrgWorld) -> None:
    application = apply(world)
    body = {
        "interviewer": "鈴木",
        "stage": "1次面接",
        "scores": {"技術": 4, "コミュニケーション": 5},
        "recommendation": "yes",
    }
    response = call(client, "POST", f"/api/v1/applications/{application.pk}/evaluations", world.recruiter_key, body)
    assert response.status_code == 201
    assert response.json()["overall"] == "4.50"
    bad = call(
        client,
        "POST",
        f"/api/v1/applications/{application.pk}/evaluations",
        world.recruiter_key,
        {**body, "scores": {"技術": 9}},
    )
    assert bad.status_code == 422


def test_rejection_reasons_are_labelled_in_the_requested_language(client: Client, world: OrgWorld) -> None:
    ja = call(client, "GET", "/api/v1/rejection-reasons", world.viewer_key, HTTP_ACCEPT_LANGUAGE="ja").json()
    en = call(client, "GET", "/api/v1/rejection-reasons", world.viewer_key, **{"Accept-Language": "en"}).json()
    assert ja[0]["code"] == en[0]["code"] == "skills_gap"
    assert en[0]["label"] == "Skills or experience gap"
    assert {item["kind"] for item in en} == {"we_rejected", "they_withdrew"}


def test_bulk_tag_adds_and_removes_the_rescout_flag(client: Client, world: OrgWorld) -> None:
    ids = [str(apply(world, email=f"p{n}@example.jp", phone="", birth_year=None).candidate_id) for n in range(2)]
    added = call(
        client, "POST", "/api/v1/candidates/bulk-tag", world.recruiter_key, {"tag": "rescout", "candidate_ids": ids}
    )
    assert added.json() == {"changed": 2}
    flagged = call(client, "GET", "/api/v1/candidates?rescout=true", world.viewer_key).json()["items"]
    assert sorted(item["id"] for item in flagged) == sorted(ids)
    assert flagged[0]["tags"] == ["rescout"]
    body = {"tag": "rescout", "candidate_ids": ids[:1], "action": "remove"}
    assert call(client, "POST", "/api/v1/candidates/bulk-tag", world.recruiter_key, body).json() == {"changed": 1}
    assert CandidateTag.objects.filter(org=world.org).count() == 1


def test_bulk_tag_with_another_orgs_ids_is_404(client: Client, world: OrgWorld, other_world: OrgWorld) -> None:
    mine = str(apply(world).candidate_id)
    theirs = str(ensure_pool(other_world).candidate_id)
    body = {"tag": "rescout", "candidate_ids": [mine, theirs]}
    response = call(client, "POST", "/api/v1/candidates/bulk-tag", world.admin_key, body)
    assert response.status_code == 404
    assert not CandidateTag.objects.filter(tag__code="rescout").exists()
