"""Ranked network profiles for one of the member's open jobs, with the reason for each.

CROSS-ORG: reads only what partners see of a profile (its shown, generalised fields), through
`partner_profiles`, so ranking cannot reveal more than the page shows: no exact prefecture where
only a region is shown, no exact years where only a band is.

Two stages, like the own pool (docs/matching.md): stage 1 reads the heads of the network's
posting lists (`SharedProfileTerm`, built from the shown fields by `relay.postings`) through
`matching.shortlist`, leaving out the viewer's own profiles; the proposed profiles are paged
through `partner_profiles` (published, not blocked by the person, past the first-look window),
which also reads their shown fields, and those are scored fully by the ranker. A network small
enough to score whole is scored whole, exactly as before the index existed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from careerrelay.candidates.models import JobRequisition
from careerrelay.core import clock
from careerrelay.core.selectors import get_for_org
from careerrelay.matching import explain, ranking
from careerrelay.matching.selectors import SHORTLIST, job_query_of
from careerrelay.matching.shortlist import PostingSource, shortlist
from careerrelay.orgs.models import Organization
from careerrelay.relay.models import Network, SharedProfile, SharedProfileTerm
from careerrelay.relay.postings import SHOWN, shown_record
from careerrelay.relay.selectors import active_network_of, partner_profiles

# A network that shows a member no more profiles than this is scored whole (stage 1 is skipped).
SCORE_WHOLE = 2 * SHORTLIST


@dataclass(frozen=True)
class ProfileMatch:
    profile: SharedProfile
    score: float
    reason: dict[str, str]


def network_source(*, org: Organization, network: Network, visible: QuerySet[SharedProfile]) -> PostingSource:
    """The network's posting lists as one member reads them: every other org's published
    profiles (whether the member may see each one is asked of `partner_profiles` afterwards)."""
    return PostingSource(
        postings=SharedProfileTerm.objects.filter(network=network).exclude(org=org),
        id_column="profile_id",
        recent=visible.order_by("-published_at", "pk").values_list("pk", flat=True),
        region_places=True,
    )


def _proposed(source: PostingSource, visible: QuerySet[SharedProfile], query: ranking.JobQuery) -> list[Any]:
    """Rows (id, *shown) of the profiles worth scoring: all of them when the network shows the
    member no more than a shortlist's worth, else stage 1's proposal paged through `visible`
    until `SHORTLIST` visible profiles are found."""
    # Unordered: whether there are more than SCORE_WHOLE needs no sort of the whole network.
    everyone = list(visible.order_by().values_list("pk", flat=True)[: SCORE_WHOLE + 1])
    if len(everyone) <= SCORE_WHOLE:
        return list(visible.filter(pk__in=everyone).values_list("pk", *SHOWN))
    proposed = shortlist(source, query=query, size=2 * SHORTLIST)
    found: list[Any] = []
    for start in range(0, len(proposed), SHORTLIST):
        found += visible.filter(pk__in=proposed[start : start + SHORTLIST]).order_by().values_list("pk", *SHOWN)
        if len(found) >= SHORTLIST:
            break
    return found


def network_matches(*, org: Organization, network_id: Any, job_id: Any, limit: int = 20) -> list[ProfileMatch]:
    """The network's profiles the org may see, ranked for one of its jobs. Scored from the shown
    fields as plain values; only the best `limit` are loaded as profiles, through
    `partner_profiles` again, so a profile unpublished meanwhile is not shown."""
    job = get_for_org(JobRequisition.objects.all(), org=org, pk=job_id)
    query = job_query_of(job)
    now = clock.now()
    network = active_network_of(org=org, network_id=network_id)
    visible = partner_profiles(org=org, network_id=network.pk).exclude(org=org)
    proposed = _proposed(network_source(org=org, network=network, visible=visible), visible, query)
    best = ranking.top(query, ((pk, shown_record(shown)) for pk, *shown in proposed), limit=limit, now=now)
    profiles = visible.filter(pk__in=[pk for _value, pk, _record in best]).in_bulk()
    shown_best = [item for item in best if item[1] in profiles]
    # Only the shown few are explained, as for the own pool (`matching.selectors.rank`).
    reasons = explain.render_many([ranking.score(query, record, now=now)[1] for _v, _pk, record in shown_best], now=now)
    return [
        ProfileMatch(profile=profiles[pk], score=value, reason=reason)
        for (value, pk, _record), reason in zip(shown_best, reasons, strict=True)
    ]
