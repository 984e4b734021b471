"""The consent gate: the log's latest event up to an instant decides, grants expire, erasure ends all."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careerrelay.candidates.models import Candidate
from careerrelay.consent import purposes
from careerrelay.consent.gate import consent_allows, consent_states, consenting_candidate_ids, first_consenting
from careerrelay.consent.models import ConsentEvent
from careerrelay.consent.services import consent_grant, consent_withdraw
from careerrelay.consent.tests.factories import PORTAL, candidate_in
from careerrelay.core.dates import add_months

T0 = datetime(2026, 1, 15, 3, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_nothing_is_allowed_before_a_grant(world):
    candidate = candidate_in(world)
    assert not consent_allows(candidate, purposes.RECONTACT, at=T0)


@pytest.mark.django_db
def test_a_grant_allows_its_purpose_only_from_its_instant(world):
    candidate = candidate_in(world)
    consent_grant(candidate=candidate, purpose=purposes.RECONTACT, language="ja", evidence=PORTAL, at=T0)
    assert consent_allows(candidate, purposes.RECONTACT, at=T0)
    assert not consent_allows(candidate, purposes.RECONTACT, at=T0 - timedelta(seconds=1))
    assert not consent_allows(candidate, purposes.RELAY_SHARE, at=T0)


@pytest.mark.django_db
def test_a_grant_expires_after_the_orgs_consent_months(world):
    candidate = candidate_in(world)
    event = consent_grant(candidate=candidate, purpose=purposes.NEWSLETTER, language="en", evidence=PORTAL, at=T0)
    assert event.expires_at == add_months(T0, 24)
    assert consent_allows(candidate, purposes.NEWSLETTER, at=event.expires_at - timedelta(seconds=1))
    assert not consent_allows(candidate, purposes.NEWSLETTER, at=event.expires_at)


@pytest.mark.django_db
def test_withdrawal_ends_consent_and_a_new_grant_restores_it(world):
    candidate = candidate_in(world)
    consent_grant(candidate=candidate, purpose=purposes.RELAY_SHARE, language="ja", evidence=PORTAL, at=T0)
    consent_withdraw(candidate=candidate, purpose=purposes.RELAY_SHARE, evidence=PORTAL, at=T0 + timedelta(days=1))
    assert not consent_allows(candidate, purposes.RELAY_SHARE, at=T0 + timedelta(days=2))
    assert consent_allows(candidate, purposes.RELAY_SHARE, at=T0 + timedelta(hours=1))
    consent_grant(
        candidate=candidate, purpose=purposes.RELAY_SHARE, language="ja", evidence=PORTAL, at=T0 + timedelta(days=3)
    )
    assert consent_allows(candidate, purposes.RELAY_SHARE, at=T0 + timedelta(days=4))


@pytest.mark.django_db
def test_an_erased_person_allows_nothing(world):
    candidate = candidate_in(world)
    consent_grant(candidate=candidate, purpose=purposes.RECONTACT, language="ja", evidence=PORTAL, at=T0)
    candidate.erased_at = T0 + timedelta(days=1)
    assert not consent_allows(candidate, purposes.RECONTACT, at=T0 + timedelta(days=2))


@pytest.mark.django_db
def test_disclosure_consent_names_one_company(world, other_world):
    candidate = candidate_in(world)
    to_beta = purposes.disclose(other_world.org.pk)
    consent_grant(candidate=candidate, purpose=to_beta, language="ja", evidence=PORTAL, at=T0)
    assert consent_allows(candidate, to_beta, at=T0)
    assert not consent_allows(candidate, purposes.disclose(world.org.pk), at=T0)


@pytest.mark.django_db
def test_the_bulk_gate_lists_exactly_the_people_in_force_in_that_org(world, other_world):
    granted = candidate_in(world, email="a@example.jp", phone="", family_name_kana="アオキ")
    withdrawn = candidate_in(world, email="b@example.jp", phone="", family_name_kana="イシイ")
    never = candidate_in(world, email="c@example.jp", phone="", family_name_kana="ウエダ")
    elsewhere = candidate_in(other_world, email="a@example.jp")
    for person in (granted, withdrawn, elsewhere):
        consent_grant(candidate=person, purpose=purposes.RECONTACT, language="ja", evidence=PORTAL, at=T0)
    consent_withdraw(candidate=withdrawn, purpose=purposes.RECONTACT, evidence=PORTAL, at=T0 + timedelta(days=1))
    ids = set(
        consenting_candidate_ids(org=world.org, purpose=purposes.RECONTACT, at=T0 + timedelta(days=2)).values_list(
            "pk", flat=True
        )
    )
    assert ids == {granted.pk}
    assert never.pk not in ids
    assert not set(
        consenting_candidate_ids(org=world.org, purpose=purposes.RECONTACT, at=add_months(T0, 25)).values_list(
            "pk", flat=True
        )
    )


# The specification, written independently of the gate: walk the history in time order.
def _spec(history: list[tuple[int, str]], at: int, months: int = 24) -> bool:
    state = False
    expires: datetime | None = None
    for offset, kind in sorted(history, key=lambda item: item[0]):
        if offset > at:
            break
        moment = T0 + timedelta(days=offset)
        if kind == "grant":
            state, expires = True, add_months(moment, months)
        else:
            state, expires = False, None
    return state and expires is not None and T0 + timedelta(days=at) < expires


_people = itertools.count()
histories = st.lists(
    st.tuples(st.integers(min_value=0, max_value=1500), st.sampled_from(["grant", "withdraw"])),
    max_size=8,
    unique_by=lambda item: item[0],
)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=histories, instants=st.lists(st.integers(min_value=-10, max_value=1600), min_size=1, max_size=6))
def test_the_gate_agrees_with_the_specification_over_random_histories(world, history, instants):
    # Examples share the test's database, so each one is a new person with no history.
    n = next(_people)
    candidate = candidate_in(world, email=f"person{n}@example.jp", phone="", family_name_kana=f"テスト{n}")
    assert not ConsentEvent.objects.filter(candidate=candidate).exists()
    for offset, kind in sorted(history, key=lambda item: item[0]):
        moment = T0 + timedelta(days=offset)
        if kind == "grant":
            consent_grant(candidate=candidate, purpose=purposes.RECONTACT, language="ja", evidence=PORTAL, at=moment)
        else:
            consent_withdraw(candidate=candidate, purpose=purposes.RECONTACT, evidence=PORTAL, at=moment)
    for instant in instants:
        at = T0 + timedelta(days=instant)
        expected = _spec(history, instant)
        assert consent_allows(candidate, purposes.RECONTACT, at=at) is expected
        in_bulk = consenting_candidate_ids(org=world.org, purpose=purposes.RECONTACT, at=at).filter(pk=candidate.pk)
        assert in_bulk.exists() is expected
        (state,) = consent_states(candidate, [purposes.RECONTACT], at=at)
        assert state.in_force is expected
        in_order = first_consenting(
            org=world.org, purpose=purposes.RECONTACT, at=at, candidate_ids=[candidate.pk], limit=1
        )
        assert in_order == ([candidate.pk] if expected else [])


@pytest.mark.django_db
def test_a_grant_without_an_expiry_is_in_force_for_both_gates(world):
    candidate = candidate_in(world)
    ConsentEvent.objects.create(
        org=world.org, candidate=candidate, purpose=purposes.RECONTACT, kind="granted", channel="import", occurred_at=T0
    )
    later = T0 + timedelta(days=4000)
    assert consent_allows(candidate, purposes.RECONTACT, at=later)
    assert (
        consenting_candidate_ids(org=world.org, purpose=purposes.RECONTACT, at=later).filter(pk=candidate.pk).exists()
    )
    assert first_consenting(
        org=world.org, purpose=purposes.RECONTACT, at=later, candidate_ids=[candidate.pk], limit=1
    ) == [candidate.pk]


@pytest.mark.django_db
def test_the_first_consenting_keep_the_callers_order_and_stop_at_the_limit(world, other_world):
    people = [
        candidate_in(world, email=f"order{n}@example.jp", phone="", family_name_kana=f"ジュン{n}") for n in range(8)
    ]
    erased, merged, withdrawn, other_purpose = people[4:]
    elsewhere = candidate_in(other_world, email="order-elsewhere@example.jp")
    for person in (*people[:4], erased, merged, withdrawn, elsewhere):
        consent_grant(candidate=person, purpose=purposes.RECONTACT, language="ja", evidence=PORTAL, at=T0)
    consent_grant(candidate=other_purpose, purpose=purposes.NEWSLETTER, language="ja", evidence=PORTAL, at=T0)
    consent_withdraw(candidate=withdrawn, purpose=purposes.RECONTACT, evidence=PORTAL, at=T0 + timedelta(days=1))
    Candidate.objects.filter(pk=erased.pk).update(erased_at=T0 + timedelta(days=1))
    Candidate.objects.filter(pk=merged.pk).update(merged_into=people[0])
    at = T0 + timedelta(days=2)
    # The ranker's order, the people it may not use mixed in among those it may.
    asked = [people[3].pk, erased.pk, elsewhere.pk, people[1].pk, withdrawn.pk, merged.pk]
    asked += [other_purpose.pk, people[2].pk, people[0].pk]

    def first(limit: int) -> list:
        return first_consenting(org=world.org, purpose=purposes.RECONTACT, at=at, candidate_ids=asked, limit=limit)

    assert first(10) == [people[3].pk, people[1].pk, people[2].pk, people[0].pk]
    assert first(2) == [people[3].pk, people[1].pk]
    assert first(0) == []
    assert first_consenting(org=world.org, purpose=purposes.RECONTACT, at=at, candidate_ids=[], limit=5) == []
    # The bulk gate's answer for the same people, in the same order.
    allowed = set(
        consenting_candidate_ids(org=world.org, purpose=purposes.RECONTACT, at=at)
        .filter(pk__in=asked)
        .values_list("pk", flat=True)
    )
    assert first(10) == [pk for pk in asked if pk in allowed]
