"""The network's inverted index (`SharedProfileTerm`): posting lists of published profiles, built
from what partners are shown only.

A profile's record comes from its shown (generalised) fields — the shown location (a prefecture
where one is shown, else the region), the experience band's low end, the skills, titles and
wishes partners read — through matching's builders (`features.build_record`, `profiles.terms_of`,
`ranking.prior`), so the index can never know more than the profile page shows. Only published
profiles have postings.

Kept by relay's sharing services in the transaction that changes a profile (`refresh` after a
share or a re-generalisation, `drop` when profiles are taken down or erased); the network's and
the profile's deletion cascade. `rebuild` writes them for a whole network (migration 0004, the
benchmark)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from careerrelay.core import clock, prefectures
from careerrelay.core.bulkinsert import insert_many
from careerrelay.matching import ranking
from careerrelay.matching.features import FeatureRecord, build_record
from careerrelay.matching.profiles import terms_of
from careerrelay.relay.models import Network, SharedProfile, SharedProfileTerm

# The shown fields a record is built from, in `shown_record`'s order.
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
BATCH = 2000


def _low_end(band: str) -> int | None:
    digits = band.split("–")[0].rstrip("+")
    return int(digits) if digits.isdigit() else None


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
    """Memoised on the shown values (normalising the skills and titles is most of the cost), so a
    changed or generalised profile gets a new record and an unchanged one is not built again."""
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


def shown_record(values: Iterable[Any]) -> FeatureRecord:
    """A profile's record from its shown fields (values in `SHOWN`'s order)."""
    return _record(*(_hashable(value) for value in values))


def places_of(record: FeatureRecord) -> list[str]:
    """Where a profile's postings are filed: the shown prefecture and every wished one; the shown
    region's name when no prefecture is known; "" when nothing is."""
    places = [p for p in (record.prefecture, *record.desired_prefectures) if p]
    if not places and record.region:
        places = [record.region]
    return list(dict.fromkeys(places)) or [""]


def postings_of(record: FeatureRecord, *, now: datetime) -> list[tuple[str, str, int]]:
    """(term, place, prior) rows for one shown profile."""
    value = ranking.prior(record, now=now)
    return [(term, place, value) for term in terms_of(record) for place in places_of(record)]


def rows(profiles: Iterable[tuple[Any, ...]], *, now: datetime) -> Iterator[SharedProfileTerm]:
    """Posting rows of (id, org id, network id, *shown values) tuples."""
    for pk, org_id, network_id, *shown in profiles:
        for term, place, prior in postings_of(shown_record(shown), now=now):
            yield SharedProfileTerm(
                org_id=org_id, network_id=network_id, profile_id=pk, term=term, place=place, prior=prior
            )


def _write(profiles: Any, now: datetime) -> int:
    batch: list[SharedProfileTerm] = []
    written = 0
    for row in rows(profiles.values_list("pk", "org_id", "network_id", *SHOWN).iterator(chunk_size=BATCH), now=now):
        batch.append(row)
        if len(batch) >= BATCH:
            insert_many(SharedProfileTerm, batch)
            written, batch = written + len(batch), []
    insert_many(SharedProfileTerm, batch)
    return written + len(batch)


def drop(profile_ids: Iterable[Any]) -> None:
    """Profiles taken down, erased or held back: no postings."""
    ids = list(profile_ids)
    for start in range(0, len(ids), BATCH):
        SharedProfileTerm.objects.filter(profile_id__in=ids[start : start + BATCH]).delete()


def refresh(profile_ids: Iterable[Any]) -> int:
    """Rewrite the postings of these profiles from what they show now (none unless published)."""
    ids = list(dict.fromkeys(profile_ids))
    drop(ids)
    now = clock.now()
    written = 0
    for start in range(0, len(ids), BATCH):
        published = SharedProfile.objects.filter(
            pk__in=ids[start : start + BATCH], status=SharedProfile.Status.PUBLISHED
        )
        written += _write(published, now)
    return written


def rebuild(network: Network) -> int:
    """Every posting of one network, from scratch."""
    SharedProfileTerm.objects.filter(network=network).delete()
    published = SharedProfile.objects.filter(network=network, status=SharedProfile.Status.PUBLISHED)
    return _write(published.order_by("pk"), clock.now())
