"""The network's inverted index (SharedProfileTerm): it follows every write to a shared profile,
holds only what partners are shown, and the ranking read through it is the ranking of every
visible profile."""

from __future__ import annotations

import random

import pytest

from careerrelay.candidates.models import Candidate
from careerrelay.candidates.tests.factories import recruiter_of
from careerrelay.consent import purposes
from careerrelay.consent.erasure import carry_out_erasures, erasure_request
from careerrelay.consent.services import consent_withdraw
from careerrelay.consent.tests.factories import PORTAL
from careerrelay.core import clock, prefectures
from careerrelay.core.errors import NotFound
from careerrelay.matching import ranking
from careerrelay.matching.selectors import job_query_of
from careerrelay.orgs.tests.factories import OrgWorld
from careerrelay.relay import matches, sharing
from careerrelay.relay.models import SharedProfile, SharedProfileTerm
from careerrelay.relay.networks import member_accept, member_invite, member_leave, network_create
from careerrelay.relay.postings import SHOWN, postings_of, rebuild, shown_record
from careerrelay.relay.tests.factories import Relay, admin_of, make_relay, rejected_with_consent

pytestmark = pytest.mark.django_db

PREFECTURE_NAMES = {p.ja for p in prefectures.PREFECTURES}


def _postings(profile: SharedProfile) -> set[tuple[str, str, int]]:
    rows = SharedProfileTerm.objects.filter(profile=profile).values_list("term", "place", "prior")
    return set(rows)


def _expected(profile: SharedProfile) -> set[tuple[str, str, int]]:
    """What the postings must be: built from the shown fields alone."""
    profile.refresh_from_db()
    if profile.status != SharedProfile.Status.PUBLISHED:
        return set()
    record = shown_record(getattr(profile, name) for name in SHOWN)
    return set(postings_of(record, now=clock.now()))


def _assert_index_follows_the_profiles() -> None:
    for profile in SharedProfile.objects.all():
        assert _postings(profile) == _expected(profile), profile.status
        rows = SharedProfileTerm.objects.filter(profile=profile)
        assert all(row.org_id == profile.org_id and row.network_id == profile.network_id for row in rows)
    assert not SharedProfileTerm.objects.exclude(profile__status=SharedProfile.Status.PUBLISHED).exists()


def _share_all(world: OrgWorld, relay: Relay) -> None:
    sharing.share_all_eligible(actor=recruiter_of(world), network_id=relay.network.pk)


def test_publishing_writes_postings_from_the_shown_fields(world):
    relay = make_relay(world, k=2)
    for n in range(3):
        rejected_with_consent(world, n, skills=["Python", "ＡＷＳ", "Docker"], desired_locations=["大阪"])
    _share_all(world, relay)
    profile = SharedProfile.objects.filter(status=SharedProfile.Status.PUBLISHED).first()
    assert profile is not None and profile.shown_location == "東京都"
    terms = {term for term, _place, _prior in _postings(profile)}
    assert {"python", "aws"} <= terms
    places = {place for _term, place, _prior in _postings(profile)}
    assert places == {"13", "27"}  # where the person lives (shown) and where they would work
    _assert_index_follows_the_profiles()


def test_a_profile_shown_only_by_region_has_no_prefecture_place_and_regeneralising_moves_it(world):
    relay = make_relay(world, k=2)
    tokyo = rejected_with_consent(world, 1, prefecture="東京", desired_locations=[])
    kanagawa = rejected_with_consent(world, 2, prefecture="神奈川", desired_locations=[])
    _share_all(world, relay)
    for person in (tokyo, kanagawa):
        profile = SharedProfile.objects.get(candidate=person)
        assert profile.status == SharedProfile.Status.PUBLISHED and profile.shown_location == "関東"
        assert {place for _t, place, _p in _postings(profile)} == {"関東"}
    assert not SharedProfileTerm.objects.filter(place__in=["13", "14"]).exists()
    _assert_index_follows_the_profiles()

    # Two more people in Tokyo: Tokyo is now shown as a prefecture, Kanagawa's profile is held back.
    for n in (3, 4):
        person = rejected_with_consent(world, n, prefecture="東京", desired_locations=[])
        sharing.share_candidate(actor=recruiter_of(world), candidate_id=person.pk, network_id=relay.network.pk)
    assert SharedProfile.objects.get(candidate=tokyo).shown_location == "東京都"
    assert {place for _t, place, _p in _postings(SharedProfile.objects.get(candidate=tokyo))} == {"13"}
    assert SharedProfile.objects.get(candidate=kanagawa).status == SharedProfile.Status.HELD
    assert not SharedProfileTerm.objects.filter(profile__candidate=kanagawa).exists()
    assert not SharedProfileTerm.objects.filter(place="14").exists()
    _assert_index_follows_the_profiles()


def test_postings_go_when_the_profile_is_unpublished_withdrawn_or_erased(world):
    relay = make_relay(world, k=2)
    people = [rejected_with_consent(world, n) for n in range(5)]
    _share_all(world, relay)
    assert SharedProfileTerm.objects.filter(profile__candidate__in=people).values("profile").distinct().count() == 5

    consent_withdraw(candidate=people[0], purpose=purposes.RELAY_SHARE, evidence=PORTAL)
    assert not SharedProfileTerm.objects.filter(profile__candidate=people[0]).exists()
    _assert_index_follows_the_profiles()

    erasure_request(candidate=people[1], channel="portal", requested_by="candidate")
    assert carry_out_erasures(clock.now()) == 1
    erased = SharedProfile.objects.get(candidate=None)
    assert erased.status == SharedProfile.Status.UNPUBLISHED and not SharedProfileTerm.objects.filter(profile=erased)
    _assert_index_follows_the_profiles()

    # The sharing company leaves the network: its profiles are taken down, postings and all.
    assert SharedProfileTerm.objects.exists()
    member_leave(actor=admin_of(world), network_id=relay.network.pk)
    assert not SharedProfileTerm.objects.exists()
    _assert_index_follows_the_profiles()


def test_rebuild_writes_the_same_postings_as_the_services(world):
    relay = make_relay(world, k=2)
    for n in range(4):
        rejected_with_consent(world, n, skills=["Python", "SQL", f"独自スキル{n % 2}"])
    _share_all(world, relay)
    before = set(SharedProfileTerm.objects.values_list("profile_id", "term", "place", "prior"))
    assert rebuild(relay.network) == len(before)
    assert set(SharedProfileTerm.objects.values_list("profile_id", "term", "place", "prior")) == before


def test_ranking_never_crosses_into_a_network_the_viewer_is_not_in(world, other_world, monkeypatch):
    relay = make_relay(world, k=2)
    for n in range(3):
        rejected_with_consent(world, n, skills=["Python"])
    _share_all(world, relay)
    # A second network of the same operator, which the partner is not in, with Python people too.
    closed = network_create(actor=admin_of(relay.operator), name="別ネットワーク", k=2)
    member_invite(actor=admin_of(relay.operator), network_id=closed.pk, org_slug=other_world.org.slug)
    member_accept(actor=admin_of(other_world), network_id=closed.pk)
    for n in range(3):
        rejected_with_consent(other_world, 10 + n, skills=["Python"])
    sharing.share_all_eligible(actor=recruiter_of(other_world), network_id=closed.pk)
    assert SharedProfileTerm.objects.filter(network=closed).exists()
    relay.partner_job.required_skills = ["Python"]
    relay.partner_job.save(update_fields=["required_skills"])

    with pytest.raises(NotFound):
        matches.network_matches(org=relay.partner.org, network_id=closed.pk, job_id=relay.partner_job.pk)
    for whole in (matches.SCORE_WHOLE, 0):  # scored whole, and through the index
        monkeypatch.setattr(matches, "SCORE_WHOLE", whole)
        ranked = matches.network_matches(
            org=relay.partner.org, network_id=relay.network.pk, job_id=relay.partner_job.pk
        )
        assert len(ranked) == 3
        assert {m.profile.network_id for m in ranked} == {relay.network.pk}
        assert {m.profile.org_id for m in ranked} == {world.org.pk}


def _many(world: OrgWorld, count: int) -> None:
    rng = random.Random(20261126)
    skills = ["Python", "AWS", "Docker", "SQL", "Go", "Kubernetes", "React", "Java", "法人営業", "Excel"]
    places = ["東京", "神奈川", "大阪", "埼玉", "福岡"]
    titles = ["バックエンドエンジニア", "インフラエンジニア", "データエンジニア", "営業", "Backend Engineer"]
    for n in range(count):
        rejected_with_consent(
            world,
            n,
            skills=rng.sample(skills, k=rng.randint(1, 4)),
            prefecture=rng.choice(places),
            current_title=rng.choice(titles),
            desired_locations=rng.sample(["東京", "大阪", "リモート"], k=rng.randint(0, 1)),
            years_experience=rng.randint(0, 15),
            birth_year=rng.choice([1985, 1991]),
        )


def test_the_index_path_ranks_like_scoring_every_visible_profile(world, monkeypatch):
    relay = make_relay(world, k=3)
    _many(world, 240)
    _share_all(world, relay)
    job = relay.partner_job
    job.required_skills, job.preferred_skills, job.prefecture = ["Python", "AWS"], ["Docker"], "13"
    job.title = "バックエンドエンジニア"
    job.save(update_fields=["required_skills", "preferred_skills", "prefecture", "title"])
    visible = SharedProfile.objects.filter(network=relay.network, status=SharedProfile.Status.PUBLISHED)
    assert visible.count() > 150
    query, now = job_query_of(job), clock.now()
    every = sorted(
        (
            (ranking.score(query, shown_record(shown), now=now)[0], str(pk))
            for pk, *shown in visible.values_list("pk", *SHOWN)
        ),
        key=lambda item: (-item[0], item[1]),
    )[:20]

    whole = matches.network_matches(org=relay.partner.org, network_id=relay.network.pk, job_id=job.pk)
    monkeypatch.setattr(matches, "SCORE_WHOLE", 0)  # the network is too big to score whole
    indexed = matches.network_matches(org=relay.partner.org, network_id=relay.network.pk, job_id=job.pk)

    assert [(m.score, str(m.profile.pk)) for m in whole] == every
    assert [(m.score, str(m.profile.pk)) for m in indexed] == every
    assert all("Python" in m.reason["en"] or "python" in m.reason["en"].lower() for m in indexed[:3])
    assert Candidate.objects.filter(org=world.org).count() == 240


def test_the_migration_builds_postings_for_profiles_published_before_the_index(world):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("careerrelay.relay.migrations.0004_build_shared_profile_terms")
    relay = make_relay(world, k=2)
    for n in range(3):
        rejected_with_consent(world, n, skills=["Python", "SQL"], desired_locations=["大阪"])
    _share_all(world, relay)
    before = set(SharedProfileTerm.objects.values_list("profile_id", "term", "place", "prior"))
    SharedProfileTerm.objects.all().delete()  # as before the table existed
    migration.build(apps, None)
    assert before and set(SharedProfileTerm.objects.values_list("profile_id", "term", "place", "prior")) == before
