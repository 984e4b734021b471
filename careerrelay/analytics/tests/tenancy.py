"""Tenancy probes for analytics: the dashboard, costs, the metrics API and the operator's view."""

from __future__ import annotations

from datetime import date
from typing import Any

from careerrelay.analytics.models import CostEntry, MonthlyFigure
from careerrelay.orgs.tests.factories import OrgWorld
from tests.tenancy import AppProbes

SECRET_CHANNEL = "secret-channel"


def _ensure_cost(world: OrgWorld) -> None:
    if not CostEntry.objects.filter(org=world.org).exists():
        CostEntry.objects.create(
            org=world.org,
            month=date(2026, 4, 1),
            kind="other",
            channel=f"{SECRET_CHANNEL}-{world.org.slug}",
            amount_yen=777_777,
        )


def _snapshot(world: OrgWorld) -> dict[str, Any]:
    _ensure_cost(world)
    return {
        "costs": sorted(CostEntry.objects.filter(org=world.org).values_list("id", "amount_yen")),
        "figures": MonthlyFigure.objects.filter(org=world.org).count(),
        "org_settings": world.org.__class__.objects.get(pk=world.org.pk).settings,
    }


def _secrets(other: OrgWorld) -> list[str]:
    _ensure_cost(other)
    return [f"{SECRET_CHANNEL}-{other.org.slug}"]


PROBES = AppProbes(
    web_object={
        "web:relay_network_dashboard": ("get", "/relay/networks/{network_id}/dashboard/", {}),
    },
    web_collections={"web:analytics": "/analytics/?since=2026-01&until=2026-12"},
    web_other={
        "web:analytics_cost": "creates in the caller's org; test_costs_give_cost_per_hire_and_slots_give_cost_saved",
        "web:analytics_agency_fee": "the caller's org only; test_costs_give_cost_per_hire_and_slots_give_cost_saved",
    },
    api_collections={"GET /api/v1/metrics"},
    snapshot=_snapshot,
    secrets=_secrets,
)
