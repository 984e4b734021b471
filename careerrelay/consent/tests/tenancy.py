"""Tenancy probes for privacy: erasing a person and their data download (page and API), and the
privacy settings page."""

from __future__ import annotations

from typing import Any

from careerrelay.candidates.models import Candidate
from careerrelay.candidates.tests.tenancy import ensure_pool
from careerrelay.consent.models import ErasureRequest
from careerrelay.orgs.models import Organization
from careerrelay.orgs.tests.factories import OrgWorld
from tests.tenancy import AppProbes


def _snapshot(world: OrgWorld) -> dict[str, Any]:
    ensure_pool(world)
    return {
        "erasure_requests": sorted(ErasureRequest.objects.filter(org=world.org).values_list("id", "status")),
        "erased": sorted(Candidate.objects.filter(org=world.org, erased_at__isnull=False).values_list("id", flat=True)),
        "org_settings": Organization.objects.get(pk=world.org.pk).settings,
    }


PROBES = AppProbes(
    web_object={
        "web:candidate_erase": ("post", "/candidates/{candidate_id}/erase/", {"confirm": "on"}),
        "web:candidate_personal_data": ("get", "/candidates/{candidate_id}/personal-data/", {}),
    },
    web_collections={"web:privacy": "/settings/privacy/"},
    api_object={
        "POST /api/v1/candidates/{candidate_id}/erasure": None,
        "GET /api/v1/candidates/{candidate_id}/personal-data": None,
    },
    snapshot=_snapshot,
)
