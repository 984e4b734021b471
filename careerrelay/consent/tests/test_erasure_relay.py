"""Erasure of a person who was shared in a relay network and introduced to a partner: the
anonymous profile is emptied, and only the APPI Art. 29 provision record keeps its minimum (the
person's name, the recipient, the items, the date, the consent); the partner's own copy, which it
received with the person's consent, is the partner's to answer for (docs/privacy.md)."""

from __future__ import annotations

import pytest

from careerrelay.candidates.models import Candidate
from careerrelay.candidates.tests.factories import recruiter_of
from careerrelay.consent.erasure import carry_out_erasures, erasure_request
from careerrelay.consent.export import personal_data_export
from careerrelay.consent.tests.factories import PORTAL
from careerrelay.consent.tests.scan import PERSON, TERMS, find
from careerrelay.core import clock
from careerrelay.orgs.tests.factories import OrgWorld
from careerrelay.relay import introductions, sharing
from careerrelay.relay.models import Introduction, ProvisionRecord, ReceiptRecord, SharedProfile
from careerrelay.relay.tests.factories import make_relay, rejected_with_consent

pytestmark = pytest.mark.django_db


def test_only_the_provision_records_minimum_keeps_the_name_after_erasure(world: OrgWorld) -> None:
    relay = make_relay(world, k=2)
    person = rejected_with_consent(world, 1, **PERSON)
    rejected_with_consent(world, 2)
    for candidate in Candidate.objects.filter(org=world.org):
        sharing.share_candidate(actor=recruiter_of(world), candidate_id=candidate.pk, network_id=relay.network.pk)
    profile = SharedProfile.objects.get(candidate=person)
    asked = introductions.introduction_request(
        actor=recruiter_of(relay.partner), profile_id=profile.pk, job_id=relay.partner_job.pk
    )
    introductions.introduction_answer(candidate=person, introduction_id=asked.pk, approve=True, evidence=PORTAL)
    provision = ProvisionRecord.objects.get(org=world.org)
    assert provision.person_name == "綾瀬 千尋"
    # The person's data download lists the provision (APPI Art. 33(5)).
    (listed,) = personal_data_export(person)["provisions_to_other_companies"]
    assert listed["recipient"] == relay.partner.org.name and "email" in listed["items"]
    partner = (relay.partner.org,)

    erasure_request(candidate=person, channel="portal", requested_by="candidate")
    assert carry_out_erasures(clock.now()) == 1

    # In the source org and everywhere but the partner's own pool, only the provision record's
    # minimum names the person.
    hits = find(TERMS, other_controllers=partner)
    assert hits and all(hit.startswith(f"relay.provisionrecord.person_name#{provision.pk}:") for hit in hits)
    provision.refresh_from_db()
    assert (provision.recipient, provision.recipient_name) == (relay.partner.org, relay.partner.org.name)
    assert provision.items and provision.consent_event_id and provision.provided_at and provision.keep_until
    profile.refresh_from_db()
    assert profile.candidate is None and profile.status == SharedProfile.Status.UNPUBLISHED and profile.summary == ""
    # The partner's copy is untouched: it received the data with consent and answers for it itself.
    introduction = Introduction.objects.get(pk=asked.pk)
    recipient = Candidate.objects.get(pk=introduction.recipient_candidate_id)
    assert recipient.org == relay.partner.org and recipient.email == PERSON["email"]
    assert ReceiptRecord.objects.get(org=relay.partner.org).person_name == "綾瀬 千尋"
