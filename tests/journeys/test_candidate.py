"""Journey 2, the candidate: opens the portal link from the rejection email the SMTP server
received, opts in to re-contact and the relay, later says yes to a partner's introduction
request (from that email's link), then withdraws the relay consent — and the profile is taken
down."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from careerrelay.candidates.models import Candidate, RejectionReason
from careerrelay.candidates.services import candidate_reject
from careerrelay.candidates.tests.factories import apply, recruiter_of
from careerrelay.consent import purposes
from careerrelay.consent.gate import consent_allows
from careerrelay.core import clock
from careerrelay.orgs.tests.factories import make_org_world
from careerrelay.outreach.dispatch import dispatch_due
from careerrelay.relay.introductions import introduction_request
from careerrelay.relay.models import Introduction, ProvisionRecord, SharedProfile
from careerrelay.relay.sharing import share_all_eligible
from careerrelay.relay.tests.factories import make_relay, rejected_with_consent
from tests.journeys.helpers import browser_session, ja, link_in, mail_to, shot

RELAY_LABEL = "An anonymous profile in the Career Relay network"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_candidate_opts_in_approves_an_introduction_and_withdraws(
    live_server: object, smtp_server: object, settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # DB checks between browser steps
    base = str(live_server.url)  # type: ignore[attr-defined]
    settings.CAREERRELAY_PUBLIC_URL = base  # type: ignore[attr-defined]
    world = make_org_world("alpha")
    world.org.settings = {"consent": {"rejection_email_timing": "immediate"}}
    world.org.save(update_fields=["settings"])
    relay = make_relay(world, k=2)
    rejected_with_consent(world, 1)  # someone already in the network with the same description
    person: Candidate = apply(
        world,
        email="hanako@example.jp",
        family_name="高峰",
        given_name="花子",
        birth_year=1991,
        prefecture="東京",
        years_experience=6,
        skills=["Python", "SQL"],
        desired_roles=["データエンジニア"],
    ).candidate
    reason = RejectionReason.objects.get(org=world.org, code="skills_gap")
    candidate_reject(
        actor=recruiter_of(world),
        application_id=person.applications.get().pk,
        reason_id=reason.pk,
        send_rejection_email=True,
    )
    assert dispatch_due(clock.now()) == 1
    (rejection,) = mail_to(smtp_server, "hanako@example.jp")
    portal_link = link_in(rejection)

    with browser_session(base) as session:
        page = session.page()

        # The rejection email's link: nothing ticked; they choose re-contact and the relay.
        page.goto(portal_link)
        expect(page.locator("input[type=checkbox]:checked")).to_have_count(0)
        shot(page, "candidate-1-portal")
        page.get_by_label(ja(RELAY_LABEL)).check()
        page.get_by_label(ja("Job offers from this company")).check()
        page.get_by_role("button", name=ja("Save my choices")).click()
        expect(page.get_by_role("status")).to_be_visible()
        shot(page, "candidate-2-opted-in")
        now = clock.now()
        assert consent_allows(person, purposes.RELAY_SHARE, at=now)
        assert consent_allows(person, purposes.RECONTACT, at=now)

        # Later: the company shares everyone who agreed; a partner asks to meet this person.
        assert share_all_eligible(actor=recruiter_of(world), network_id=relay.network.pk) == 2
        profile = SharedProfile.objects.get(candidate=person, network=relay.network)
        assert profile.status == SharedProfile.Status.PUBLISHED
        introduction_request(
            actor=recruiter_of(relay.partner),
            profile_id=profile.pk,
            job_id=relay.partner_job.pk,
            message="ぜひ一度お話ししたいです。",
        )
        assert dispatch_due(clock.now()) == 1
        (_, asked) = mail_to(smtp_server, "hanako@example.jp")
        page.goto(link_in(asked, r"http://\S+/p/\S+/introductions/\S+/"))
        expect(page.locator("h1")).to_have_text(ja("A company would like to meet you"))
        expect(page.locator("main")).to_contain_text(relay.partner.org.name)
        expect(page.locator("main")).to_contain_text("13-ユ-312345")  # the operator's licence (Japan mode)
        shot(page, "candidate-3-introduction")
        page.get_by_role("button", name=ja("Yes, I would like to meet them")).click()
        expect(page.get_by_role("status")).to_be_visible()
        introduction = Introduction.objects.get(profile=profile)
        assert introduction.status == Introduction.Status.APPROVED
        assert introduction.recipient_candidate is not None
        assert introduction.recipient_candidate.email == "hanako@example.jp"
        assert ProvisionRecord.objects.filter(candidate=person, recipient=relay.partner.org).count() == 1

        # Then they withdraw the relay consent: the profile leaves the network at once.
        page.goto(portal_link)
        withdraw = ja("Withdraw: %(label)s") % {"label": ja(RELAY_LABEL)}
        page.get_by_role("button", name=withdraw).click()
        expect(page.get_by_role("status")).to_be_visible()
        shot(page, "candidate-4-withdrawn")
        assert not consent_allows(person, purposes.RELAY_SHARE, at=clock.now())
        profile.refresh_from_db()
        assert profile.status == SharedProfile.Status.UNPUBLISHED

    assert session.errors == []  # no 4xx/5xx, CSP violation or script error
