"""The operator's page of every member's free referral slots, and corrections made from it."""

from __future__ import annotations

import re

from django.test import Client

from careerrelay.candidates.tests.factories import recruiter_of
from careerrelay.orgs.tests.factories import OrgWorld
from careerrelay.relay.credits import credit_adjust, credit_redeem
from careerrelay.relay.models import LedgerEntry
from careerrelay.relay.tests.factories import admin_of, make_relay


def _row(html: str, slug: str) -> dict[str, str]:
    row = re.search(rf'<tr data-company="{slug}">(.*?)</tr>', html, re.S)
    assert row is not None, slug
    return dict(re.findall(r'data-figure="(\w+)">(-?\d+)<', row.group(1)))


def test_the_operator_sees_each_members_slots_and_corrects_one_with_a_reason(client: Client, world: OrgWorld) -> None:
    relay = make_relay(world)
    operator = admin_of(relay.operator)
    credit_adjust(actor=operator, network_id=relay.network.pk, holder_id=world.org.pk, amount=3, reason="移行分")
    credit_redeem(actor=recruiter_of(world), network_id=relay.network.pk)
    client.force_login(relay.operator.admin)
    url = f"/relay/networks/{relay.network.pk}/credits/"

    html = client.get(url).content.decode()

    assert _row(html, world.org.slug) == {"earned": "0", "pending": "0", "available": "2", "used": "1"}
    assert _row(html, relay.partner.org.slug) == {"earned": "0", "pending": "0", "available": "0", "used": "0"}
    response = client.post(url, {"holder_id": str(relay.partner.org.pk), "amount": "1", "reason": "紹介実績の補正"})
    assert response.status_code == 302
    assert _row(client.get(url).content.decode(), relay.partner.org.slug)["available"] == "1"
    assert LedgerEntry.objects.filter(reason="紹介実績の補正").count() == 2  # both legs of one booking


def test_a_bad_amount_is_named_and_nothing_is_booked(client: Client, world: OrgWorld) -> None:
    relay = make_relay(world)
    client.force_login(relay.operator.admin)
    url = f"/relay/networks/{relay.network.pk}/credits/"
    before = LedgerEntry.objects.count()

    response = client.post(url, {"holder_id": str(world.org.pk), "amount": "一つ", "reason": "補正"}, follow=True)

    assert "整数" in response.content.decode() or "whole number" in response.content.decode()
    assert LedgerEntry.objects.count() == before


def test_a_member_cannot_open_the_network_page_of_the_operator(client: Client, world: OrgWorld) -> None:
    relay = make_relay(world)
    client.force_login(world.admin)
    before = LedgerEntry.objects.count()

    url = f"/relay/networks/{relay.network.pk}/credits/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"holder_id": str(world.org.pk), "amount": "5", "reason": "x"}).status_code == 404
    assert LedgerEntry.objects.count() == before
