"""Between the database and the ranker: a candidate's feature record, and a stored MatchProfile
turned back into one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Func
from django.db.models.functions import JSONArray

from careerrelay.candidates.models import Application, Candidate, Evaluation
from careerrelay.matching import features, ranking
from careerrelay.matching.features import FeatureRecord
from careerrelay.matching.models import MatchProfile
from careerrelay.orgs.models import Organization

CLOSED_FOR_REDISCOVERY = {Application.Status.REJECTED, Application.Status.WITHDRAWN}
IN_PROGRESS = {Application.Status.ACTIVE, Application.Status.OFFER, Application.Status.HIRED}


def candidate_record(
    candidate: Candidate,
    applications: Iterable[Application],
    evaluations: Iterable[Evaluation],
    stages: Iterable[str] = (),
) -> tuple[FeatureRecord, bool]:
    """(the record, whether the person is in the rediscovery pool: not merged away, at least one
    application rejected or withdrawn, none in progress)."""
    applications = list(applications)
    evaluations = list(evaluations)
    statuses = {application.status for application in applications}
    eligible = (
        candidate.merged_into_id is None and bool(statuses & CLOSED_FOR_REDISCOVERY) and not statuses & IN_PROGRESS
    )
    closed = [a.closed_at for a in applications if a.closed_at is not None]
    last_activity: datetime | None = max(closed) if closed else None
    stage_names = [a.stage for a in applications] + [e.stage for e in evaluations] + list(stages)
    overall = [float(e.overall) for e in evaluations if e.overall is not None]
    strong = any(e.recommendation == Evaluation.Recommendation.STRONG_YES for e in evaluations)
    record = features.build_record(
        skills=candidate.skills or [],
        prefecture=candidate.prefecture,
        desired_locations=candidate.desired_locations or [],
        years=candidate.years_experience,
        title=candidate.current_title,
        desired_roles=candidate.desired_roles or [],
        available_from=candidate.available_from,
        evaluation=features.evaluation_strength(overall, stage_names, strong),
        last_activity=last_activity,
    )
    return record, eligible


def profile_values(record: FeatureRecord) -> dict[str, object]:
    """MatchProfile field values for a record."""
    return {
        "skill_ids": list(record.skill_ids),
        "free_tags": list(record.free_tags),
        "prefecture": record.prefecture,
        "desired_prefectures": list(record.desired_prefectures),
        "remote_ok": record.remote_ok,
        "years": record.years,
        "title_tokens": sorted(record.title_tokens),
        "role_tokens": sorted(record.role_tokens),
        "available_from": record.available_from,
        "evaluation_strength": record.evaluation_strength,
        "furthest_stage": record.furthest_stage,
        "last_activity": record.last_activity,
    }


# The MatchProfile columns a FeatureRecord is made of (read with `.values(*RECORD_FIELDS)`).
RECORD_FIELDS = (
    "skill_ids",
    "free_tags",
    "prefecture",
    "desired_prefectures",
    "remote_ok",
    "years",
    "title_tokens",
    "role_tokens",
    "available_from",
    "evaluation_strength",
    "furthest_stage",
    "last_activity",
)


def record_from_values(values: dict[str, Any]) -> FeatureRecord:
    return FeatureRecord(
        skill_ids=tuple(values["skill_ids"]),
        free_tags=tuple(values["free_tags"]),
        prefecture=values["prefecture"],
        region=features.region_of(values["prefecture"]),
        desired_prefectures=tuple(values["desired_prefectures"]),
        remote_ok=values["remote_ok"],
        years=values["years"],
        title_tokens=frozenset(values["title_tokens"]),
        role_tokens=frozenset(values["role_tokens"]),
        available_from=values["available_from"],
        evaluation_strength=values["evaluation_strength"],
        furthest_stage=values["furthest_stage"],
        last_activity=values["last_activity"],
    )


# The JSON columns among them, read as one JSON array a row (`records_of`).
_JSON_FIELDS = ("skill_ids", "free_tags", "desired_prefectures", "title_tokens", "role_tokens")
_PLAIN_FIELDS = tuple(name for name in RECORD_FIELDS if name not in _JSON_FIELDS)


class _JSONColumns(JSONArray):
    """The JSON columns as one JSON array. SQLite keeps JSON as text, which its JSON_ARRAY would
    quote as strings unless each is read through JSON() first."""

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        parsed = self.copy()
        parsed.set_source_expressions([Func(column, function="JSON") for column in self.get_source_expressions()])
        return parsed.as_sql(compiler, connection, **extra_context)


def records_of(*, org: Organization, candidate_ids: list[Any]) -> list[tuple[Any, FeatureRecord]]:
    """(candidate id, record) of the org's stored profiles of these people, in no order.

    A match list reads a few hundred profiles; the JSON columns come as one array a row, so each
    row is decoded once instead of five times (benchmarks/README.md, Load)."""
    rows = (
        MatchProfile.objects.filter(org=org, candidate_id__any_of=candidate_ids)
        .annotate(json_columns=_JSONColumns(*_JSON_FIELDS))
        .values_list("candidate_id", "json_columns", *_PLAIN_FIELDS)
    )
    found = []
    for candidate_id, json_columns, *plain in rows:
        values = dict(zip(_JSON_FIELDS, json_columns, strict=True))
        values.update(zip(_PLAIN_FIELDS, plain, strict=True))
        found.append((candidate_id, record_from_values(values)))
    return found


def record_of(profile: MatchProfile) -> FeatureRecord:
    return record_from_values({name: getattr(profile, name) for name in RECORD_FIELDS})


def terms_of(record: FeatureRecord) -> list[str]:
    return list(dict.fromkeys([*record.skill_ids, *record.free_tags]))


def places_of(record: FeatureRecord) -> list[str]:
    """Where a person's postings are filed: where they live and every prefecture they would work
    in ("" when neither is known), so an on-site job reads only its prefecture's postings."""
    return list(dict.fromkeys(p for p in (record.prefecture, *record.desired_prefectures) if p)) or [""]


def postings_of(record: FeatureRecord, *, now: datetime) -> list[tuple[str, str, int]]:
    """(term, place, prior) rows of the inverted index for one person."""
    value = ranking.prior(record, now=now)
    places = places_of(record)
    return [(term, place, value) for term in terms_of(record) for place in places]
