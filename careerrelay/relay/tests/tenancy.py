"""Tenancy probes for the relay network's API. Networks are shared by design; what is probed is
that an org reaches only networks it runs or belongs to, and only its own introductions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from careerrelay.candidates.tests.tenancy import ensure_pool
from careerrelay.core import clock
from careerrelay.orgs.tests.factories import OrgWorld
from careerrelay.relay.models import Introduction, LedgerEntry, Network, NetworkMember, ProfileView, SharedProfile
from tests.tenancy import AppProbes


def ensure_network(world: OrgWorld) -> Introduction:
    """A network `world` runs, a profile it shared and an introduction it asked for (created once)."""
    found = Introduction.objects.filter(org=world.org).first()
    if found is not None:
        return found
    network = Network.objects.create(org=world.org, name=f"probe network {world.org.slug}", k=2)
    NetworkMember.objects.create(network=network, org=world.org, status=NetworkMember.Status.ACTIVE)
    profile = SharedProfile.objects.create(org=world.org, network=network, status=SharedProfile.Status.PUBLISHED)
    job = ensure_pool(world).job  # the pool probe's job, so no table changes between snapshots
    return Introduction.objects.create(
        org=world.org,
        network=network,
        profile=profile,
        source_org=world.org,
        job=job,
        status=Introduction.Status.APPROVED,
        expires_at=clock.now() + timedelta(days=14),
    )


def _foreign_ids(other: OrgWorld) -> dict[str, str]:
    introduction = ensure_network(other)
    return {
        "network_id": str(introduction.network_id),
        "introduction_id": str(introduction.pk),
        "profile_id": str(introduction.profile_id),
    }


def _snapshot(world: OrgWorld) -> dict[str, Any]:
    ensure_network(world)
    return {
        "networks": sorted(Network.objects.filter(org=world.org).values_list("id", "name", "k")),
        "network_members": sorted(NetworkMember.objects.filter(network__org=world.org).values_list("org_id", "status")),
        "profiles": sorted(SharedProfile.objects.filter(org=world.org).values_list("id", "status")),
        "introductions": sorted(Introduction.objects.filter(org=world.org).values_list("id", "status", "outcome")),
        "ledger": LedgerEntry.objects.filter(network__org=world.org).count(),
        "profile_views": ProfileView.objects.filter(org=world.org).count(),
    }


def _secrets(other: OrgWorld) -> list[str]:
    ensure_network(other)
    return [f"probe network {other.org.slug}"]


PROBES = AppProbes(
    web_object={
        "web:relay_invite": ("post", "/relay/networks/{network_id}/invite/", {"org_slug": "alpha"}),
        "web:relay_join": ("post", "/relay/networks/{network_id}/join/", {}),
        "web:relay_share_all": ("post", "/relay/networks/{network_id}/share-all/", {}),
        "web:relay_profiles": ("get", "/relay/networks/{network_id}/profiles/", {}),
        "web:relay_network_credits": ("get", "/relay/networks/{network_id}/credits/", {}),
        "web:relay_network_credits_adjust": (
            "post",
            "/relay/networks/{network_id}/credits/",
            {"holder_id": "x", "amount": "1", "reason": "probe"},
        ),
        "web:relay_profile": ("get", "/relay/profiles/{profile_id}/", {}),
        "web:relay_request": ("post", "/relay/profiles/{profile_id}/request/", {"job_id": "x"}),
        "web:relay_share": ("post", "/candidates/{candidate_id}/share/{network_id}/", {}),
        "web:relay_outcome": ("post", "/relay/introductions/{introduction_id}/outcome/", {"outcome": "hired"}),
    },
    web_collections={
        "web:relay": "/relay/",
        "web:relay_introductions": "/relay/introductions/",
        "web:relay_credits": "/relay/credits/",
        "web:relay_records": "/relay/records/",
    },
    web_other={"web:relay_network_create": "creates in the caller's org; test_only_operators_start_networks"},
    api_object={
        "GET /api/v1/relay/networks/{network_id}/members": None,
        "POST /api/v1/relay/networks/{network_id}/members": {"org_slug": "alpha"},
        "POST /api/v1/relay/networks/{network_id}/join": None,
        "POST /api/v1/relay/introductions/{introduction_id}/outcome": {"outcome": "hired"},
        "GET /api/v1/relay/profiles/{profile_id}": None,
    },
    api_collections={"GET /api/v1/relay/networks", "GET /api/v1/relay/introductions", "GET /api/v1/relay/credits"},
    api_other={
        "POST /api/v1/relay/networks": "created in the caller's org; test_only_operators_start_networks",
        "GET /api/v1/relay/profiles": "network id in the query; test_outsiders_reach_nothing_of_a_network",
        "POST /api/v1/relay/shares": "ids in the body; test_outsiders_reach_nothing_of_a_network",
        "POST /api/v1/relay/introductions": "ids in the body; test_outsiders_reach_nothing_of_a_network",
        "POST /api/v1/relay/credits/redeem": "network id in the body; test_outsiders_reach_nothing_of_a_network",
        "POST /api/v1/relay/credits/adjust": "network id in the body; "
        "test_only_the_operator_adjusts_and_never_below_zero",
    },
    foreign_ids=_foreign_ids,
    snapshot=_snapshot,
    secrets=_secrets,
)
