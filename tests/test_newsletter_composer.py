"""The newsletter composer in Debian's chromium: typing updates both languages' previews, and
choosing a prefecture updates the recipient count before anything is saved."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from careerrelay.orgs.tests.factories import make_org_world
from careerrelay.outreach.models import Newsletter
from careerrelay.outreach.tests.newsletter_helpers import person
from tests.journeys.helpers import browser_session


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_composer_previews_both_languages_and_counts_the_segment(
    live_server: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    base = str(live_server.url)  # type: ignore[attr-defined]
    world = make_org_world("composer")
    person(world, prefecture="東京")
    person(world, prefecture="東京")
    person(world, prefecture="大阪")
    with browser_session(base) as session:
        page = session.sign_in(world)
        page.goto(f"{base}/newsletters/new/")
        expect(page.locator("[data-preview=recipients]")).to_have_text("3")
        page.get_by_label("件名（日本語）").fill("{company}から夏のお知らせ")
        page.get_by_label("本文（日本語）").fill("{candidate_name} 様\n新しい求人がございます。")
        page.get_by_label("件名（英語）").fill("Summer news from {company}")
        page.get_by_label("本文（英語）").fill("Dear {candidate_name},\nWe have new openings.")
        expect(page.locator("[data-preview=subject_ja]")).to_have_text(f"{world.org.name}から夏のお知らせ")
        expect(page.locator("[data-preview=body_ja]")).to_contain_text("山田 花子 様")
        expect(page.locator("[data-preview=body_ja]")).to_contain_text("unsubscribe/?only=newsletter")
        expect(page.locator("[data-preview=body_en]")).to_contain_text("Dear Hanako Yamada,")
        page.get_by_label("都道府県").select_option("13")
        expect(page.locator("[data-preview=recipients]")).to_have_text("2")
        assert not Newsletter.objects.exists()  # a preview saves nothing
        page.get_by_role("button", name="下書きを保存").click()
        expect(page.locator("h1")).to_contain_text("下書き")
    assert session.errors == []
    newsletter = Newsletter.objects.get()
    assert (newsletter.status, newsletter.segment["prefecture"]) == ("draft", "13")
