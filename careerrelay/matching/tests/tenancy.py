"""Tenancy probes for matching: the job page with its matches and GET /jobs/{id}/matches.

The `job_id` placeholder is the other org's job from the candidates probes (candidates/tests/
tenancy.py creates it before this snapshot runs); the matching tables must not change either."""

from __future__ import annotations

from typing import Any

from careerrelay.matching.models import MatchProfile, MatchSuggestion, MatchTerm
from careerrelay.orgs.tests.factories import OrgWorld
from tests.tenancy import AppProbes


def _snapshot(world: OrgWorld) -> dict[str, Any]:
    return {
        "match_profiles": sorted(MatchProfile.objects.filter(org=world.org).values_list("id", "updated_at")),
        "match_terms": MatchTerm.objects.filter(org=world.org).count(),
        "match_suggestions": sorted(MatchSuggestion.objects.filter(org=world.org).values_list("id", "updated_at")),
    }


PROBES = AppProbes(
    web_object={"web:job": ("get", "/jobs/{job_id}/", {})},
    api_object={"GET /api/v1/jobs/{job_id}/matches": None},
    snapshot=_snapshot,
)
