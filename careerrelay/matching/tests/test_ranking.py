"""Ranking the org's rediscovery pool for a job: what counts, what is left out, and why."""

from __future__ import annotations

from datetime import timedelta

from careerrelay.candidates.services import application_record
from careerrelay.candidates.tests.factories import recruiter_of, sample_data
from careerrelay.consent import purposes
from careerrelay.consent.models import ConsentEvent
from careerrelay.consent.services import consent_withdraw
from careerrelay.consent.tests.factories import PORTAL
from careerrelay.matching import selectors
from careerrelay.matching.tests.helpers import open_job, rejected
from careerrelay.orgs.tests.factories import OrgWorld


def _names(world: OrgWorld, job_id: object) -> list[str]:
    _job, matches = selectors.job_matches(org=world.org, job_id=job_id)
    return [m.candidate.family_name for m in matches]


def test_the_better_skill_and_place_fit_ranks_first_with_its_reason(world: OrgWorld) -> None:
    rejected(world, family_name="適合", skills=["ｐｙｔｈｏｎ", "AWS", "k8s"], prefecture="東京")
    rejected(world, family_name="部分", skills=["Python"], prefecture="大阪")
    rejected(world, family_name="無関係", skills=["簿記2級"], prefecture="東京")
    job = open_job(world, required_skills=["Python", "Kubernetes"], preferred_skills=["AWS"], prefecture="東京都")
    _job, matches = selectors.job_matches(org=world.org, job_id=job.pk)
    assert [m.candidate.family_name for m in matches][:2] == ["適合", "部分"]
    best = matches[0]
    assert best.explanation["matched"] == ["python", "kubernetes", "aws"]
    assert best.explanation["location"] == "prefecture"
    assert "一致: Python、Kubernetes、AWS" in best.reason["ja"]
    assert "東京都 ✓" in best.reason["ja"]
    assert "matched: Python, Kubernetes, AWS" in best.reason["en"]
    assert "Tokyo ✓" in best.reason["en"]
    second = matches[1]
    assert second.explanation["missing"] == ["kubernetes"]
    assert "missing: Kubernetes" in second.reason["en"]


def test_a_child_skill_counts_partly_and_says_through_what(world: OrgWorld) -> None:
    rejected(world, family_name="リアクト", skills=["React"], prefecture="東京")
    job = open_job(world, title="フロントエンドエンジニア", required_skills=["JavaScript"], prefecture="東京")
    _job, matches = selectors.job_matches(org=world.org, job_id=job.pk)
    assert matches[0].explanation["partial"] == [{"skill": "javascript", "via": "react"}]
    assert "JavaScript partly, through React" in matches[0].reason["en"]


def test_a_candidate_without_recontact_consent_never_appears(world: OrgWorld) -> None:
    # Marked re-scout eligible by the recruiter, but the person never agreed: not shown.
    rejected(world, family_name="同意なし", skills=["Python", "Django"], consent=False, rescout=True)
    rejected(world, family_name="同意あり", skills=["Python"], consent=True)
    withdrawn = rejected(world, family_name="撤回", skills=["Python", "Django"], consent=True)
    consent_withdraw(candidate=withdrawn.candidate, purpose=purposes.RECONTACT, evidence=PORTAL)
    job = open_job(world, required_skills=["Python", "Django"])
    assert _names(world, job.pk) == ["同意あり"]
    assert [s.candidate.family_name for s in selectors.job_suggestions(org=world.org, job=job)] == ["同意あり"]


def test_consent_that_has_expired_no_longer_lets_a_person_appear(world: OrgWorld) -> None:
    application = rejected(world, family_name="期限切れ", skills=["Python"])
    job = open_job(world, required_skills=["Python"])
    expiry = ConsentEvent.objects.get(candidate=application.candidate).expires_at
    assert expiry is not None
    before = selectors.rank(org=world.org, query=selectors.job_query_of(job), at=expiry - timedelta(days=1))
    after = selectors.rank(org=world.org, query=selectors.job_query_of(job), at=expiry + timedelta(days=1))
    assert [m.candidate.family_name for m in before] == ["期限切れ"]
    assert after == []


def test_people_in_progress_or_hired_are_not_rediscovered(world: OrgWorld) -> None:
    application_record(
        actor=recruiter_of(world),
        data=sample_data(family_name="選考中", email="active@example.jp", phone="", skills=["Python"]),
        source="test",
    )
    job = open_job(world, required_skills=["Python"])
    assert _names(world, job.pk) == []


def test_people_who_applied_to_this_job_are_left_out(world: OrgWorld) -> None:
    job = open_job(world, required_skills=["Python"])
    rejected(world, family_name="応募者", skills=["Python"], job=job)
    assert _names(world, job.pk) == []


def test_a_remote_job_does_not_care_where_people_live(world: OrgWorld) -> None:
    rejected(world, family_name="沖縄", skills=["Go"], prefecture="沖縄")
    job = open_job(world, required_skills=["Golang"], prefecture="東京", remote="remote")
    _job, matches = selectors.job_matches(org=world.org, job_id=job.pk)
    assert matches[0].explanation["location"] == "remote"
    assert "remote ✓" in matches[0].reason["en"]
