"""Ranked network profiles for one of the member's open jobs, with the reason for each.

CROSS-ORG: reads only what partners see of a profile (its shown, generalised fields), through
`partner_profiles`, so ranking cannot reveal more than the page shows: no exact prefecture where
only a region is shown, no exact years where only a band is.

Network pools have no inverted index yet (it would be a relay table kept by relay's services;
see docs/matching.md), so they are scored in Python over plain values, with the records memoised."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from careerrelay.candidates.models import JobRequisition
from careerrelay.core import clock, prefectures
from careerrelay.core.selectors import get_for_org
from careerrelay.matching import explain, ranking
from careerrelay.matching.features import FeatureRecord, build_record
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


# The shown fields a record is built from, in `_record`'s order.
SHOWN = (
    "skills",
    "shown_location",
    "desired_locations",
    "shown_experience",
    "last_title",
    "desired_roles",
    "available_from",
    "published_at",
)


@lru_cache(maxsize=20_000)
def _record(
    skills: tuple[str, ...],
    location: str,
    desired_locations: tuple[str, ...],
    experience: str,
    title: str,
    desired_roles: tuple[str, ...],
    available_from: date | None,
    published_at: datetime | None,
) -> FeatureRecord:
    """A profile's record from its shown fields only. Memoised on those values (normalising the
    skills and titles is most of the cost of ranking a network), so a changed or generalised
    profile gets a new record and an unchanged one is not built again on every view."""
    shown = prefectures.prefecture_from_text(location) if location else None
    record = build_record(
        skills=list(skills),
        prefecture=shown.code if shown else "",
        desired_locations=list(desired_locations),
        years=_low_end(experience),
        title=title,
        desired_roles=list(desired_roles),
        available_from=available_from,
        last_activity=published_at,
    )
    return record if shown else replace(record, region=location)


def _hashable(value: Any) -> Any:
    return tuple(str(item) for item in value) if isinstance(value, list) else value


def network_matches(*, org: Organization, network_id: Any, job_id: Any, limit: int = 20) -> list[ProfileMatch]:
    """The network's profiles the org may see, ranked for one of its jobs. Scored from the shown
    fields as plain values; only the best `limit` are loaded as profiles, through
    `partner_profiles` again, so a profile unpublished meanwhile is not shown."""
    job = get_for_org(JobRequisition.objects.all(), org=org, pk=job_id)
    query = job_query_of(job)
    now = clock.now()
    visible = partner_profiles(org=org, network_id=network_id).exclude(org=org)
    scored = []
    for pk, *shown in visible.values_list("pk", *SHOWN)[:RANK_AT_MOST]:
        value, why = ranking.score(query, _record(*(_hashable(v) for v in shown)), now=now)
        scored.append((value, str(pk), pk, why))
    scored.sort(key=lambda item: (-item[0], item[1]))
    best = scored[:limit]
    profiles = visible.filter(pk__in=[pk for _value, _key, pk, _why in best]).in_bulk()
    return [
        ProfileMatch(profile=profiles[pk], score=value, reason=explain.render_both(why, now=now))
        for value, _key, pk, why in best
        if pk in profiles
    ]
