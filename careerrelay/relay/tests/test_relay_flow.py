"""The relay end to end across three orgs and an agency: share → search → request → the person
answers in the portal (real email, real link) → identity → hire → credit; and the declined path.
Before a yes, nothing a partner can reach names the person."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db.models import Sum
from django.test import Client

from careerrelay.api.tests.helpers import call
from careerrelay.candidates.models import Candidate
from careerrelay.consent import purposes
from careerrelay.consent.gate import consent_allows
from careerrelay.core import clock
from careerrelay.outreach.dispatch import dispatch_due
from careerrelay.relay.credits import credits_finalise
from careerrelay.relay.models import (
    Introduction,
    LedgerEntry,
    Placement,
    ProvisionRecord,
    ReceiptRecord,
    SharedProfile,
)
from careerrelay.relay.tests.factories import make_relay, rejected_with_consent

pytestmark = pytest.mark.django_db


def _secrets(candidate: Candidate) -> list[str]:
    return [
        candidate.family_name,
        candidate.given_name,
        candidate.family_name_kana,
        candidate.given_name_kana,
        candidate.email,
        candidate.phone,
        candidate.phone[3:],
        "ひみつシステム",
    ]


def _assert_anonymous(text: str, candidates: list[Candidate]) -> None:
    for candidate in candidates:
        for secret in _secrets(candidate):
            assert secret not in text, secret


def _link_in(mail) -> str:
    body = mail.get_body(preferencelist=("plain",)).get_content()
    found = re.search(r"http://\S+/p/\S+/introductions/\S+/", body)
    assert found is not None, body
    return found.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_share_search_request_yes_hire_and_credit(client, world, smtp_server):
    relay = make_relay(world)
    people = [rejected_with_consent(world, n) for n in range(3)]
    network = str(relay.network.pk)

    shared = call(client, "POST", "/api/v1/relay/shares", world.recruiter_key, {"network_id": network, "all": True})
    assert shared.status_code == 201 and shared.json()["shared"] == 3

    found = call(
        client, "GET", f"/api/v1/relay/profiles?network_id={network}&skills=Python", relay.partner.recruiter_key
    )
    items = found.json()["items"]
    assert len(items) == 3 and {item["location"] for item in items} == {"東京都"}
    _assert_anonymous(found.content.decode(), people)

    profile_id = items[0]["id"]
    person = SharedProfile.objects.get(pk=profile_id).candidate
    asked = call(
        client,
        "POST",
        "/api/v1/relay/introductions",
        relay.partner.recruiter_key,
        {"profile_id": profile_id, "job_id": str(relay.partner_job.pk), "message": "ぜひ一度お話ししたいです。"},
    )
    assert asked.status_code == 201
    _assert_anonymous(asked.content.decode(), people)
    listed = call(client, "GET", "/api/v1/relay/introductions", relay.partner.recruiter_key)
    _assert_anonymous(listed.content.decode(), people)

    assert dispatch_due(clock.now()) == 1
    (mail,) = smtp_server.messages
    assert mail["To"] == person.email
    assert "gamma 株式会社" in mail["Subject"]
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "データエンジニア" in body and "13-ユ-312345" in body

    portal = Client()
    link = _link_in(mail)
    page = portal.get(link)
    assert page.status_code == 200 and "gamma 株式会社" in page.content.decode()
    assert portal.post(link, {"answer": "yes"}).status_code == 302

    introduction = Introduction.objects.get(pk=asked.json()["id"])
    assert introduction.status == Introduction.Status.APPROVED
    assert consent_allows(person, purposes.disclose(relay.partner.org.pk), at=clock.now())
    seen = call(client, "GET", f"/api/v1/candidates/{introduction.recipient_candidate_id}", relay.partner.recruiter_key)
    assert seen.json()["email"] == person.email and seen.json()["source"] == "relay"
    provision = ProvisionRecord.objects.get(org=world.org)
    assert provision.recipient == relay.partner.org and "email" in provision.items and provision.consent_event
    receipt = ReceiptRecord.objects.get(org=relay.partner.org)
    assert receipt.provider == world.org and "キャリアリレー" in receipt.how_obtained
    # The others stay anonymous to the partner.
    _assert_anonymous(
        call(
            client, "GET", f"/api/v1/relay/profiles?network_id={network}", relay.partner.recruiter_key
        ).content.decode(),
        [p for p in people if p != person],
    )

    path = f"/api/v1/relay/introductions/{introduction.pk}/outcome"
    for _ in range(3):
        assert call(client, "POST", path, relay.partner.recruiter_key, {"outcome": "hired"}).status_code == 200
    assert Placement.objects.count() == 1
    credits = call(client, "GET", "/api/v1/relay/credits", world.viewer_key).json()
    assert [(b["pending"], b["available"]) for b in credits["balances"]] == [(1, 0)]

    credits_finalise(clock.now() + timedelta(days=relay.network.guarantee_days + 1))
    credits = call(client, "GET", "/api/v1/relay/credits", world.viewer_key).json()
    assert [(b["pending"], b["available"]) for b in credits["balances"]] == [(0, 1)]
    redeem = {"network_id": network, "note": "次の採用で利用"}
    assert call(client, "POST", "/api/v1/relay/credits/redeem", world.recruiter_key, redeem).status_code == 201
    assert call(client, "POST", "/api/v1/relay/credits/redeem", world.recruiter_key, redeem).status_code == 409
    assert LedgerEntry.objects.aggregate(total=Sum("amount"))["total"] == 0


def test_a_no_reveals_nothing_and_an_agency_asks_for_its_client(client, world, smtp_server):
    relay = make_relay(world)
    people = [rejected_with_consent(world, n) for n in range(2)]
    call(
        client, "POST", "/api/v1/relay/shares", world.recruiter_key, {"network_id": str(relay.network.pk), "all": True}
    )
    profile = SharedProfile.objects.filter(status="published").first()
    asked = call(
        client,
        "POST",
        "/api/v1/relay/introductions",
        relay.agency.recruiter_key,
        {"profile_id": str(profile.pk), "job_id": str(relay.agency_job.pk), "client_company": "株式会社クライアント"},
    )
    assert asked.status_code == 201
    dispatch_due(clock.now())
    (mail,) = smtp_server.messages
    assert "株式会社クライアント" in mail.get_body(preferencelist=("plain",)).get_content()
    portal = Client()
    assert portal.post(_link_in(mail), {"answer": "no"}).status_code == 302
    introduction = Introduction.objects.get(pk=asked.json()["id"])
    assert introduction.status == Introduction.Status.DECLINED and introduction.recipient_candidate_id is None
    assert not Candidate.objects.filter(org=relay.agency.org).exists()
    assert not ProvisionRecord.objects.exists()
    answer = call(client, "GET", "/api/v1/relay/introductions", relay.agency.recruiter_key)
    _assert_anonymous(answer.content.decode(), people)
    assert portal.post(_link_in(mail), {"answer": "yes"}).status_code == 302  # too late: refused
    introduction.refresh_from_db()
    assert introduction.status == Introduction.Status.DECLINED


def test_only_an_agency_names_a_client_and_only_for_open_jobs_of_ones_own(client, world):
    relay = make_relay(world)
    rejected_with_consent(world, 1)
    rejected_with_consent(world, 2)
    call(
        client, "POST", "/api/v1/relay/shares", world.recruiter_key, {"network_id": str(relay.network.pk), "all": True}
    )
    profile = SharedProfile.objects.filter(status="published").first()
    body = {"profile_id": str(profile.pk), "job_id": str(relay.partner_job.pk), "client_company": "X社"}
    assert call(client, "POST", "/api/v1/relay/introductions", relay.partner.recruiter_key, body).status_code == 422
    body = {"profile_id": str(profile.pk), "job_id": str(relay.agency_job.pk)}
    assert call(client, "POST", "/api/v1/relay/introductions", relay.partner.recruiter_key, body).status_code == 404
    own = {"profile_id": str(profile.pk), "job_id": str(relay.partner_job.pk)}
    assert call(client, "POST", "/api/v1/relay/introductions", world.recruiter_key, own).status_code in (404, 409)


def test_before_a_yes_no_page_or_answer_a_partner_reaches_names_the_person(client, world):
    relay = make_relay(world)
    people = [rejected_with_consent(world, n) for n in range(3)]
    network = str(relay.network.pk)
    call(client, "POST", "/api/v1/relay/shares", world.recruiter_key, {"network_id": network, "all": True})
    profile = SharedProfile.objects.filter(status="published").first()
    asked = call(
        client,
        "POST",
        "/api/v1/relay/introductions",
        relay.partner.recruiter_key,
        {"profile_id": str(profile.pk), "job_id": str(relay.partner_job.pk)},
    )
    texts = [asked.content.decode()]
    for path in (
        f"/api/v1/relay/profiles?network_id={network}",
        "/api/v1/relay/introductions",
        "/api/v1/relay/credits",
        "/api/v1/relay/networks",
        f"/api/v1/relay/networks/{network}/members",
    ):
        texts.append(call(client, "GET", path, relay.partner.admin_key).content.decode())
    browser = Client()
    browser.force_login(relay.partner.admin)
    for path in ("/relay/", f"/relay/networks/{network}/profiles/", "/relay/introductions/", "/relay/credits/", "/"):
        page = browser.get(path)
        assert page.status_code == 200, path
        texts.append(page.content.decode())
    for text in texts:
        _assert_anonymous(text, people)
    # The source sees its own people, of course; the check above is not vacuous.
    browser.force_login(world.admin)
    assert people[0].family_name in browser.get("/relay/introductions/").content.decode()
