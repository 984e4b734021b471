"""The message template editor's live preview, in Debian's chromium: typing updates the preview."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from careerrelay.orgs.tests.factories import make_org_world
from careerrelay.outreach.models import MessageKind, MessageTemplate
from tests.journeys.helpers import browser_session


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_typing_in_a_template_updates_the_preview(live_server: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    base = str(live_server.url)  # type: ignore[attr-defined]
    world = make_org_world("preview")
    template = MessageTemplate.objects.get(org=world.org, kind=MessageKind.REJECTION, language="ja", reason=None)
    with browser_session(base) as session:
        page = session.sign_in(world, admin=True)
        page.goto(f"{base}/settings/messages/{template.pk}/")
        expect(page.locator("[data-preview=body]")).to_contain_text("山田 花子 様")
        page.get_by_label("件名").fill("【{company}】ご応募ありがとうございました")
        page.get_by_label("本文").fill("{candidate_name} 様、ありがとうございました。\n{portal_url}")
        expect(page.locator("[data-preview=subject]")).to_have_text(f"【{world.org.name}】ご応募ありがとうございました")
        expect(page.locator("[data-preview=body]")).to_contain_text("山田 花子 様、ありがとうございました。")
    assert session.errors == []
    template.refresh_from_db()
    assert not template.body.startswith("{candidate_name} 様、")  # a preview saves nothing
