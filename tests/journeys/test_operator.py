"""Journey 4, the operator: opens the network's figures and sees the hires, then the members'
free referral slots with the ones the source company earned; the source company follows the
hire notice to its own slot page and sees the same slots."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from careerrelay.candidates.tests.factories import recruiter_of
from careerrelay.consent.tests.factories import PORTAL
from careerrelay.orgs.tests.factories import make_org_world
from careerrelay.relay.introductions import introduction_answer, introduction_outcome, introduction_request
from careerrelay.relay.models import LedgerEntry, Placement, SharedProfile
from careerrelay.relay.sharing import share_all_eligible
from careerrelay.relay.tests.factories import Relay, make_relay, rejected_with_consent
from tests.journeys.helpers import browser_session, ja, shot

HIRES = 5  # the dashboard shows a figure about fewer than 5 people as "<5"


def _hire_everyone(relay: Relay) -> None:
    """The partner meets and hires each shared person, through the same services as its pages."""
    partner = recruiter_of(relay.partner)
    for profile in SharedProfile.objects.filter(network=relay.network, status=SharedProfile.Status.PUBLISHED):
        asked = introduction_request(actor=partner, profile_id=profile.pk, job_id=relay.partner_job.pk)
        introduction_answer(candidate=profile.candidate, introduction_id=asked.pk, approve=True, evidence=PORTAL)
        introduction_outcome(actor=partner, introduction_id=asked.pk, outcome="hired")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_operator_sees_the_hires_and_the_source_its_earned_slots(
    live_server: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # DB checks between browser steps
    base = str(live_server.url)  # type: ignore[attr-defined]
    source = make_org_world("alpha")
    relay = make_relay(source, k=2)
    for n in range(HIRES):
        rejected_with_consent(source, n)
    assert share_all_eligible(actor=recruiter_of(source), network_id=relay.network.pk) == HIRES
    _hire_everyone(relay)
    assert Placement.objects.filter(network=relay.network, source_org=source.org).count() == HIRES
    earned = HIRES * relay.network.credits_per_hire

    with browser_session(base) as session:
        # The operator: the network's figures per member company.
        operator = session.sign_in(relay.operator, admin=True)
        operator.get_by_role("navigation").get_by_role("link", name=ja("Career Relay"), exact=True).click()
        shot(operator, "operator-1-network")
        operator.get_by_role("link", name=ja("The network's figures")).click()
        expect(operator.locator("h1")).to_have_text(relay.network.name)
        row = operator.get_by_role("row").filter(has_text=source.org.name)
        # shared, viewed (nobody opened a profile page here, and under 5 shows "<5"), requested, approved, hired
        figures = [str(HIRES), "<5", str(HIRES), str(HIRES), str(HIRES)]
        expect(row.locator("td")).to_have_text([source.org.name, *figures])
        partner_row = operator.get_by_role("row").filter(has_text=relay.partner.org.name)
        expect(partner_row.locator("td").last).to_have_text("<5")  # the partner shared nobody
        shot(operator, "operator-2-dashboard")

        # The operator: every member's slots, the source's earned ones pending their guarantee.
        operator.get_by_role("navigation").get_by_role("link", name=ja("Career Relay"), exact=True).click()
        operator.get_by_role("link", name=ja("Members' free referral slots")).click()
        source_row = operator.locator(f'tr[data-company="{source.org.slug}"]')
        expect(source_row.locator('[data-figure="earned"]')).to_have_text(str(earned))
        expect(source_row.locator('[data-figure="pending"]')).to_have_text(str(earned))
        expect(source_row.locator('[data-figure="available"]')).to_have_text("0")
        shot(operator, "operator-3-member-slots")

        # The source company: the hire notice leads to the slots it earned.
        admin = session.sign_in(source, admin=True)
        admin.get_by_role("navigation").get_by_role("link", name=ja("Career Relay"), exact=True).click()
        notice = ja("A person you shared was hired by %(org)s. A free referral slot is on its way.") % {
            "org": relay.partner.org.name
        }
        admin.get_by_role("link", name=notice).first.click()
        expect(admin.locator("h1")).to_have_text(ja("Free referral slots"))
        expect(admin.locator('[data-figure="pending"]')).to_have_text(str(earned))
        expect(admin.locator('[data-figure="available"]')).to_have_text("0")
        shot(admin, "operator-4-credits")
        assert sum(e.amount for e in LedgerEntry.objects.filter(holder=source.org, bucket="pending")) == earned

    assert session.errors == []  # no 4xx/5xx, CSP violation or script error
