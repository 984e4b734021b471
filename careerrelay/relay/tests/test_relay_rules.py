"""Who reaches what in a network, consent and blocklists, and the credits ledger's rules."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Sum

from careerrelay.api.tests.helpers import call
from careerrelay.candidates.tests.factories import recruiter_of
from careerrelay.consent import purposes
from careerrelay.consent.services import consent_withdraw, sharing_blocks_set
from careerrelay.consent.tests.factories import PORTAL
from careerrelay.core import clock
from careerrelay.core.errors import Conflict, DomainValidationError
from careerrelay.orgs.tests.factories import make_org_world
from careerrelay.relay import introductions, sharing
from careerrelay.relay.credits import credits_finalise
from careerrelay.relay.models import Introduction, LedgerEntry, Placement, SharedProfile
from careerrelay.relay.selectors import partner_profiles
from careerrelay.relay.tests.factories import admin_of, make_relay, rejected_with_consent
from careerrelay.relay.tests.tenancy import ensure_network

pytestmark = pytest.mark.django_db


def test_only_operators_start_networks(client, world):
    body = {"name": "ネットワーク"}
    assert call(client, "POST", "/api/v1/relay/networks", world.admin_key, body).status_code == 422


def test_outsiders_reach_nothing_of_a_network(client, world, other_world):
    relay = make_relay(world)
    person = rejected_with_consent(world, 1)
    rejected_with_consent(world, 2)
    sharing.share_all_eligible(actor=recruiter_of(world), network_id=relay.network.pk)
    profile = SharedProfile.objects.filter(status="published").first()
    network = str(relay.network.pk)
    key = other_world.recruiter_key
    job = ensure_network(other_world).job_id
    before = SharedProfile.objects.count(), Introduction.objects.count(), LedgerEntry.objects.count()
    assert call(client, "GET", f"/api/v1/relay/profiles?network_id={network}", key).status_code == 404
    assert call(client, "POST", "/api/v1/relay/shares", key, {"network_id": network, "all": True}).status_code == 404
    ask = {"profile_id": str(profile.pk), "job_id": str(job)}
    assert call(client, "POST", "/api/v1/relay/introductions", key, ask).status_code == 404
    redeem = {"network_id": network}
    assert call(client, "POST", "/api/v1/relay/credits/redeem", key, redeem).status_code == 404
    share_foreign = {"network_id": network, "candidate_id": str(person.pk)}
    assert call(client, "POST", "/api/v1/relay/shares", relay.partner.recruiter_key, share_foreign).status_code == 404
    assert (SharedProfile.objects.count(), Introduction.objects.count(), LedgerEntry.objects.count()) == before


def test_withdrawal_and_erasure_take_the_profile_down_at_once(world):
    relay = make_relay(world)
    people = [rejected_with_consent(world, n) for n in range(3)]
    sharing.share_all_eligible(actor=recruiter_of(world), network_id=relay.network.pk)
    assert partner_profiles(org=relay.partner.org, network_id=relay.network.pk).count() == 3
    consent_withdraw(candidate=people[0], purpose=purposes.RELAY_SHARE, evidence=PORTAL)
    assert partner_profiles(org=relay.partner.org, network_id=relay.network.pk).count() == 2
    sharing.erase_profiles(people[1])
    # One left: fewer than k=2 share anything, so it is held back too.
    assert partner_profiles(org=relay.partner.org, network_id=relay.network.pk).count() == 0
    held = SharedProfile.objects.get(candidate=people[2])
    assert held.status == "held" and held.held_reason
    assert SharedProfile.objects.get(candidate=None).skills == []


def test_a_person_without_relay_consent_cannot_be_shared(world):
    relay = make_relay(world)
    person = rejected_with_consent(world, 1)
    consent_withdraw(candidate=person, purpose=purposes.RELAY_SHARE, evidence=PORTAL)
    with pytest.raises(Conflict):
        sharing.share_candidate(actor=recruiter_of(world), candidate_id=person.pk, network_id=relay.network.pk)
    assert not SharedProfile.objects.exists()


def test_the_blocklist_hides_the_profile_from_that_company(world):
    relay = make_relay(world)
    people = [rejected_with_consent(world, n) for n in range(2)]
    sharing_blocks_set(candidate=people[0], org_ids=[str(relay.partner.org.pk)], names=[])
    sharing_blocks_set(candidate=people[1], org_ids=[], names=[relay.agency.org.name])
    sharing.share_all_eligible(actor=recruiter_of(world), network_id=relay.network.pk)
    partner_sees = set(
        partner_profiles(org=relay.partner.org, network_id=relay.network.pk).values_list("pk", flat=True)
    )
    agency_sees = set(partner_profiles(org=relay.agency.org, network_id=relay.network.pk).values_list("pk", flat=True))
    assert SharedProfile.objects.get(candidate=people[0]).pk not in partner_sees
    assert SharedProfile.objects.get(candidate=people[1]).pk not in agency_sees
    assert SharedProfile.objects.get(candidate=people[0]).pk in agency_sees


def test_the_preview_is_what_partners_see(world):
    relay = make_relay(world)
    people = [rejected_with_consent(world, n) for n in range(2)]
    preview = sharing.share_preview(actor=recruiter_of(world), candidate_id=people[0].pk, network_id=relay.network.pk)
    assert not preview.published  # alone, fewer than k
    sharing.share_candidate(actor=recruiter_of(world), candidate_id=people[1].pk, network_id=relay.network.pk)
    preview = sharing.share_preview(actor=recruiter_of(world), candidate_id=people[0].pk, network_id=relay.network.pk)
    shared = sharing.share_candidate(actor=recruiter_of(world), candidate_id=people[0].pk, network_id=relay.network.pk)
    assert preview.published
    fields = ("shown_age", "shown_location", "shown_experience", "shown_industry", "summary", "skills")
    assert [getattr(preview.profile, f) for f in fields] == [getattr(shared, f) for f in fields]
    assert "高峰" not in shared.summary and "@" not in shared.summary


def _approved(relay, world, n: int) -> Introduction:
    profile = SharedProfile.objects.get(candidate__email=f"person{n}@example.jp")
    asked = introductions.introduction_request(
        actor=recruiter_of(relay.partner), profile_id=profile.pk, job_id=relay.partner_job.pk
    )
    return introductions.introduction_answer(
        candidate=profile.candidate, introduction_id=asked.pk, approve=True, evidence=PORTAL
    )


def test_a_hire_undone_inside_the_guarantee_takes_the_credit_back(world):
    relay = make_relay(world)
    for n in range(2):
        rejected_with_consent(world, n)
    sharing.share_all_eligible(actor=recruiter_of(world), network_id=relay.network.pk)
    introduction = _approved(relay, world, 0)
    partner = recruiter_of(relay.partner)
    introductions.introduction_outcome(actor=partner, introduction_id=introduction.pk, outcome="hired")
    introductions.introduction_outcome(actor=partner, introduction_id=introduction.pk, outcome="not_hired")
    assert Placement.objects.get().status == Placement.Status.REVERSED
    pending = LedgerEntry.objects.filter(holder=world.org).aggregate(total=Sum("amount"))["total"]
    assert pending == 0
    assert credits_finalise(clock.now() + timedelta(days=365)) == 0
    assert LedgerEntry.objects.aggregate(total=Sum("amount"))["total"] == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_and_replayed_hire_reports_book_one_credit_per_placement(world):
    relay = make_relay(world, k=2)
    count = 4
    for n in range(count):
        rejected_with_consent(world, n)
    sharing.share_all_eligible(actor=recruiter_of(world), network_id=relay.network.pk)
    approved = [_approved(relay, world, n) for n in range(count)]
    partner = recruiter_of(relay.partner)
    errors: list[BaseException] = []

    def report(introduction_id: object) -> None:
        try:
            introductions.introduction_outcome(actor=partner, introduction_id=introduction_id, outcome="hired")
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    # SQLite allows one writer at a time, so there the reports are replayed one after another;
    # on PostgreSQL three threads report each hire at once.
    parallel = connection.vendor == "postgresql"
    for introduction in approved:
        threads = [threading.Thread(target=report, args=(introduction.pk,)) for _ in range(3)]
        for thread in threads:
            thread.start()
            if not parallel:
                thread.join()
        for thread in threads:
            thread.join()
    assert errors == []
    assert Placement.objects.count() == count
    earned = LedgerEntry.objects.filter(kind="earned", holder=world.org)
    assert earned.count() == count and earned.aggregate(total=Sum("amount"))["total"] == count
    assert LedgerEntry.objects.aggregate(total=Sum("amount"))["total"] == 0


def test_operators_need_a_licence_in_japan_mode(db):
    from careerrelay.orgs.models import Organization
    from careerrelay.relay.networks import network_create

    operator = make_org_world("unlicensed", kind=Organization.Kind.OPERATOR)
    with pytest.raises(DomainValidationError) as caught:
        network_create(actor=admin_of(operator), name="無許可", japan_mode=True)
    assert caught.value.field == "japan_mode"
    assert network_create(actor=admin_of(operator), name="海外", japan_mode=False).k == 5


def test_during_the_first_look_window_only_first_look_members_see_new_profiles(world):
    from careerrelay.relay.models import NetworkMember

    relay = make_relay(world)
    relay.network.first_look_days = 7
    relay.network.save(update_fields=["first_look_days"])
    NetworkMember.objects.filter(network=relay.network, org=relay.agency.org).update(first_look=True)
    for n in range(2):
        rejected_with_consent(world, n)
    sharing.share_all_eligible(actor=recruiter_of(world), network_id=relay.network.pk)
    assert partner_profiles(org=relay.agency.org, network_id=relay.network.pk).count() == 2
    assert partner_profiles(org=relay.partner.org, network_id=relay.network.pk).count() == 0
    with clock.frozen_at(clock.now() + timedelta(days=8)):
        assert partner_profiles(org=relay.partner.org, network_id=relay.network.pk).count() == 2


def test_notifications_reach_the_orgs_admins_by_email_in_their_language(world):
    from careerrelay.accounts.models import SystemEmail
    from careerrelay.relay.models import Notification

    relay = make_relay(world)
    for n in range(2):
        rejected_with_consent(world, n)
    sharing.share_all_eligible(actor=recruiter_of(world), network_id=relay.network.pk)
    profile = SharedProfile.objects.filter(status="published").first()
    introductions.introduction_request(
        actor=recruiter_of(relay.partner), profile_id=profile.pk, job_id=relay.partner_job.pk
    )
    notice = Notification.objects.filter(org=world.org).latest("created_at")
    assert "面談依頼" in notice.text
    mail = SystemEmail.objects.filter(to=world.admin.email).latest("next_attempt_at")
    assert notice.text in mail.subject and "/relay/introductions/" in mail.body


def test_only_the_operator_adjusts_and_never_below_zero(client, world):
    relay = make_relay(world)
    body = {"network_id": str(relay.network.pk), "holder_id": str(world.org.pk), "amount": 2, "reason": "移行分"}
    assert call(client, "POST", "/api/v1/relay/credits/adjust", world.admin_key, body).status_code == 404
    assert call(client, "POST", "/api/v1/relay/credits/adjust", relay.operator.admin_key, body).status_code == 204
    too_much = {**body, "amount": -3, "reason": "誤り"}
    assert call(client, "POST", "/api/v1/relay/credits/adjust", relay.operator.admin_key, too_much).status_code == 409
    no_reason = {**body, "reason": " "}
    assert call(client, "POST", "/api/v1/relay/credits/adjust", relay.operator.admin_key, no_reason).status_code == 422
    balances = call(client, "GET", "/api/v1/relay/credits", world.viewer_key).json()["balances"]
    assert [(b["available"], b["issuer"]) for b in balances] == [(2, "")]
    assert LedgerEntry.objects.aggregate(total=Sum("amount"))["total"] == 0


def test_unused_slots_expire_oldest_first(world):
    from careerrelay.relay.credits import credit_adjust, credit_redeem, credits_expire

    relay = make_relay(world)
    operator = admin_of(relay.operator)
    start = clock.now()
    credit_adjust(actor=operator, network_id=relay.network.pk, holder_id=world.org.pk, amount=2, reason="初期付与")
    with clock.frozen_at(start + timedelta(days=200)):
        credit_adjust(actor=operator, network_id=relay.network.pk, holder_id=world.org.pk, amount=1, reason="追加")
        credit_redeem(actor=recruiter_of(world), network_id=relay.network.pk)
    expiry = relay.network.credit_expiry_months
    from careerrelay.core.dates import add_months

    # After the first grant's expiry: of its 2 slots one was used, so 1 lapses; the later one stays.
    assert credits_expire(add_months(start, expiry) + timedelta(days=1)) == 1
    assert credits_expire(add_months(start, expiry) + timedelta(days=1)) == 0
    from careerrelay.relay.credits import available

    assert available(relay.network, world.org, None) == 1
    assert LedgerEntry.objects.aggregate(total=Sum("amount"))["total"] == 0


def test_members_see_the_network_ranked_for_their_job_with_reasons(client, world):
    relay = make_relay(world)
    for n in range(2):
        rejected_with_consent(world, n, skills=["Python", "SQL"])
    for n in range(2, 4):
        rejected_with_consent(world, n, skills=["法人営業"], desired_roles=["営業"], prefecture="大阪")
    sharing.share_all_eligible(actor=recruiter_of(world), network_id=relay.network.pk)
    relay.partner_job.required_skills = ["Python"]
    relay.partner_job.save(update_fields=["required_skills"])
    from careerrelay.relay.matches import network_matches

    ranked = network_matches(org=relay.partner.org, network_id=relay.network.pk, job_id=relay.partner_job.pk)
    assert len(ranked) == 4
    assert all("Python" in m.profile.skills for m in ranked[:2]) and "Python" in ranked[0].reason["en"]
    assert ranked[0].score > ranked[-1].score
    browser = client
    browser.force_login(relay.partner.recruiter)
    page = browser.get(f"/relay/networks/{relay.network.pk}/profiles/", {"job": str(relay.partner_job.pk)})
    assert page.status_code == 200 and "Python" in page.content.decode()
    other = browser.get(f"/relay/networks/{relay.network.pk}/profiles/", {"job": str(ensure_network(world).job_id)})
    assert other.status_code == 404  # another org's job


def test_a_long_business_key_books_once_within_the_column(world):
    """Found by the fault drill on PostgreSQL: the expiry key of agency-scoped slots (three ids and a
    date) was 128 characters for a 120-character column, so the daily expiry job failed there."""
    from careerrelay.relay.credits import KEY_LENGTH, _book

    relay = make_relay(world)
    key = f"expire:{relay.network.pk}:{world.org.pk}:{relay.agency.org.pk}:2030-01-01"
    assert len(key) > KEY_LENGTH
    legs = [(world.org, LedgerEntry.Bucket.AVAILABLE, -1), (None, LedgerEntry.Bucket.ISSUANCE, 1)]

    assert _book(relay.network, key, LedgerEntry.Kind.EXPIRED, legs, issuer=relay.agency.org) is True
    assert _book(relay.network, key, LedgerEntry.Kind.EXPIRED, legs, issuer=relay.agency.org) is False

    stored = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.EXPIRED).values_list("business_key", flat=True)
    assert len(stored) == 2 and all(len(k) <= KEY_LENGTH and k.startswith("expire:") for k in stored)
