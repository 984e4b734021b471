"""The relay funnel's "viewed" step: a partner company's first look at a shared profile, once per
company, counted in the sharing company's dashboard and (suppressed below 5) in the network's."""

from __future__ import annotations

import pytest

from careerrelay.analytics.aggregate import update_org
from careerrelay.analytics.dashboard import dashboard
from careerrelay.analytics.network import network_dashboard
from careerrelay.api.tests.helpers import call
from careerrelay.candidates.tests.factories import recruiter_of
from careerrelay.core import clock
from careerrelay.orgs.tests.factories import make_org_world
from careerrelay.relay import sharing
from careerrelay.relay.models import NetworkMember, ProfileView, SharedProfile
from careerrelay.relay.tests.factories import make_relay, rejected_with_consent

pytestmark = pytest.mark.django_db


def _shared(world, count: int):
    relay = make_relay(world)
    for n in range(count):
        rejected_with_consent(world, n)
    sharing.share_all_eligible(actor=recruiter_of(world), network_id=relay.network.pk)
    return relay, list(SharedProfile.objects.filter(org=world.org, status="published").order_by("id"))


def test_a_partner_opening_a_profile_is_recorded_once_per_company(client, world):
    relay, profiles = _shared(world, 2)
    profile = profiles[0]
    client.force_login(relay.partner.recruiter)
    page = client.get(f"/relay/profiles/{profile.pk}/")
    assert page.status_code == 200 and "Python" in page.content.decode()
    assert "高峰" not in page.content.decode()  # partners never see the person's name
    assert client.get(f"/relay/profiles/{profile.pk}/").status_code == 200
    api = call(client, "GET", f"/api/v1/relay/profiles/{profile.pk}", relay.partner.viewer_key)
    assert api.status_code == 200 and api.json()["skills"] == ["Python", "SQL"]
    call(client, "GET", f"/api/v1/relay/profiles/{profile.pk}", relay.agency.recruiter_key)
    views = ProfileView.objects.filter(profile=profile)
    assert sorted(views.values_list("viewer_org_id", flat=True)) == sorted([relay.partner.org.pk, relay.agency.org.pk])
    assert set(views.values_list("org_id", flat=True)) == {world.org.pk}  # the sharing company's row


def test_the_sharing_company_opening_its_own_profile_is_not_a_view(client, world):
    _relay, profiles = _shared(world, 2)
    client.force_login(world.recruiter)
    assert client.get(f"/relay/profiles/{profiles[0].pk}/").status_code == 200
    assert not ProfileView.objects.exists()


def test_an_outsider_gets_404_and_records_nothing(client, world, other_world):
    _relay, profiles = _shared(world, 2)
    client.force_login(other_world.admin)
    assert client.get(f"/relay/profiles/{profiles[0].pk}/").status_code == 404
    assert call(client, "GET", f"/api/v1/relay/profiles/{profiles[0].pk}", other_world.admin_key).status_code == 404
    assert not ProfileView.objects.exists()


def test_views_count_in_the_org_funnel_and_the_network_dashboard(client, world):
    relay, profiles = _shared(world, 6)
    viewers = [relay.partner, relay.agency]
    for n in range(3):  # three more partner companies, so the network's cell reaches 5
        extra = make_org_world(f"viewer{n}")
        NetworkMember.objects.create(network=relay.network, org=extra.org, status=NetworkMember.Status.ACTIVE)
        viewers.append(extra)
    for viewer in viewers[:2]:
        for profile in profiles[:2]:
            call(client, "GET", f"/api/v1/relay/profiles/{profile.pk}", viewer.viewer_key)
    _network, rows, totals = network_dashboard(org=relay.operator.org, network_id=relay.network.pk)
    assert totals["viewed"] is None  # 4 views: fewer than 5, suppressed
    for viewer in viewers[2:]:
        call(client, "GET", f"/api/v1/relay/profiles/{profiles[0].pk}", viewer.viewer_key)
    _network, rows, totals = network_dashboard(org=relay.operator.org, network_id=relay.network.pk)
    mine = next(row for row in rows if row.name == world.org.name)
    assert totals["viewed"] == 7 and mine.cells["viewed"] == 7
    update_org(world.org, clock.now())
    month = clock.today_jst().date().replace(day=1)
    board = dashboard(org=world.org, since=month, until=month)
    assert board.relay_funnel["shared"] == 6 and board.relay_funnel["viewed"] == 7
    assert list(board.relay_funnel) == ["shared", "viewed", "requested", "approved", "interviewed", "hired"]
