"""Ranked network profiles for one of the member's open jobs, with the reason for each.

CROSS-ORG: reads only what partners see of a profile (its shown, generalised fields), through
`partner_profiles`, so ranking cannot reveal more than the page shows: no exact prefecture where
only a region is shown, no exact years where only a band is."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from careerrelay.candidates.models import JobRequisition
from careerrelay.core import clock, prefectures
from careerrelay.core.selectors import get_for_org
from careerrelay.matching import explain, ranking
from careerrelay.matching.features import build_record
from careerrelay.matching.selectors import job_query_of
from careerrelay.orgs.models import Organization
from careerrelay.relay.models import SharedProfile
from careerrelay.relay.selectors import partner_profiles

# Network pools are ranked in Python over their shown fields; past this many, the newest first.
RANK_AT_MOST = 5000


@dataclass(frozen=True)
class ProfileMatch:
    profile: SharedProfile
    score: float
    reason: dict[str, str]


def _low_end(band: str) -> int | None:
    digits = band.split("–")[0].rstrip("+")
    return int(digits) if digits.isdigit() else None


def _record(profile: SharedProfile) -> Any:
    shown = prefectures.prefecture_from_text(profile.shown_location) if profile.shown_location else None
    record = build_record(
        skills=profile.skills,
        prefecture=shown.code if shown else "",
        desired_locations=profile.desired_locations,
        years=_low_end(profile.shown_experience),
        title=profile.last_title,
        desired_roles=profile.desired_roles,
        available_from=profile.available_from,
        last_activity=profile.published_at,
    )
    return record if shown else replace(record, region=profile.shown_location)


def network_matches(*, org: Organization, network_id: Any, job_id: Any, limit: int = 20) -> list[ProfileMatch]:
    job = get_for_org(JobRequisition.objects.all(), org=org, pk=job_id)
    query = job_query_of(job)
    now = clock.now()
    scored = []
    for profile in partner_profiles(org=org, network_id=network_id).exclude(org=org)[:RANK_AT_MOST]:
        value, why = ranking.score(query, _record(profile), now=now)
        scored.append((value, str(profile.pk), profile, why))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [
        ProfileMatch(profile=profile, score=value, reason=explain.render_both(why, now=now))
        for value, _key, profile, why in scored[:limit]
    ]
