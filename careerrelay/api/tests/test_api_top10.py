"""OWASP API Security Top 10 (2023): API1, API3, API4 and API6 tried against the real API.

Each test makes the attack an API client could make and asserts that it fails safely: the
answer is a problem, and nothing changed. docs/security.md maps these tests (and the older
ones that already cover an item) to the risks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Sum
from django.test import Client

from careerrelay.api.tests.helpers import call
from careerrelay.candidates.models import Application, Candidate, Evaluation, JobRequisition, RejectionReason
from careerrelay.candidates.services import job_create
from careerrelay.candidates.tests.factories import apply, recruiter_of
from careerrelay.core import clock
from careerrelay.orgs.models import ApiKey, Membership
from careerrelay.orgs.tests.factories import OrgWorld
from careerrelay.outreach.models import ScheduledMessage
from careerrelay.relay import sharing
from careerrelay.relay.models import Introduction, LedgerEntry, Placement, SharedProfile
from careerrelay.relay.tests.factories import Relay, make_relay, rejected_with_consent

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def _shared(world: OrgWorld, people: int = 3) -> tuple[Relay, list[Candidate], list[SharedProfile]]:
    """A network where `world` shared `people` rejected people who agreed to it."""
    relay = make_relay(world)
    candidates = [rejected_with_consent(world, n) for n in range(people)]
    sharing.share_all_eligible(actor=recruiter_of(world), network_id=relay.network.pk)
    profiles = list(SharedProfile.objects.filter(status=SharedProfile.Status.PUBLISHED).order_by("id"))
    assert len(profiles) == people
    return relay, candidates, profiles


def _ask(client: Client, relay: Relay, profile: SharedProfile, job: JobRequisition | None = None) -> Any:
    body = {"profile_id": str(profile.pk), "job_id": str((job or relay.partner_job).pk)}
    return call(client, "POST", "/api/v1/relay/introductions", relay.partner.recruiter_key, body)


def _approved(client: Client, relay: Relay, profile: SharedProfile) -> Introduction:
    from careerrelay.consent.tests.factories import PORTAL
    from careerrelay.relay.introductions import introduction_answer

    asked = _ask(client, relay, profile)
    assert asked.status_code == 201
    assert profile.candidate is not None
    return introduction_answer(
        candidate=profile.candidate, introduction_id=asked.json()["id"], approve=True, evidence=PORTAL
    )


def _keys(value: Any) -> set[str]:
    """Every member name anywhere in a JSON answer."""
    if isinstance(value, dict):
        return set(value) | {name for item in value.values() for name in _keys(item)}
    if isinstance(value, list):
        return {name for item in value for name in _keys(item)}
    return set()


# API1: broken object level authorization ------------------------------------------------------


def test_api1_another_orgs_candidate_and_application_are_404_by_id_and_unchanged(
    client: Client, world: OrgWorld, other_world: OrgWorld
) -> None:
    application = apply(other_world, email="taro@beta.example.jp", family_name="山田")
    candidate = application.candidate
    before = (Candidate.objects.filter(pk=candidate.pk).values().get(), application.status)
    key = world.admin_key
    path = f"/api/v1/candidates/{candidate.pk}"
    own_reason = RejectionReason.objects.filter(org=world.org).first()
    assert own_reason is not None
    evaluation = {"interviewer": "面接官", "stage": "一次面接", "scores": {"技術": 5}}
    attempts = [
        call(client, "GET", path, key),
        call(client, "PATCH", path, key, {"city": "横浜市"}),
        call(client, "POST", f"/api/v1/applications/{application.pk}/reject", key, {"reason_id": str(own_reason.pk)}),
        call(client, "POST", f"/api/v1/applications/{application.pk}/evaluations", key, evaluation),
        call(client, "GET", f"/api/v1/candidates/{candidate.pk}/consents", key),
        call(client, "GET", f"/api/v1/candidates/{candidate.pk}/personal-data", key),
    ]
    for response in attempts:
        assert response.status_code == 404, response.content
        assert response["Content-Type"] == PROBLEM
        assert "山田" not in response.content.decode() and "taro@beta" not in response.content.decode()
    assert (Candidate.objects.filter(pk=candidate.pk).values().get(), Application.objects.get().status) == before
    assert not Evaluation.objects.exists()


def test_api1_another_orgs_member_and_api_key_cannot_be_removed_or_revoked(
    client: Client, world: OrgWorld, other_world: OrgWorld
) -> None:
    member = Membership.objects.get(org=other_world.org, user=other_world.viewer)
    key = ApiKey.objects.get(org=other_world.org, role="viewer")
    assert call(client, "DELETE", f"/api/v1/members/{member.pk}", world.admin_key).status_code == 404
    assert call(client, "POST", f"/api/v1/api-keys/{key.pk}/revoke", world.admin_key).status_code == 404
    assert Membership.objects.filter(pk=member.pk).exists()
    assert call(client, "GET", "/api/v1/org", other_world.viewer_key).status_code == 200  # the key still works


def test_api1_only_the_requester_reports_an_introductions_outcome(client: Client, world: OrgWorld) -> None:
    relay, _people, profiles = _shared(world)
    introduction = _approved(client, relay, profiles[0])
    path = f"/api/v1/relay/introductions/{introduction.pk}/outcome"
    # The source (which would earn the credit) and another member try to report the hire.
    for key in (world.recruiter_key, relay.agency.recruiter_key, relay.operator.admin_key):
        response = call(client, "POST", path, key, {"outcome": "hired"})
        assert response.status_code == 404 and response["Content-Type"] == PROBLEM
    introduction.refresh_from_db()
    assert introduction.outcome == "" and not Placement.objects.exists() and not LedgerEntry.objects.exists()
    # Nor do they see it in their own list of introductions.
    for key in (world.recruiter_key, relay.agency.recruiter_key):
        listed = call(client, "GET", "/api/v1/relay/introductions", key).json()["items"]
        assert str(introduction.pk) not in {item["id"] for item in listed}


# API3: broken object property level authorization ----------------------------------------------


def test_api3_answers_never_carry_password_or_key_hashes(client: Client, world: OrgWorld) -> None:
    secret_hashes = [key.secret_hash for key in ApiKey.objects.filter(org=world.org)]
    password_hashes = [world.admin.password, world.recruiter.password, world.viewer.password]
    for path in ("/api/v1/api-keys", "/api/v1/members", "/api/v1/org", "/api/v1/audit-events"):
        response = call(client, "GET", path, world.admin_key)
        assert response.status_code == 200, path
        text = response.content.decode()
        assert not {"password", "secret_hash", "secret"} & _keys(response.json()), path
        for value in [*secret_hashes, *password_hashes, world.admin_key, world.viewer_key]:
            assert value not in text, path


def test_api3_a_partner_sees_no_identity_or_source_notes_before_the_persons_yes(
    client: Client, world: OrgWorld
) -> None:
    relay, people, profiles = _shared(world)
    listed = call(client, "GET", f"/api/v1/relay/profiles?network_id={relay.network.pk}", relay.partner.recruiter_key)
    asked = _ask(client, relay, profiles[0])
    assert asked.status_code == 201
    mine = call(client, "GET", "/api/v1/relay/introductions", relay.partner.recruiter_key)
    for response in (listed, asked, mine):
        text = response.content.decode()
        for person in people:
            for secret in (person.email, person.phone, person.family_name, person.given_name, "ひみつシステム"):
                assert secret not in text
        names = _keys(response.json())
        assert not {"email", "phone", "family_name", "birth_year", "prefecture", "candidate"} & names
    assert asked.json()["candidate_id"] is None  # the partner's own pool record exists only after a yes
    # The source's internal evaluation text reaches partners only scrubbed of contacts and names.
    summaries = [item["summary"] for item in listed.json()["items"]]
    assert summaries and all("高峰" not in s and "@example.jp" not in s for s in summaries)


def test_api3_clients_cannot_set_org_id_erasure_or_timestamps(
    client: Client, world: OrgWorld, other_world: OrgWorld
) -> None:
    forged = {
        "org": str(other_world.org.pk),
        "org_id": str(other_world.org.pk),
        "id": "01900000-0000-7000-8000-000000000001",
        "erased_at": "2020-01-01T00:00:00Z",
        "created_at": "2020-01-01T00:00:00Z",
        "merged_into": "01900000-0000-7000-8000-000000000002",
    }
    created = call(client, "POST", "/api/v1/candidates", world.recruiter_key, {"family_name": "佐藤", **forged})
    assert created.status_code == 201
    candidate = Candidate.objects.get(pk=created.json()["candidate"]["id"])
    assert candidate.org == world.org and str(candidate.pk) != forged["id"]
    assert candidate.erased_at is None and candidate.merged_into_id is None
    assert candidate.created_at.year == clock.now().year and not Candidate.objects.filter(org=other_world.org)

    path = f"/api/v1/candidates/{candidate.pk}"
    patched = call(client, "PATCH", path, world.recruiter_key, {"city": "横浜市", **forged})
    assert patched.status_code == 200
    after = Candidate.objects.get(pk=candidate.pk)
    assert after.city == "横浜市" and after.org == world.org and after.erased_at is None
    assert after.created_at == candidate.created_at and after.merged_into_id is None


def test_api3_an_introduction_request_cannot_set_its_own_status_or_outcome(client: Client, world: OrgWorld) -> None:
    relay, _people, profiles = _shared(world)
    body = {
        "profile_id": str(profiles[0].pk),
        "job_id": str(relay.partner_job.pk),
        "status": "approved",
        "outcome": "hired",
        "recipient_candidate_id": str(profiles[1].pk),
        "org": str(world.org.pk),
    }
    asked = call(client, "POST", "/api/v1/relay/introductions", relay.partner.recruiter_key, body)
    assert asked.status_code == 201
    introduction = Introduction.objects.get(pk=asked.json()["id"])
    assert (introduction.status, introduction.outcome, introduction.recipient_candidate_id) == ("requested", "", None)
    assert introduction.org == relay.partner.org
    hire = {"outcome": "hired"}
    path = f"/api/v1/relay/introductions/{introduction.pk}/outcome"
    assert call(client, "POST", path, relay.partner.recruiter_key, hire).status_code == 409
    assert not Placement.objects.exists()


# API4: unrestricted resource consumption ------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/candidates?limit=201",
        "/api/v1/audit-events?limit=100000",
        "/api/v1/relay/introductions?limit=1000",
        "/api/v1/messages?limit=201",
        "/api/v1/candidates?limit=0",
    ],
)
def test_api4_a_page_size_over_the_cap_is_a_422_naming_limit(client: Client, world: OrgWorld, path: str) -> None:
    response = call(client, "GET", path, world.admin_key)
    assert response.status_code == 422 and response["Content-Type"] == PROBLEM
    assert "limit" in response.content.decode()


def test_api4_oversized_members_of_a_body_are_refused_before_anything_is_written(
    client: Client, world: OrgWorld
) -> None:
    too_long = {"family_name": "佐藤", "resume_text": "あ" * 200_001}
    too_many = {"family_name": "佐藤", "skills": [f"skill{n}" for n in range(201)]}
    for body in (too_long, too_many):
        response = call(client, "POST", "/api/v1/candidates", world.recruiter_key, body)
        assert response.status_code == 422 and response["Content-Type"] == PROBLEM
    assert not Candidate.objects.exists()


def test_api4_guessing_keys_from_one_address_is_rate_limited(client: Client, world: OrgWorld, settings: Any) -> None:
    settings.CAREERRELAY_API_RATE_LIMIT = 5
    statuses = [call(client, "GET", "/api/v1/org", f"cr_guess{n}_wrong").status_code for n in range(5)]
    limited = call(client, "GET", "/api/v1/org", "cr_guess9_wrong")
    assert statuses == [401] * 5
    assert limited.status_code == 429 and limited["Content-Type"] == PROBLEM
    assert int(limited["Retry-After"]) >= 1


# API6: unrestricted access to sensitive business flows (the relay network) -------------------


def test_api6_a_member_cannot_mail_a_person_again_while_its_question_is_open(client: Client, world: OrgWorld) -> None:
    relay, _people, profiles = _shared(world)
    second_job = job_create(actor=recruiter_of(relay.partner), title="分析エンジニア")
    assert _ask(client, relay, profiles[0]).status_code == 201
    again = _ask(client, relay, profiles[0], second_job)
    same_job = _ask(client, relay, profiles[0])
    assert again.status_code == 409 and same_job.status_code == 409
    assert again["Content-Type"] == PROBLEM
    assert Introduction.objects.count() == 1
    assert ScheduledMessage.objects.filter(idempotency_key__startswith="introduction:").count() == 1


def test_api6_introduction_requests_are_capped_per_member_per_day(
    client: Client, world: OrgWorld, settings: Any
) -> None:
    settings.CAREERRELAY_RELAY_REQUESTS_PER_DAY = 2
    relay, _people, profiles = _shared(world, people=4)
    start = clock.now()
    with clock.frozen_at(start):
        assert [_ask(client, relay, profile).status_code for profile in profiles[:3]] == [201, 201, 409]
        # The cap is the member's own: another member still asks.
        agency = {"profile_id": str(profiles[3].pk), "job_id": str(relay.agency_job.pk)}
        by_agency = call(client, "POST", "/api/v1/relay/introductions", relay.agency.recruiter_key, agency)
        assert by_agency.status_code == 201
    assert Introduction.objects.filter(org=relay.partner.org).count() == 2
    with clock.frozen_at(start + timedelta(hours=25)):
        assert _ask(client, relay, profiles[2]).status_code == 201


def test_api6_a_hire_earns_one_credit_however_it_is_reported(client: Client, world: OrgWorld) -> None:
    relay, _people, profiles = _shared(world)
    introduction = _approved(client, relay, profiles[0])
    path = f"/api/v1/relay/introductions/{introduction.pk}/outcome"
    key = relay.partner.recruiter_key
    outcomes = ["hired", "hired", "not_hired", "hired"]
    statuses = [call(client, "POST", path, key, {"outcome": outcome}).status_code for outcome in outcomes]
    # A repeated hire books nothing new; once undone inside the guarantee, it cannot be re-earned.
    assert statuses == [200, 200, 200, 409]
    assert Placement.objects.count() == 1
    assert LedgerEntry.objects.filter(kind="earned").count() == 2  # one transaction: issuance and pending legs
    held = LedgerEntry.objects.filter(holder=world.org).aggregate(total=Sum("amount"))["total"]
    assert held == 0
    assert LedgerEntry.objects.aggregate(total=Sum("amount"))["total"] == 0


def test_api6_a_slot_is_redeemed_only_by_its_holder_and_only_once(client: Client, world: OrgWorld) -> None:
    relay = make_relay(world)
    network = str(relay.network.pk)
    grant = {"network_id": network, "holder_id": str(world.org.pk), "amount": 1, "reason": "初期付与"}
    assert call(client, "POST", "/api/v1/relay/credits/adjust", relay.operator.admin_key, grant).status_code == 204
    redeem = {"network_id": network}
    agency_slot = {"network_id": network, "issuer_id": str(relay.agency.org.pk)}
    # Another member cannot spend the holder's slot, nor the holder an agency slot it lacks.
    assert call(client, "POST", "/api/v1/relay/credits/redeem", relay.partner.recruiter_key, redeem).status_code == 409
    assert call(client, "POST", "/api/v1/relay/credits/redeem", world.recruiter_key, agency_slot).status_code == 409
    # Viewers cannot spend, a member's admin cannot mint (only the operator adjusts).
    assert call(client, "POST", "/api/v1/relay/credits/redeem", world.viewer_key, redeem).status_code == 403
    self_grant = {**grant, "amount": 5}
    assert call(client, "POST", "/api/v1/relay/credits/adjust", world.admin_key, self_grant).status_code == 404
    assert call(client, "POST", "/api/v1/relay/credits/redeem", world.recruiter_key, redeem).status_code == 201
    assert call(client, "POST", "/api/v1/relay/credits/redeem", world.recruiter_key, redeem).status_code == 409
    balances = call(client, "GET", "/api/v1/relay/credits", world.viewer_key).json()["balances"]
    assert [(b["pending"], b["available"]) for b in balances] == [(0, 0)]
    assert LedgerEntry.objects.aggregate(total=Sum("amount"))["total"] == 0


def test_api6_a_member_cannot_ask_for_a_person_its_own_company_shared(client: Client, world: OrgWorld) -> None:
    relay, _people, profiles = _shared(world)
    own_job = job_create(actor=recruiter_of(world), title="データエンジニア")
    body = {"profile_id": str(profiles[0].pk), "job_id": str(own_job.pk)}
    response = call(client, "POST", "/api/v1/relay/introductions", world.recruiter_key, body)
    assert response.status_code == 409 and not Introduction.objects.exists()
    assert relay.network.pk  # the network the person was shared to
