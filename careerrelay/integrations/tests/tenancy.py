"""Tenancy probes for integrations: webhook routes and the JSON Resume API."""

from __future__ import annotations

from typing import Any

from careerrelay.candidates.models import Candidate
from careerrelay.integrations.models import WebhookDelivery, WebhookEndpoint
from careerrelay.orgs.tests.factories import OrgWorld
from tests.tenancy import AppProbes


def _candidate(world: OrgWorld) -> Candidate:
    """One candidate of the org to aim at; created quietly (no audit row) on first use, so that the
    snapshot taken before a probe already contains it."""
    found = Candidate.objects.filter(org=world.org, email="probe@example.jp").first()
    return found or Candidate.objects.create(org=world.org, family_name="探査", email="probe@example.jp")


def _foreign_ids(other: OrgWorld) -> dict[str, str]:
    return {"candidate_id": str(_candidate(other).pk)}


def _snapshot(world: OrgWorld) -> dict[str, Any]:
    _candidate(world)
    return {
        "candidates": sorted(
            Candidate.objects.filter(org=world.org).values_list("id", "family_name", "email", "updated_at")
        ),
        "deliveries": sorted(WebhookDelivery.objects.filter(org=world.org).values_list("id", "status")),
        "endpoints": sorted(WebhookEndpoint.objects.filter(org=world.org).values_list("id", "revoked_at")),
    }


PROBES = AppProbes(
    web_other={
        "hooks:greenhouse": "signed with the org's own secret; test_org_a_secret_cannot_write_into_org_b",
        "hooks:lever": "signed with the org's own token; test_another_orgs_token_is_401",
    },
    api_object={"GET /api/v1/integrations/jsonresume/{candidate_id}": None},
    api_other={
        "POST /api/v1/integrations/jsonresume": "creates in the caller's org; "
        "test_jsonresume_import_lands_in_the_callers_org_only",
    },
    foreign_ids=_foreign_ids,
    snapshot=_snapshot,
)
