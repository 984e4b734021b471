"""Stage 1: posting lists filed by place and read best first, and what reaches the full scorer."""

from __future__ import annotations

import pytest

from careerrelay.core import clock
from careerrelay.matching import selectors, shortlist
from careerrelay.matching.models import MatchProfile, MatchTerm
from careerrelay.matching.tests.helpers import open_job, rejected
from careerrelay.orgs.tests.factories import OrgWorld


def test_postings_are_filed_under_home_and_wished_prefectures_with_the_prior(world: OrgWorld) -> None:
    application = rejected(world, skills=["Go"], prefecture="大阪", desired_locations=["東京"])
    profile = MatchProfile.objects.get(candidate=application.candidate)
    rows = set(MatchTerm.objects.filter(profile=profile).values_list("term", "place", "prior"))
    places = {place for _term, place, _prior in rows}
    assert {term for term, _place, _prior in rows} == {"go"}
    assert places == {"27", "13"}
    assert len({prior for _term, _place, prior in rows}) == 1 and 0 < next(iter(rows))[2] <= 1000


def test_an_onsite_job_reads_the_region_and_further_when_its_prefecture_has_too_few(world: OrgWorld) -> None:
    in_kyoto = rejected(world, skills=["Go"], prefecture="京都").candidate
    in_hokkaido = rejected(world, skills=["Go"], prefecture="北海道").candidate
    job = open_job(world, title="Goエンジニア", required_skills=["Go"], prefecture="大阪", remote="onsite")
    found = selectors.shortlist(org=world.org, query=selectors.job_query_of(job), at=clock.now())
    assert found[:2] == [in_kyoto.pk, in_hokkaido.pk]  # the region's bonus first


def test_only_the_head_of_a_long_list_is_read_best_prior_first(
    world: OrgWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = [rejected(world, skills=["Go"], prefecture="東京").candidate for _ in range(3)]
    MatchTerm.objects.filter(candidate=people[1]).update(prior=900)
    monkeypatch.setattr(shortlist, "DEPTH", 1)
    monkeypatch.setattr(shortlist, "ENOUGH", 1)
    job = open_job(world, title="Goエンジニア", required_skills=["Go"], prefecture="東京", remote="onsite")
    found = selectors.shortlist(org=world.org, query=selectors.job_query_of(job), at=clock.now())
    assert found == [people[1].pk]


def test_people_without_recontact_consent_never_reach_the_full_scorer(world: OrgWorld) -> None:
    agreed = rejected(world, skills=["Go"]).candidate
    refused = rejected(world, skills=["Go"], consent=False).candidate
    job = open_job(world, title="Goエンジニア", required_skills=["Go"], prefecture="東京")
    proposed = shortlist.candidates(org=world.org, query=selectors.job_query_of(job), size=10)
    found = selectors.shortlist(org=world.org, query=selectors.job_query_of(job), at=clock.now())
    assert {agreed.pk, refused.pk} <= set(proposed)  # the index knows both; the gate decides
    assert found == [agreed.pk]
