from __future__ import annotations

from typing import Any

import pytest

from careerrelay.accounts.models import AuditEvent
from careerrelay.candidates.merging import (
    SAME_KANA_NAME,
    SAME_NAME_AND_EMAIL_DOMAIN,
    SAME_NAME_AND_PHONE,
    candidates_merge,
    duplicates_list,
    merge_confirm,
    merge_revert,
)
from careerrelay.candidates.models import Application, Candidate, CandidateTag, ExternalId, RejectionReason
from careerrelay.candidates.pool import PoolFilters, pool_list
from careerrelay.candidates.services import candidate_reject
from careerrelay.candidates.tests.factories import apply, recruiter_of
from careerrelay.core.errors import Conflict, NotFound, PermissionDenied
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.django_db


def state(world: OrgWorld) -> dict[str, Any]:
    """Everything a merge touches, row by row."""
    fields = [f.attname for f in Candidate._meta.concrete_fields]
    return {
        "candidates": sorted(Candidate.objects.filter(org=world.org).values_list(*fields)),
        "applications": sorted(Application.objects.filter(org=world.org).values_list("id", "candidate_id")),
        "tags": sorted(CandidateTag.objects.filter(org=world.org).values_list("id", "candidate_id", "tag_id")),
        "external_ids": sorted(ExternalId.objects.filter(org=world.org).values_list("id", "candidate_id")),
    }


def two_records(world: OrgWorld) -> tuple[Candidate, Candidate]:
    """One person twice: a new email and phone kept identity resolution from matching, and the
    first record has no birth year."""
    old = apply(world, skills=["Python"], birth_year=None).candidate
    application = apply(
        world,
        email="misaki@another.example.jp",
        phone="080-5555-6666",
        city="横浜市",
        skills=["Go"],
        current_employer="株式会社ミライ",
        external_system="greenhouse",
        external_id="42",
    )
    reason = RejectionReason.objects.get(org=world.org, code="timing")
    candidate_reject(
        actor=recruiter_of(world), application_id=application.pk, reason_id=reason.pk, rescout_eligible=True
    )
    new = Candidate.objects.get(pk=application.candidate_id)
    assert new.pk != old.pk
    return old, new


def test_same_kana_name_with_a_missing_birth_year_is_a_probable_duplicate(world: OrgWorld) -> None:
    old, new = two_records(world)
    apply(
        world,
        family_name="別人",
        given_name="花子",
        family_name_kana="ベツジン",
        given_name_kana="ハナコ",
        email="x@example.jp",
        phone="",
    )
    (pair,) = duplicates_list(org=world.org)
    assert (pair.first, pair.second) == (old, new)
    assert SAME_KANA_NAME in pair.reasons


def test_same_name_with_the_same_phone_or_email_domain_is_a_probable_duplicate(world: OrgWorld) -> None:
    a = apply(world, family_name_kana="", given_name_kana="", email="a@corp.example.jp", phone="").candidate
    b = apply(world, family_name_kana="", given_name_kana="", email="b@corp.example.jp", phone="").candidate
    apply(world, family_name_kana="", given_name_kana="", email="c@elsewhere.example.jp", phone="")
    pairs = duplicates_list(org=world.org)
    assert [(p.first, p.second, p.reasons) for p in pairs] == [(a, b, (SAME_NAME_AND_EMAIL_DOMAIN,))]
    Candidate.objects.filter(pk=a.pk).update(phone="+819011112222")
    Candidate.objects.filter(pk=b.pk).update(phone="+819011112222")
    assert SAME_NAME_AND_PHONE in duplicates_list(org=world.org)[0].reasons


def test_merge_moves_everything_and_fills_blanks(world: OrgWorld) -> None:
    old, new = two_records(world)
    merge = candidates_merge(actor=recruiter_of(world), survivor_id=old.pk, merged_id=new.pk)
    old.refresh_from_db()
    new.refresh_from_db()
    assert new.merged_into == old
    assert Application.objects.filter(candidate=old).count() == 2
    assert ExternalId.objects.get(system="greenhouse", value="42").candidate == old
    assert CandidateTag.objects.filter(candidate=old, tag__code="rescout").exists()
    assert (old.city, old.current_employer, old.email) == ("横浜市", "株式会社ミライ", "misaki.sato@example.jp")
    assert old.skills == ["Python", "Go"]
    assert "横浜市" in old.search_text
    assert list(pool_list(org=world.org)) == [old]
    assert list(pool_list(org=world.org, filters=PoolFilters(rescout=True))) == [old]
    assert duplicates_list(org=world.org) == []
    event = AuditEvent.objects.get(org=world.org, action="candidates.merged")
    assert event.object_id == str(merge.pk)


def test_merge_then_revert_restores_exactly_the_earlier_state(world: OrgWorld) -> None:
    old, new = two_records(world)
    before = state(world)
    merge = candidates_merge(actor=recruiter_of(world), survivor_id=old.pk, merged_id=new.pk)
    assert state(world) != before
    merge_revert(actor=recruiter_of(world), merge_id=merge.pk)
    assert state(world) == before
    merge.refresh_from_db()
    assert merge.status == "reverted"
    assert duplicates_list(org=world.org) == []  # a pair once judged is not proposed again
    assert AuditEvent.objects.filter(org=world.org, action="candidates.merge_reverted").exists()


def test_a_confirmed_merge_can_no_longer_be_reverted(world: OrgWorld) -> None:
    old, new = two_records(world)
    merge = candidates_merge(actor=recruiter_of(world), survivor_id=old.pk, merged_id=new.pk)
    merge_confirm(actor=recruiter_of(world), merge_id=merge.pk)
    with pytest.raises(Conflict):
        merge_revert(actor=recruiter_of(world), merge_id=merge.pk)
    merge.refresh_from_db()
    assert merge.status == "confirmed" and merge.confirmed_at is not None


def test_merging_is_refused_for_viewers_other_orgs_and_merged_records(world: OrgWorld, other_world: OrgWorld) -> None:
    old, new = two_records(world)
    theirs = apply(other_world).candidate
    viewer = Actor(org=world.org, role="viewer", user=world.viewer)
    with pytest.raises(PermissionDenied):
        candidates_merge(actor=viewer, survivor_id=old.pk, merged_id=new.pk)
    with pytest.raises(NotFound):
        candidates_merge(actor=recruiter_of(world), survivor_id=old.pk, merged_id=theirs.pk)
    candidates_merge(actor=recruiter_of(world), survivor_id=old.pk, merged_id=new.pk)
    with pytest.raises(Conflict):
        candidates_merge(actor=recruiter_of(world), survivor_id=new.pk, merged_id=old.pk)
    assert theirs.merged_into_id is None


def test_namesakes_with_different_birth_years_or_free_mail_are_not_duplicates(world: OrgWorld) -> None:
    from careerrelay.candidates.merging import duplicates_list

    apply(world, email="misaki.sato@gmail.com", phone="", birth_year=1990)
    apply(world, email="sato.m@gmail.com", phone="", birth_year=1975)
    assert duplicates_list(org=world.org) == []


def test_the_survivor_of_a_pending_merge_cannot_be_merged_on(world: OrgWorld) -> None:
    a = apply(world, email="a@corp.example", phone="", birth_year=1990).candidate
    b = apply(world, email="b@corp.example", phone="", birth_year=1991).candidate
    c = apply(world, email="c@corp.example", phone="", birth_year=1992).candidate
    candidates_merge(actor=recruiter_of(world), survivor_id=a.pk, merged_id=b.pk)
    with pytest.raises(Conflict):
        candidates_merge(actor=recruiter_of(world), survivor_id=c.pk, merged_id=a.pk)
    assert Application.objects.filter(candidate=c).count() == 1
