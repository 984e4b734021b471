"""The candidate's journey in Debian's chromium: a recruiter rejects; the real email arrives at an
SMTP server on loopback; the person opens the link, opts in, changes a wish, later withdraws. The
database is checked after each step."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import expect, sync_playwright

from careerrelay.candidates.models import Application
from careerrelay.candidates.tests.factories import apply
from careerrelay.consent import purposes
from careerrelay.consent.gate import consent_allows
from careerrelay.consent.models import ConsentEvent
from careerrelay.core import clock
from careerrelay.orgs.tests.factories import TEST_PASSWORD, make_org_world
from careerrelay.outreach.dispatch import dispatch_due
from careerrelay.outreach.models import ScheduledMessage
from tests.test_browser import CHROMIUM_ARGS, chromium_path

PHONE_UA = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_rejected_candidate_opts_in_changes_a_wish_and_withdraws(
    live_server: object, smtp_server: object, settings: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Playwright's sync API runs an event loop in this thread; the checks between steps are
    # ordinary synchronous queries, which Django refuses there unless told it is safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    base = str(live_server.url)  # type: ignore[attr-defined]
    settings.CAREERRELAY_PUBLIC_URL = base  # type: ignore[attr-defined]
    world = make_org_world("journey")
    world.org.settings = {"consent": {"rejection_email_timing": "immediate"}}
    world.org.save(update_fields=["settings"])
    application = apply(world, desired_roles=["バックエンドエンジニア"])
    candidate = application.candidate
    errors: list[str] = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)

        # 1. The recruiter rejects, with the rejection email (ticked by default).
        recruiter = browser.new_page(locale="ja-JP")
        recruiter.on("console", lambda m: m.type == "error" and errors.append(m.text))
        recruiter.goto(f"{base}/login/")
        recruiter.get_by_label("メールアドレス").fill(world.recruiter.email)
        recruiter.get_by_label("パスワード").fill(TEST_PASSWORD)
        recruiter.get_by_role("button", name="ログイン").click()
        recruiter.goto(f"{base}/candidates/{candidate.pk}/")
        recruiter.get_by_text("不採用・辞退を記録").click()
        recruiter.get_by_label("理由").select_option(label="スキル・経験の不足 / Skills or experience gap")
        expect(recruiter.get_by_label("不採用通知メールを送る")).to_be_checked()
        recruiter.get_by_role("button", name="応募をクローズする").click()
        expect(recruiter.get_by_role("status")).to_be_visible()
        application.refresh_from_db()
        assert application.status == Application.Status.REJECTED
        (queued,) = ScheduledMessage.objects.filter(candidate=candidate)
        assert queued.status == ScheduledMessage.Status.PLANNED

        # 2. The worker sends it; the real email arrives.
        assert dispatch_due(clock.now()) == 1
        (mail,) = smtp_server.messages  # type: ignore[attr-defined]
        body = mail.get_body(preferencelist=("plain",)).get_content()
        link = re.search(r"http://\S+/p/\S+/", body)
        assert link is not None, body
        queued.refresh_from_db()
        assert queued.status == ScheduledMessage.Status.SENT and mail["Message-ID"] == queued.message_id

        # 3. The person opens the link on a phone and opts in to the relay and to re-contact.
        person = browser.new_context(locale="ja-JP", user_agent=PHONE_UA, viewport={"width": 390, "height": 844})
        phone = person.new_page()
        phone.on("console", lambda m: m.type == "error" and errors.append(m.text))
        phone.goto(link.group(0))
        expect(phone.get_by_role("heading", name="あなたの情報と、あなたの選択")).to_be_visible()
        expect(phone.locator("input[type=checkbox]:checked")).to_have_count(0)
        phone.get_by_label("キャリアリレー・ネットワークへの匿名プロフィールの掲載").check()
        phone.get_by_label("この会社からの求人のご案内").check()
        phone.get_by_role("button", name="選択を保存する").click()
        expect(phone.get_by_role("status")).to_contain_text("選択を保存しました")
        now = clock.now()
        assert consent_allows(candidate, purposes.RELAY_SHARE, at=now)
        assert consent_allows(candidate, purposes.RECONTACT, at=now)
        assert not consent_allows(candidate, purposes.NEWSLETTER, at=now)
        granted = ConsentEvent.objects.get(candidate=candidate, purpose=purposes.RELAY_SHARE)
        assert (granted.channel, granted.user_agent, granted.ip) == ("portal", PHONE_UA, "127.0.0.1")
        phone.screenshot(path=str(tmp_path / "portal-choices.png"), full_page=True)

        # 4. They change what they are looking for.
        phone.get_by_role("link", name="ご希望").click()
        phone.get_by_label("希望する職種").fill("データエンジニア")
        phone.get_by_role("button", name="保存").click()
        expect(phone.get_by_role("status")).to_contain_text("ご希望を保存しました")
        candidate.refresh_from_db()
        assert candidate.desired_roles == ["データエンジニア"]

        # 5. Later, they withdraw the relay consent in one click; re-contact stays.
        phone.get_by_role("button", name="取り消す：キャリアリレー・ネットワークへの匿名プロフィールの掲載").click()
        expect(phone.get_by_role("status")).to_contain_text("取り消しました")
        now = clock.now()
        assert not consent_allows(candidate, purposes.RELAY_SHARE, at=now)
        assert consent_allows(candidate, purposes.RECONTACT, at=now)
        assert ConsentEvent.objects.filter(candidate=candidate, kind=ConsentEvent.Kind.WITHDRAWN).count() == 1
        browser.close()
        connections.close_all()  # the connection opened inside Playwright's loop (see tests/journeys/helpers.py)

    assert errors == []  # no CSP violations or script errors
