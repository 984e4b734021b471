"""Portal links: one person each, expiring by the one clock, useless once tampered or erased."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from django.core import signing

from careerrelay.consent.tests.factories import candidate_in
from careerrelay.consent.tokens import check_token, link_lifetime, portal_token, portal_token_for
from careerrelay.core import clock

T0 = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.mark.django_db
def test_a_fresh_token_names_its_person(world):
    candidate = candidate_in(world)
    with clock.frozen_at(T0):
        token = portal_token(candidate)
        check = check_token(token)
    assert check.candidate == candidate and not check.expired


@pytest.mark.django_db
def test_an_old_token_is_expired_but_still_names_its_person_for_renewal(world):
    candidate = candidate_in(world)
    with clock.frozen_at(T0):
        token = portal_token(candidate)
    with clock.frozen_at(T0 + link_lifetime() + timedelta(seconds=1)):
        check = check_token(token)
    assert check.candidate == candidate and check.expired


@pytest.mark.django_db
@pytest.mark.parametrize("tamper", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: "x" + t, lambda t: ""])
def test_a_tampered_token_names_nobody(world, tamper):
    token = portal_token(candidate_in(world))
    check = check_token(tamper(token))
    assert check.candidate is None


@pytest.mark.django_db
def test_a_token_is_useless_after_erasure(world):
    candidate = candidate_in(world)
    token = portal_token(candidate)
    candidate.erased_at = clock.now()
    candidate.save(update_fields=["erased_at"])
    assert check_token(token).candidate is None


@pytest.mark.django_db
def test_tokens_of_two_people_differ_and_do_not_contain_their_email(world):
    first = candidate_in(world)
    second = candidate_in(world, email="other@example.jp", phone="", family_name_kana="ベツジン")
    assert portal_token(first) != portal_token(second)
    assert "example" not in portal_token(first).lower()


@pytest.mark.parametrize("issued", [T0, datetime(2031, 12, 31, 23, 59, 59, tzinfo=UTC)])
def test_a_token_is_byte_for_byte_what_djangos_sign_object_makes(issued):
    person = UUID("01a217d3-4bef-7750-aeac-70cd34e56519")
    with clock.frozen_at(issued):
        ours = portal_token_for(person)
    expected = signing.Signer(salt="careerrelay.portal.v1").sign_object({"c": person.hex, "i": int(issued.timestamp())})
    assert ours == expected
    assert signing.Signer(salt="careerrelay.portal.v1").unsign_object(ours) == {
        "c": person.hex,
        "i": int(issued.timestamp()),
    }
