"""Journey 1, the recruiter: signs in, imports a Shift_JIS CSV with Japanese headers, rejects an
imported applicant with the relay email (it reaches a real SMTP server with the portal link),
sees a past candidate matched to a job with the reason, and shares a consenting person."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from careerrelay.candidates.imports.jobs import run_queued_imports
from careerrelay.candidates.imports.tests.helpers import JA_HEADER, csv_bytes, ja_row
from careerrelay.candidates.models import Application, Candidate
from careerrelay.candidates.tests.factories import recruiter_of
from careerrelay.core import clock
from careerrelay.matching.tests.helpers import open_job, rejected
from careerrelay.orgs.tests.factories import make_org_world
from careerrelay.outreach.dispatch import dispatch_due
from careerrelay.relay.models import SharedProfile
from careerrelay.relay.sharing import share_candidate
from careerrelay.relay.tests.factories import make_relay, rejected_with_consent
from tests.journeys.helpers import browser_session, ja, link_in, mail_to, shot


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_recruiter_imports_rejects_with_the_relay_email_sees_matches_and_shares(
    live_server: object, smtp_server: object, settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # DB checks between browser steps
    base = str(live_server.url)  # type: ignore[attr-defined]
    settings.CAREERRELAY_PUBLIC_URL = base  # type: ignore[attr-defined]
    world = make_org_world("alpha")
    world.org.settings = {"consent": {"rejection_email_timing": "immediate"}}
    world.org.save(update_fields=["settings"])
    relay = make_relay(world, k=2)
    open_job(world, title="データエンジニア", required_skills=["Python", "SQL"], prefecture="東京都")
    past = rejected(
        world,
        family_name="過去",
        given_name="花子",
        email="kako@example.jp",
        phone="080-3333-0001",
        skills=["Python", "SQL"],
        prefecture="東京",
    )
    already = rejected_with_consent(world, 11)
    share_candidate(actor=recruiter_of(world), candidate_id=already.pk, network_id=relay.network.pk)
    consenting = rejected_with_consent(world, 12)
    rows = [JA_HEADER, ja_row(1, ステータス="選考中", 不採用理由="", 再スカウト可=""), ja_row(2)]

    with browser_session(base) as session:
        page = session.sign_in(world)

        # Import: a Shift_JIS file from a Japanese ATS, columns found from the header row.
        page.get_by_role("navigation").get_by_role("link", name=ja("Import"), exact=True).click()
        page.get_by_label(ja("CSV file (UTF-8 or Shift_JIS)")).set_input_files(
            {"name": "応募者一覧.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows, "cp932")}
        )
        shot(page, "recruiter-1-import")
        page.get_by_role("button", name=ja("Import"), exact=True).click()
        received = ja("The file was received; it is processed in the background.")
        expect(page.get_by_role("status")).to_contain_text(received)
        assert run_queued_imports() == 1  # what the worker's run_imports job does
        page.reload()
        expect(page.get_by_text(ja("All rows were imported."))).to_be_visible()
        expect(page.get_by_text("cp932")).to_be_visible()
        shot(page, "recruiter-2-imported")
        taro = Candidate.objects.get(org=world.org, email="taro1@example.jp")
        assert Candidate.objects.filter(org=world.org, email__in=["taro1@example.jp", "taro2@example.jp"]).count() == 2

        # Reject the open applicant; the rejection email (ticked by default) goes out.
        page.goto(f"{base}/candidates/{taro.pk}/")
        expect(page.locator("h1")).to_contain_text("山田")
        page.get_by_text(ja("Reject or record a withdrawal")).click()
        page.get_by_label(ja("Reason")).select_option(label="スキル・経験の不足 / Skills or experience gap")
        expect(page.get_by_label(ja("Send the rejection email"))).to_be_checked()
        shot(page, "recruiter-3-reject")
        page.get_by_role("button", name=ja("Close the application")).click()
        expect(page.get_by_role("status")).to_be_visible()
        application = Application.objects.get(candidate=taro)
        assert application.status == Application.Status.REJECTED
        assert dispatch_due(clock.now()) == 1
        (mail,) = mail_to(smtp_server, "taro1@example.jp")
        assert link_in(mail).startswith(f"{base}/p/")

        # The job's matches: the past candidate, with the reason.
        page.get_by_role("navigation").get_by_role("link", name=ja("Jobs"), exact=True).click()
        page.get_by_role("link", name="データエンジニア").first.click()
        row = page.get_by_role("row").filter(has_text="過去 花子")
        expect(row).to_contain_text("一致: Python、SQL")
        shot(page, "recruiter-4-matches")
        expect(row.get_by_role("link")).to_have_attribute("href", f"/candidates/{past.candidate_id}/")

        # Share a consenting person: preview exactly what partners see, then publish.
        page.goto(f"{base}/candidates/{consenting.pk}/")
        page.get_by_role("link", name=relay.network.name).click()
        expect(page.locator("h1")).to_have_text(ja("What partners will see"))
        expect(page.locator("main")).not_to_contain_text("高峰")
        shot(page, "recruiter-5-share-preview")
        page.get_by_role("button", name=ja("Share to the network")).click()
        expect(page.get_by_role("status")).to_contain_text(ja("Published to the network."))
        profile = SharedProfile.objects.get(candidate=consenting, network=relay.network)
        assert profile.status == SharedProfile.Status.PUBLISHED

    assert session.errors == []  # no 4xx/5xx, CSP violation or script error
