from __future__ import annotations

from careerrelay.candidates.models import Candidate
from careerrelay.candidates.tests.factories import apply
from careerrelay.consent.models import ConsentEvent
from careerrelay.consent.services import Evidence
from careerrelay.orgs.tests.factories import OrgWorld

PORTAL = Evidence(channel=ConsentEvent.Channel.PORTAL, ip="198.51.100.7", user_agent="Mozilla/5.0 (iPhone)")


def candidate_in(world: OrgWorld, **overrides: object) -> Candidate:
    return apply(world, **overrides).candidate
