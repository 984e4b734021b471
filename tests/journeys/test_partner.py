"""Journey 3, the partner (another company in the same network): searches the network's
anonymous profiles, asks to meet one person for an open job, and after the person's yes (given
through the link in their email) reports the hire — which earns the source company a slot."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from careerrelay.candidates.tests.factories import recruiter_of
from careerrelay.core import clock
from careerrelay.orgs.tests.factories import make_org_world
from careerrelay.outreach.dispatch import dispatch_due
from careerrelay.relay.models import Introduction, LedgerEntry, Placement
from careerrelay.relay.sharing import share_all_eligible
from careerrelay.relay.tests.factories import make_relay, rejected_with_consent
from tests.journeys.helpers import browser_session, ja, link_in, shot


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_partner_searches_requests_an_introduction_and_reports_a_hire(
    live_server: object, smtp_server: object, settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # DB checks between browser steps
    base = str(live_server.url)  # type: ignore[attr-defined]
    settings.CAREERRELAY_PUBLIC_URL = base  # type: ignore[attr-defined]
    source = make_org_world("alpha")
    relay = make_relay(source, k=2)
    people = [rejected_with_consent(source, n) for n in range(3)]
    rejected_with_consent(source, 9, skills=["Excel"], desired_roles=["経理"])
    assert share_all_eligible(actor=recruiter_of(source), network_id=relay.network.pk) == 4

    with browser_session(base) as session:
        page = session.sign_in(relay.partner)

        # Search the network: anonymous profiles only, filtered by skill.
        page.get_by_role("navigation").get_by_role("link", name=ja("Career Relay"), exact=True).click()
        page.get_by_role("link", name=ja("Browse the network's people")).click()
        page.get_by_label(ja("Skills")).fill("Python")
        page.get_by_role("button", name=ja("Search")).click()
        cards = page.locator("section.card")
        expect(cards).to_have_count(3)
        for person in people:
            expect(page.locator("main")).not_to_contain_text(person.given_name)
            expect(page.locator("main")).not_to_contain_text(person.email)
        shot(page, "partner-1-search")

        # Ask to meet the first one, for the partner's open job.
        card = cards.first
        card.get_by_text(ja("Ask to meet this person")).click()
        card.get_by_label(ja("For which job")).select_option(label=str(relay.partner_job))
        card.get_by_label(ja("A word for the person")).fill("データ基盤チームでぜひ一度お話ししたいです。")
        shot(page, "partner-2-request")
        card.get_by_role("button", name=ja("Ask"), exact=True).click()
        asked = ja("Asked. The person decides; you will be told their answer.")
        expect(page.get_by_role("status")).to_contain_text(asked)
        introduction = Introduction.objects.get(org=relay.partner.org)
        assert introduction.status == Introduction.Status.REQUESTED and introduction.job == relay.partner_job
        person = introduction.profile.candidate
        expect(page.locator("main")).not_to_contain_text(person.given_name)

        # The person says yes from the link in the email they received.
        assert dispatch_due(clock.now()) == 1
        (mail,) = [m for m in smtp_server.messages if m["To"] == person.email]  # type: ignore[attr-defined]
        portal = session.page()
        portal.goto(link_in(mail, r"http://\S+/p/\S+/introductions/\S+/"))
        portal.get_by_role("button", name=ja("Yes, I would like to meet them")).click()
        expect(portal.get_by_role("status")).to_be_visible()

        # Now the partner sees who it is, and reports the hire.
        page.reload()
        row = page.get_by_role("row").filter(has_text=relay.partner_job.title).first
        expect(row).to_contain_text(person.given_name)
        row.get_by_label(ja("Outcome")).select_option(value=Introduction.Outcome.HIRED)
        shot(page, "partner-3-approved")
        row.get_by_role("button", name=ja("Report")).click()
        expect(page.get_by_role("status")).to_contain_text(ja("Outcome recorded."))
        shot(page, "partner-4-hired")
        page.get_by_role("link", name=person.display_name).click()  # now in the partner's own pool
        expect(page.locator("h1")).to_contain_text(person.display_name)
        placement = Placement.objects.get(introduction=introduction)
        assert placement.source_org == source.org and placement.org == relay.partner.org
        earned = LedgerEntry.objects.filter(holder=source.org, bucket="pending")
        assert sum(entry.amount for entry in earned) == relay.network.credits_per_hire

    assert session.errors == []  # no 4xx/5xx, CSP violation or script error
