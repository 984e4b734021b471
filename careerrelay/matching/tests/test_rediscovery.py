"""Rediscovery triggers: a job opening counts who fits; "fits another department" suggests at once."""

from __future__ import annotations

from django.core.management import call_command

from careerrelay.accounts.models import AuditEvent
from careerrelay.candidates.editing import candidate_update
from careerrelay.candidates.tests.factories import recruiter_of
from careerrelay.consent import hooks as consent_hooks
from careerrelay.consent import purposes
from careerrelay.consent.services import consent_withdraw
from careerrelay.consent.tests.factories import PORTAL
from careerrelay.matching.models import MatchProfile, MatchSuggestion, MatchTerm
from careerrelay.matching.tests.helpers import open_job, rejected
from careerrelay.orgs.tests.factories import OrgWorld


def test_opening_a_job_stores_the_past_candidates_who_fit_and_counts_them(world: OrgWorld) -> None:
    fit = rejected(world, family_name="適任", skills=["Python", "Django", "AWS"], prefecture="東京")
    rejected(world, family_name="不適", skills=["看護"], prefecture="沖縄")
    job = open_job(world, required_skills=["Python", "Django"], preferred_skills=["AWS"], prefecture="東京")
    suggestions = list(MatchSuggestion.objects.filter(job=job))
    assert [s.candidate_id for s in suggestions] == [fit.candidate_id]
    assert suggestions[0].origin == "job_opened"
    assert "一致: Python、Django、AWS" in suggestions[0].reason_ja
    event = AuditEvent.objects.get(org=world.org, action="matching.job_suggestions", object_id=str(job.pk))
    assert event.details == {"count": 1}


def test_a_rejection_that_fits_another_department_is_suggested_for_its_open_jobs(world: OrgWorld) -> None:
    sales_job = open_job(world, title="法人営業", department="営業部", required_skills=["法人営業"], prefecture="大阪")
    other_sales = open_job(world, title="インサイドセールス", department="営業部", required_skills=["法人営業"])
    dev_job = open_job(world, title="エンジニア", department="開発部", required_skills=["Python"])
    application = rejected(
        world,
        reason="other_department",
        job=dev_job,
        family_name="転向",
        skills=["法人営業", "Salesforce"],
        prefecture="大阪",
    )
    rows = MatchSuggestion.objects.filter(candidate=application.candidate, origin="other_department")
    assert {row.job_id for row in rows} == {sales_job.pk, other_sales.pk}
    assert all(row.from_application_id == application.pk for row in rows)
    assert dev_job.pk not in {row.job_id for row in rows}


def test_another_reason_suggests_nothing_for_other_departments(world: OrgWorld) -> None:
    open_job(world, title="法人営業", department="営業部", required_skills=["法人営業"])
    dev_job = open_job(world, title="エンジニア", department="開発部")
    application = rejected(world, reason="timing", job=dev_job, skills=["法人営業"])
    assert not MatchSuggestion.objects.filter(candidate=application.candidate, origin="other_department").exists()


def test_fits_another_department_without_recontact_consent_suggests_nothing(world: OrgWorld) -> None:
    open_job(world, title="法人営業", department="営業部", required_skills=["法人営業"])
    dev_job = open_job(world, title="エンジニア", department="開発部")
    application = rejected(world, reason="other_department", consent=False, job=dev_job, skills=["法人営業"])
    assert not MatchSuggestion.objects.filter(candidate=application.candidate).exists()


def test_withdrawing_recontact_removes_the_persons_stored_suggestions(world: OrgWorld) -> None:
    application = rejected(world, skills=["Python"])
    job = open_job(world, required_skills=["Python"])
    assert MatchSuggestion.objects.filter(job=job, candidate=application.candidate).exists()
    consent_withdraw(candidate=application.candidate, purpose=purposes.RECONTACT, evidence=PORTAL)
    assert not MatchSuggestion.objects.filter(candidate=application.candidate).exists()


def test_editing_a_candidate_refreshes_their_profile_and_index(world: OrgWorld) -> None:
    application = rejected(world, skills=["Python"])
    candidate_update(actor=recruiter_of(world), candidate_id=application.candidate_id, changes={"skills": ["Go"]})
    profile = MatchProfile.objects.get(candidate=application.candidate)
    assert profile.skill_ids == ["go"]
    assert list(MatchTerm.objects.filter(profile=profile).values_list("term", flat=True)) == ["go"]


def test_unknown_skills_are_listed_by_frequency(world: OrgWorld, capsys: object) -> None:
    rejected(world, skills=["Python", "Quarkflow"])
    rejected(world, skills=["quarkflow", "Zebra DSL"])
    call_command("matching", "unknown-skills", "--org", world.org.slug)
    out = capsys.readouterr().out  # type: ignore[attr-defined]
    assert out.splitlines() == ["2\tquarkflow", "1\tzebra dsl"]


def test_rebuild_computes_every_profile_again(world: OrgWorld, capsys: object) -> None:
    application = rejected(world, skills=["Python"])
    MatchProfile.objects.filter(candidate=application.candidate).delete()
    call_command("matching", "rebuild", "--org", world.org.slug)
    assert MatchProfile.objects.get(candidate=application.candidate).eligible
    assert "1 match profiles rebuilt." in capsys.readouterr().out  # type: ignore[attr-defined]


def test_an_erased_person_leaves_no_profile_index_or_suggestion(world: OrgWorld) -> None:
    application = rejected(world, skills=["Python"])
    open_job(world, required_skills=["Python"])
    consent_hooks.run_erasure(application.candidate)
    assert not MatchProfile.objects.filter(candidate=application.candidate).exists()
    assert not MatchTerm.objects.filter(candidate=application.candidate).exists()
    assert not MatchSuggestion.objects.filter(candidate=application.candidate).exists()
