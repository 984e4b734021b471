"""Shared setup for the four journeys (issue 9): a browser at 1280x800 in Japanese, sign-in,
screenshots into docs/journeys/, the mail a person receives, and a relay network seeded with the
same services the app uses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from django.db import connections
from django.utils import translation
from playwright.sync_api import Browser, Page, sync_playwright

from careerrelay.orgs.tests.factories import TEST_PASSWORD, OrgWorld
from tests.test_browser import CHROMIUM_ARGS, chromium_path

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "journeys"
VIEWPORT = {"width": 1280, "height": 800}
MAX_SHOT_BYTES = 300_000


def ja(message: str) -> str:
    """The Japanese the pages show for an English source string (labels found through the
    catalogue, so that a reworded translation does not break a journey)."""
    with translation.override("ja"):
        return translation.gettext(message)


@dataclass
class Session:
    browser: Browser
    base: str
    errors: list[str] = field(default_factory=list)

    def page(self) -> Page:
        context = self.browser.new_context(locale="ja-JP", viewport=VIEWPORT)  # type: ignore[arg-type]
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        # Any 4xx or 5xx the journey meets is a dead link or a broken page.
        page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.status} {r.url}"))
        return page

    def sign_in(self, world: OrgWorld, *, admin: bool = False) -> Page:
        page = self.page()
        page.goto(f"{self.base}/login/")
        page.get_by_label("メールアドレス").fill((world.admin if admin else world.recruiter).email)
        page.get_by_label("パスワード").fill(TEST_PASSWORD)
        page.get_by_role("button", name="ログイン").click()
        page.wait_for_url(f"{self.base}/")
        return page


@contextmanager
def browser_session(base: str) -> Iterator[Session]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            yield Session(browser=browser, base=base)
        finally:
            browser.close()
            # Queries made while Playwright's event loop runs in this thread get their own
            # connection (Django keys connections by async context); close it here, or
            # PostgreSQL refuses to drop the test database at the end ("being accessed by
            # other users").
            connections.close_all()


def shot(page: Page, name: str) -> Path:
    """Overwrite docs/journeys/<name>.png with the visible viewport (small enough to commit)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size < MAX_SHOT_BYTES, (path, path.stat().st_size)
    return path


def link_in(mail: EmailMessage, pattern: str = r"http://\S+/p/\S+/") -> str:
    body = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    found = re.search(pattern, body)
    assert found is not None, body
    return found.group(0)


def mail_to(smtp_server: object, address: str) -> list[EmailMessage]:
    return [m for m in smtp_server.messages if m["To"] == address]  # type: ignore[attr-defined]
