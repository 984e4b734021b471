"""Consent services: what a grant records, append-only events, policy versions, expiry, blocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from careerrelay.consent import hooks, purposes
from careerrelay.consent.models import ConsentEvent, PolicyVersion, SharingBlock
from careerrelay.consent.policy import current_policy, shown_text, text_hash
from careerrelay.consent.services import (
    consent_grant,
    consent_record,
    consent_withdraw,
    consent_withdraw_all,
    consents_expire,
    policy_save,
    sharing_blocks_set,
)
from careerrelay.consent.tests.factories import PORTAL, candidate_in
from careerrelay.core.errors import DomainValidationError, NotFound, PermissionDenied
from careerrelay.orgs.actors import Actor

T0 = datetime(2026, 2, 2, 1, 0, tzinfo=UTC)


def _admin(world):
    return Actor(org=world.org, role="admin", user=world.admin, ip="192.0.2.1")


@pytest.mark.django_db
def test_a_grant_records_policy_text_hash_channel_ip_and_agent(world):
    candidate = candidate_in(world)
    event = consent_grant(candidate=candidate, purpose=purposes.RELAY_SHARE, language="en", evidence=PORTAL, at=T0)
    policy = current_policy(org=world.org)
    assert event.policy == policy
    assert event.text_hash == text_hash(shown_text(policy, purposes.RELAY_SHARE, "en"))
    assert "never my name" in shown_text(policy, purposes.RELAY_SHARE, "en")
    assert (event.channel, event.ip, event.user_agent) == ("portal", "198.51.100.7", "Mozilla/5.0 (iPhone)")
    assert event.kind == ConsentEvent.Kind.GRANTED


@pytest.mark.django_db
def test_the_hash_covers_the_language_shown(world):
    candidate = candidate_in(world)
    ja = consent_grant(candidate=candidate, purpose=purposes.RECONTACT, language="ja", evidence=PORTAL, at=T0)
    en = consent_grant(candidate=candidate, purpose=purposes.RECONTACT, language="en", evidence=PORTAL, at=T0)
    assert ja.text_hash != en.text_hash


@pytest.mark.django_db
def test_events_cannot_be_rewritten_or_deleted(world):
    event = consent_grant(
        candidate=candidate_in(world), purpose=purposes.RECONTACT, language="ja", evidence=PORTAL, at=T0
    )
    event.purpose = purposes.NEWSLETTER
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    assert ConsentEvent.objects.get(pk=event.pk).purpose == purposes.RECONTACT


@pytest.mark.django_db
def test_unknown_purposes_are_refused(world):
    with pytest.raises(DomainValidationError) as caught:
        consent_grant(candidate=candidate_in(world), purpose="sell_data", language="ja", evidence=PORTAL)
    assert caught.value.field == "purpose"


@pytest.mark.django_db
def test_withdrawal_runs_the_hooks_in_the_same_transaction_and_only_when_in_force(world):
    seen: list[hooks.Withdrawal] = []
    hooks.on_withdrawn(seen.append)
    try:
        candidate = candidate_in(world)
        assert consent_withdraw(candidate=candidate, purpose=purposes.RECONTACT, evidence=PORTAL, at=T0) is None
        consent_grant(candidate=candidate, purpose=purposes.RECONTACT, language="ja", evidence=PORTAL, at=T0)
        consent_withdraw(candidate=candidate, purpose=purposes.RECONTACT, evidence=PORTAL, at=T0 + timedelta(1))
    finally:
        hooks._withdrawn.remove(seen.append)
    assert [(w.candidate.pk, w.purpose) for w in seen] == [(candidate.pk, purposes.RECONTACT)]


@pytest.mark.django_db
def test_a_failing_hook_rolls_the_withdrawal_back(world):
    candidate = candidate_in(world)
    consent_grant(candidate=candidate, purpose=purposes.RECONTACT, language="ja", evidence=PORTAL, at=T0)

    def broken(withdrawal: hooks.Withdrawal) -> None:
        raise RuntimeError("the outbox is unreachable")

    hooks.on_withdrawn(broken)
    try:
        with pytest.raises(RuntimeError):
            consent_withdraw(candidate=candidate, purpose=purposes.RECONTACT, evidence=PORTAL, at=T0 + timedelta(1))
    finally:
        hooks._withdrawn.remove(broken)
    assert not ConsentEvent.objects.filter(candidate=candidate, kind=ConsentEvent.Kind.WITHDRAWN).exists()


@pytest.mark.django_db
def test_withdraw_all_ends_every_purpose_in_force(world, other_world):
    candidate = candidate_in(world)
    for purpose in (purposes.RECONTACT, purposes.NEWSLETTER, purposes.disclose(other_world.org.pk)):
        consent_grant(candidate=candidate, purpose=purpose, language="ja", evidence=PORTAL, at=T0)
    assert consent_withdraw_all(candidate=candidate, evidence=PORTAL, at=T0 + timedelta(1)) == 3
    assert consent_withdraw_all(candidate=candidate, evidence=PORTAL, at=T0 + timedelta(2)) == 0


@pytest.mark.django_db
def test_expiry_appends_an_expired_event_once_and_runs_the_hooks(world):
    candidate = candidate_in(world)
    grant = consent_grant(candidate=candidate, purpose=purposes.RECONTACT, language="ja", evidence=PORTAL, at=T0)
    seen: list[hooks.Withdrawal] = []
    hooks.on_withdrawn(seen.append)
    try:
        assert consents_expire(grant.expires_at - timedelta(seconds=1)) == 0
        assert consents_expire(grant.expires_at + timedelta(days=1)) == 1
        assert consents_expire(grant.expires_at + timedelta(days=2)) == 0
    finally:
        hooks._withdrawn.remove(seen.append)
    expired = ConsentEvent.objects.get(candidate=candidate, kind=ConsentEvent.Kind.EXPIRED)
    assert expired.occurred_at == grant.expires_at
    assert len(seen) == 1


@pytest.mark.django_db
def test_a_regrant_before_expiry_is_not_expired(world):
    candidate = candidate_in(world)
    first = consent_grant(candidate=candidate, purpose=purposes.RECONTACT, language="ja", evidence=PORTAL, at=T0)
    consent_grant(
        candidate=candidate, purpose=purposes.RECONTACT, language="ja", evidence=PORTAL, at=T0 + timedelta(30)
    )
    assert consents_expire(first.expires_at + timedelta(days=1)) == 0


def _texts(policy: PolicyVersion, edit: str = "") -> tuple[dict, dict]:
    notice = {**policy.notice, "ja": policy.notice["ja"] + edit}
    return notice, policy.statements


@pytest.mark.django_db
def test_an_unused_policy_is_corrected_in_place_a_used_one_becomes_a_new_version(world):
    admin = _admin(world)
    v1 = current_policy(org=world.org)
    corrected = policy_save(actor=admin, notice=_texts(v1, "（改訂）")[0], statements=v1.statements)
    assert corrected.pk == v1.pk and corrected.number == 1
    event = consent_grant(candidate=candidate_in(world), purpose=purposes.RECONTACT, language="ja", evidence=PORTAL)
    v2 = policy_save(actor=admin, notice=_texts(corrected, "（再改訂）")[0], statements=v1.statements)
    assert v2.number == 2 and v2.pk != v1.pk
    v1.refresh_from_db()
    assert v1.notice["ja"].endswith("（改訂）")
    assert ConsentEvent.objects.get(pk=event.pk).policy_id == v1.pk


@pytest.mark.django_db
def test_policy_texts_need_both_languages_and_admins(world):
    policy = current_policy(org=world.org)
    with pytest.raises(DomainValidationError) as caught:
        policy_save(actor=_admin(world), notice={"ja": policy.notice["ja"], "en": " "}, statements=policy.statements)
    assert caught.value.field == "notice_en"
    recruiter = Actor(org=world.org, role="recruiter", user=world.recruiter)
    with pytest.raises(PermissionDenied):
        policy_save(actor=recruiter, notice=policy.notice, statements=policy.statements)


@pytest.mark.django_db
def test_recorded_consent_needs_evidence_and_stays_in_the_org(world, other_world):
    candidate = candidate_in(world)
    recruiter = Actor(org=world.org, role="recruiter", user=world.recruiter)
    with pytest.raises(DomainValidationError):
        consent_record(
            actor=recruiter, candidate_id=candidate.pk, purpose=purposes.RECONTACT, granted=True, evidence_note=""
        )
    event = consent_record(
        actor=recruiter,
        candidate_id=candidate.pk,
        purpose=purposes.RECONTACT,
        granted=True,
        evidence_note="面接時の同意書（2026-02-01, 紙）",
    )
    assert event is not None and event.channel == "recruiter" and "同意書" in event.evidence
    stranger = Actor(org=other_world.org, role="admin", user=other_world.admin)
    with pytest.raises(NotFound):
        consent_record(
            actor=stranger, candidate_id=candidate.pk, purpose=purposes.RECONTACT, granted=False, evidence_note="x"
        )
    assert ConsentEvent.objects.filter(candidate=candidate).count() == 1


@pytest.mark.django_db
def test_sharing_blocks_are_replaced_as_a_whole(world, other_world):
    candidate = candidate_in(world)
    sharing_blocks_set(
        candidate=candidate, org_ids=[str(other_world.org.pk)], names=["株式会社サンプル", "株式会社サンプル"]
    )
    assert SharingBlock.objects.filter(candidate=candidate).count() == 2
    sharing_blocks_set(candidate=candidate, org_ids=[], names=[])
    assert not SharingBlock.objects.filter(candidate=candidate).exists()
