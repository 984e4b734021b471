"""GET /api/v1/jobs/{id}/matches and the job page: matches with reasons, org-scoped."""

from __future__ import annotations

from django.test import Client

from careerrelay.api.tests.helpers import call
from careerrelay.matching.models import MatchProfile, MatchSuggestion
from careerrelay.matching.tests.helpers import open_job, rejected
from careerrelay.orgs.tests.factories import OrgWorld


def _pool(world: OrgWorld) -> object:
    rejected(world, family_name="候補", given_name="一郎", skills=["Python", "k8s"], prefecture="東京")
    return open_job(world, required_skills=["Python", "Kubernetes", "Go"], prefecture="東京都")


def test_the_api_lists_matches_with_reasons_in_both_languages(client: Client, world: OrgWorld) -> None:
    job = _pool(world)
    response = call(client, "GET", f"/api/v1/jobs/{job.pk}/matches", world.viewer_key)
    assert response.status_code == 200
    body = response.json()
    item = body["items"][0]
    assert item["candidate"]["display_name"] == "候補 一郎"
    assert [s["id"] for s in item["explanation"]["matched"]] == ["python", "kubernetes"]
    assert [s["label_en"] for s in item["explanation"]["missing"]] == ["Go"]
    assert item["reason"]["en"].startswith("matched: Python, Kubernetes; missing: Go; Tokyo ✓")
    assert item["reason"]["ja"].startswith("一致: Python、Kubernetes / 不足: Go / 東京都 ✓")
    assert body["suggestions"][0]["origin"] == "job_opened"


def test_the_api_refuses_a_limit_out_of_range(client: Client, world: OrgWorld) -> None:
    job = _pool(world)
    response = call(client, "GET", f"/api/v1/jobs/{job.pk}/matches?limit=500", world.viewer_key)
    assert response.status_code == 422
    assert response.json()["errors"][0]["parameter"] == "limit"


def test_another_orgs_job_is_404_and_nothing_changes(client: Client, world: OrgWorld, other_world: OrgWorld) -> None:
    foreign = _pool(other_world)
    before = (
        sorted(MatchSuggestion.objects.filter(org=other_world.org).values_list("id", "updated_at")),
        sorted(MatchProfile.objects.filter(org=other_world.org).values_list("id", "updated_at")),
    )
    response = call(client, "GET", f"/api/v1/jobs/{foreign.pk}/matches", world.admin_key)
    assert response.status_code == 404
    assert "候補" not in response.content.decode()
    client.force_login(world.admin)
    assert client.get(f"/jobs/{foreign.pk}/").status_code == 404
    after = (
        sorted(MatchSuggestion.objects.filter(org=other_world.org).values_list("id", "updated_at")),
        sorted(MatchProfile.objects.filter(org=other_world.org).values_list("id", "updated_at")),
    )
    assert after == before


def test_another_orgs_candidates_never_match_our_jobs(client: Client, world: OrgWorld, other_world: OrgWorld) -> None:
    rejected(other_world, family_name="他社", skills=["Python"], prefecture="東京")
    job = open_job(world, required_skills=["Python"], prefecture="東京")
    body = call(client, "GET", f"/api/v1/jobs/{job.pk}/matches", world.admin_key).json()
    assert body["items"] == []
    assert body["suggestions"] == []


def test_the_job_page_tells_how_many_fit_and_shows_matches(client: Client, world: OrgWorld) -> None:
    job = _pool(world)
    client.force_login(world.recruiter)
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "この求人に合う過去の候補者が 1 人います。" in html
    assert "候補 一郎" in html
    assert "不足: Go" in html
    assert f'href="/jobs/{job.pk}/"' in client.get("/jobs/").content.decode()


def test_creating_a_job_from_the_page_leads_to_its_matches(client: Client, world: OrgWorld) -> None:
    rejected(world, family_name="候補", skills=["SQL"], prefecture="東京")
    client.force_login(world.recruiter)
    response = client.post(
        "/jobs/",
        {
            "title": "データエンジニア",
            "prefecture": "13",
            "remote": "onsite",
            "employment_type": "full_time",
            "headcount": "1",
            "required_skills": "SQL",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "データエンジニア" in page
    assert "候補" in page
