"""The candidate portal through Django's test client: every choice lands in the consent log with
its evidence, and a link that names nobody opens nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from careerrelay.candidates.models import Candidate
from careerrelay.consent import purposes
from careerrelay.consent.gate import consent_allows
from careerrelay.consent.models import ConsentEvent, SharingBlock
from careerrelay.consent.services import consent_grant
from careerrelay.consent.tests.factories import PORTAL, candidate_in
from careerrelay.consent.tokens import link_lifetime, portal_token
from careerrelay.core import clock
from careerrelay.outreach.models import MessageKind, ScheduledMessage
from careerrelay.portal.access import REQUESTS_PER_WINDOW

UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)"


def _url(name: str, token: str) -> str:
    return reverse(f"portal:{name}", kwargs={"token": token})


@pytest.fixture
def person(world) -> tuple[Candidate, str]:
    candidate = candidate_in(world, desired_roles=["バックエンドエンジニア"], years_experience=7)
    return candidate, portal_token(candidate)


@pytest.mark.django_db
def test_the_page_says_who_holds_the_data_and_ticks_nothing(client, person, world):
    _candidate, token = person
    response = client.get(_url("home", token))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.org.name in html and "キャリアリレー" in html
    assert "checked" not in html
    for purpose in purposes.FIXED:
        assert f'name="{purpose}"' in html
    assert "佐藤" not in html.split("<main")[1].split("</main>")[0]  # the preview shows no name
    assert "関東" in html and "5–9" in html
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_english_on_request(client, person):
    _candidate, token = person
    html = client.get(_url("home", token) + "?lang=en").content.decode()
    assert "Who holds your data" in html and 'lang="en"' in html


@pytest.mark.django_db
def test_ticked_boxes_are_granted_with_evidence_and_unticked_ones_are_not(client, person):
    candidate, token = person
    response = client.post(
        _url("choices", token),
        {"relay_share": "on", "recontact": "on", "lang": "en"},
        HTTP_USER_AGENT=UA,
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code == 302
    now = clock.now()
    assert consent_allows(candidate, purposes.RELAY_SHARE, at=now)
    assert consent_allows(candidate, purposes.RECONTACT, at=now)
    assert not consent_allows(candidate, purposes.NEWSLETTER, at=now)
    event = ConsentEvent.objects.get(candidate=candidate, purpose=purposes.RELAY_SHARE)
    assert (event.channel, event.ip, event.user_agent, event.language) == ("portal", "203.0.113.9", UA, "en")


@pytest.mark.django_db
def test_withdraw_one_then_everything(client, person):
    candidate, token = person
    for purpose in (purposes.RECONTACT, purposes.NEWSLETTER):
        consent_grant(candidate=candidate, purpose=purpose, language="ja", evidence=PORTAL)
    client.post(_url("withdraw", token), {"purpose": purposes.NEWSLETTER})
    assert not consent_allows(candidate, purposes.NEWSLETTER, at=clock.now())
    assert consent_allows(candidate, purposes.RECONTACT, at=clock.now())
    client.post(_url("withdraw", token), {"purpose": "all"})
    assert not consent_allows(candidate, purposes.RECONTACT, at=clock.now())


@pytest.mark.django_db
def test_wishes_change_only_wishes(client, person):
    candidate, token = person
    response = client.post(
        _url("wishes", token),
        {
            "desired_roles": "データエンジニア\nSRE",
            "desired_locations": "東京都、リモート",
            "desired_salary_min": "6000000",
            "desired_salary_max": "8000000",
            "available_from": "2027-04-01",
            "family_name": "別人",
        },
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.desired_roles == ["データエンジニア", "SRE"]
    assert candidate.desired_locations == ["東京都", "リモート"]
    assert (candidate.desired_salary_min, candidate.desired_salary_max) == (6000000, 8000000)
    assert candidate.family_name == "佐藤"


@pytest.mark.django_db
def test_wishes_errors_name_the_field(client, person):
    candidate, token = person
    response = client.post(_url("wishes", token), {"desired_salary_min": "9000000", "desired_salary_max": "5000000"})
    assert response.status_code == 200
    assert "上限" in response.content.decode() or "upper" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.desired_salary_min is None


@pytest.mark.django_db
def test_blocked_companies_are_kept(client, person):
    candidate, token = person
    client.post(_url("blocks", token), {"company_names": "株式会社いまの会社\n株式会社まえの会社"})
    assert sorted(SharingBlock.objects.filter(candidate=candidate).values_list("company_name", flat=True)) == [
        "株式会社いまの会社",
        "株式会社まえの会社",
    ]


@pytest.mark.django_db
def test_history_lists_every_event(client, person):
    candidate, token = person
    consent_grant(candidate=candidate, purpose=purposes.RELAY_SHARE, language="ja", evidence=PORTAL)
    html = client.get(_url("history", token)).content.decode()
    assert "relay_share" in html and "v1" in html


@pytest.mark.django_db
def test_one_click_unsubscribe_per_rfc_8058(client, person):
    candidate, token = person
    for purpose in (purposes.RECONTACT, purposes.NEWSLETTER, purposes.RELAY_SHARE):
        consent_grant(candidate=candidate, purpose=purpose, language="ja", evidence=PORTAL)
    response = client.post(
        _url("unsubscribe", token), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    now = clock.now()
    assert not consent_allows(candidate, purposes.RECONTACT, at=now)
    assert not consent_allows(candidate, purposes.NEWSLETTER, at=now)
    assert consent_allows(candidate, purposes.RELAY_SHARE, at=now)  # not an email purpose
    assert ConsentEvent.objects.filter(candidate=candidate, channel="email_link", kind="withdrawn").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + "xx", lambda t: t.replace(":", "-", 1), lambda t: "abc"])
def test_a_tampered_link_opens_nothing(client, person, mangle):
    _candidate, token = person
    response = client.get(_url("home", mangle(token)))
    assert response.status_code == 404
    assert "佐藤" not in response.content.decode()


@pytest.mark.django_db
def test_an_expired_link_offers_a_new_one_by_email_and_acts_on_nothing(client, person):
    candidate, token = person
    with clock.frozen_at(clock.now() + link_lifetime() + timedelta(days=1)):
        page = client.get(_url("home", token))
        refused = client.post(_url("choices", token), {"relay_share": "on"})
        renewed = client.post(_url("renew", token))
        client.post(_url("renew", token))
    assert page.status_code == 403 and "新しいリンク" in page.content.decode()
    assert refused.status_code == 403
    assert not ConsentEvent.objects.filter(candidate=candidate).exists()
    assert renewed.status_code == 200
    (message,) = ScheduledMessage.objects.filter(candidate=candidate, kind=MessageKind.PORTAL_LINK)
    assert message.to_email == candidate.email and "/p/" in message.body


@pytest.mark.django_db
def test_the_portal_is_rate_limited_per_address(client, person):
    _candidate, token = person
    for _ in range(REQUESTS_PER_WINDOW):
        assert client.get(_url("history", token), REMOTE_ADDR="198.51.100.99").status_code == 200
    response = client.get(_url("history", token), REMOTE_ADDR="198.51.100.99")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert client.get(_url("history", token), REMOTE_ADDR="198.51.100.100").status_code == 200


@pytest.mark.django_db
def test_a_link_is_dead_once_the_person_is_erased(client, person):
    candidate, token = person
    Candidate.objects.filter(pk=candidate.pk).update(erased_at=clock.now())
    assert client.get(_url("home", token)).status_code == 404
    assert client.post(_url("unsubscribe", token)).status_code == 404


@pytest.mark.django_db
def test_a_link_reaches_its_own_person_only(client, world, other_world):
    mine = candidate_in(world)
    theirs = candidate_in(other_world)  # same person, same email, in another org's pool
    client.force_login(other_world.admin)  # a session of the other org adds nothing
    client.post(_url("choices", portal_token(mine)), {"relay_share": "on"})
    client.post(_url("wishes", portal_token(mine)), {"desired_roles": "PM"})
    assert ConsentEvent.objects.filter(candidate=mine).count() == 1
    assert not ConsentEvent.objects.filter(candidate=theirs).exists()
    theirs.refresh_from_db()
    assert theirs.desired_roles == []
    assert other_world.org.name not in client.get(_url("home", portal_token(mine))).content.decode()


@pytest.mark.django_db
def test_the_person_downloads_their_data_and_asks_for_erasure(client, person):
    from careerrelay.consent.erasure import carry_out_erasures
    from careerrelay.consent.models import ErasureRequest

    candidate, token = person
    download = client.get(_url("data", token))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert candidate.email in download.content.decode() and "佐藤" in download.content.decode()
    assert "取り消すことはできません" in client.get(_url("erase", token)).content.decode()
    assert client.post(_url("erase", token)).status_code == 200
    assert ErasureRequest.objects.get(candidate=candidate).channel == "portal"
    carry_out_erasures(clock.now())
    assert client.get(_url("home", token)).status_code == 404
    candidate.refresh_from_db()
    assert candidate.erased_at is not None and candidate.email == ""
