"""The demo recruiter's first minutes, in Debian's chromium driven by Playwright."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from careerrelay.accounts.models import User
from careerrelay.demo.seed import DEMO_PASSWORD, DEMO_RECRUITER, seed_demo
from careerrelay.orgs.models import Membership
from careerrelay.orgs.selectors import memberships_of_user

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.fail("Debian's chromium is not installed: `apt-get install chromium` (.ci/run does it)")
    return path


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_recruiter_logs_in_switches_org_and_language(live_server: object, tmp_path: Path) -> None:
    seed_demo(scale=0.03)
    recruiter = User.objects.get(email=DEMO_RECRUITER)
    first, second = (m.org for m in memberships_of_user(recruiter))
    members_of_first = str(Membership.objects.filter(org=first).count())
    base = str(live_server.url)  # type: ignore[attr-defined]
    console_errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(locale="en-US")
        page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
        page.on("response", lambda response: response.status >= 400 and console_errors.append(response.url))

        page.goto(f"{base}/login/")
        expect(page.locator("h1")).to_have_text("ログイン")
        page.get_by_label("メールアドレス").fill(DEMO_RECRUITER)
        page.get_by_label("パスワード").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="ログイン").click()

        expect(page.locator("h1")).to_have_text(first.name)
        expect(page.get_by_role("heading", name="あなたの最近の操作")).to_be_visible()
        expect(page.locator('[data-figure="members"]')).to_have_text(members_of_first)

        page.get_by_label("組織").select_option(label=second.name)
        expect(page.locator("h1")).to_have_text(second.name)
        expect(page.get_by_role("status")).to_contain_text(f"{second.name} に切り替えました。")
        expect(page.locator("html")).to_have_attribute("lang", "ja")

        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("heading", name="Your recent activity")).to_be_visible()
        expect(page.get_by_role("navigation").get_by_role("link", name="Members", exact=True)).to_be_visible()
        page.screenshot(path=str(tmp_path / "home-en.png"), full_page=True)
        browser.close()

    assert console_errors == []  # no CSP violations or script errors
    recruiter.refresh_from_db()
    assert recruiter.language == "en"
