"""The ranker: a job's needs against a FeatureRecord → a score (0–1) and a structured explanation.

Pure functions, no database: the own pool and (later) the network's shared profiles go through
the same code. `term_weights` tells the index which terms are worth retrieving a profile for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from careerrelay.core import prefectures
from careerrelay.matching import taxonomy
from careerrelay.matching.features import FeatureRecord, region_of
from careerrelay.matching.tokens import overlap, tokens

# How much of a required skill a related skill is worth.
CREDIT_EXACT = 1.0
CREDIT_CHILD = 0.7  # the person has a more specific skill (React for JavaScript)
CREDIT_PARENT = 0.4  # the person has the broader skill (Python for Django)

WEIGHTS = {
    "required": 0.42,
    "preferred": 0.12,
    "title": 0.16,
    "location": 0.14,
    "experience": 0.05,
    "availability": 0.03,
    "evaluation": 0.05,
    "freshness": 0.03,
}

_MIN_YEARS = re.compile(r"(?:経験|experience)?\s*([0-9]{1,2})\s*(?:年以上|\+?\s*years?)")


@dataclass(frozen=True)
class JobQuery:
    required: tuple[str, ...] = ()
    preferred: tuple[str, ...] = ()
    title_tokens: frozenset[str] = field(default_factory=frozenset)
    prefecture: str = ""
    region: str = ""
    remote: str = "onsite"
    min_years: int | None = None


def job_query(
    *, title: str, required: list[str], preferred: list[str], prefecture: str, remote: str, description: str = ""
) -> JobQuery:
    req_known, req_free = taxonomy.skill_terms(required)
    pref_known, pref_free = taxonomy.skill_terms(preferred)
    found = _MIN_YEARS.search(taxonomy.key(description)) if description else None
    return JobQuery(
        required=tuple(req_known + req_free),
        preferred=tuple(t for t in pref_known + pref_free if t not in req_known + req_free),
        title_tokens=tokens(title),
        prefecture=prefecture,
        region=region_of(prefecture),
        remote=remote,
        min_years=int(found.group(1)) if found else None,
    )


@cache
def _relatives(skill_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(descendants, the parent) of a taxonomy skill; the taxonomy never changes in a process."""
    tax = taxonomy.taxonomy()
    return tuple(tax.descendants(skill_id)), tuple(tax.ancestors(skill_id)[:1])


def _credit(wanted: str, have: set[str]) -> tuple[float, str]:
    """(credit, the skill of the person that earned it) for one wanted skill."""
    if wanted in have:
        return CREDIT_EXACT, wanted
    if wanted.startswith(taxonomy.FREE_PREFIX):
        return 0.0, ""
    children, parents = _relatives(wanted)
    for child in children:
        if child in have:
            return CREDIT_CHILD, child
    for parent in parents:
        if parent in have:
            return CREDIT_PARENT, parent
    return 0.0, ""


def term_credits(query: JobQuery) -> dict[str, tuple[str, int]]:
    """Index terms worth reading for a job: term → (the wanted skill it counts for, what it adds
    to the score in thousandths). A required skill's share of the required weight, a more
    specific skill 0.7 of it, a preferred skill its share of the preferred weight; a person
    earns each wanted skill once (the best of their terms for it). Broader skills and preferred
    relatives count in the full score only."""
    credits: dict[str, tuple[str, int]] = {}
    for wanted in query.preferred:
        credits[wanted] = (wanted, round(1000 * WEIGHTS["preferred"] / len(query.preferred)))
    for wanted in query.required:
        share = 1000 * WEIGHTS["required"] / len(query.required)
        if not wanted.startswith(taxonomy.FREE_PREFIX):
            for child in _relatives(wanted)[0]:
                if credits.get(child, ("", 0))[1] < round(CREDIT_CHILD * share):
                    credits[child] = (wanted, round(CREDIT_CHILD * share))
        credits[wanted] = (wanted, round(share))
    return credits


def _location(query: JobQuery, record: FeatureRecord) -> tuple[float, str]:
    if query.remote == "remote":
        return 1.0, "remote"
    if query.prefecture and (query.prefecture == record.prefecture or query.prefecture in record.desired_prefectures):
        return 1.0, "prefecture"
    if not query.prefecture:
        return 0.7, "unspecified"
    desired_regions = {region_of(code) for code in record.desired_prefectures}
    if query.region and (query.region == record.region or query.region in desired_regions):
        return (0.75 if query.remote == "hybrid" else 0.55), "region"
    if query.remote == "hybrid" and record.remote_ok:
        return 0.4, "remote_wish"
    return 0.0, "far"


def _experience(query: JobQuery, years: int | None) -> float:
    if years is None:
        return 0.4
    if query.min_years is None:
        return min(years, 8) / 8
    if years >= query.min_years:
        return 1.0
    return max(0.0, 1 - (query.min_years - years) / max(query.min_years, 1))


def _availability(available_from: date | None, today: date) -> float:
    if available_from is None:
        return 0.6
    days = (available_from - today).days
    return 1.0 if days <= 60 else 0.6 if days <= 180 else 0.2


def _freshness(last: datetime | None, now: datetime) -> float:
    if last is None:
        return 0.3
    return 0.5 ** (max((now - last).days, 0) / 365)


# The parts of the score that do not depend on the job (with no "N years" in it).
STATIC_PARTS = ("experience", "availability", "evaluation", "freshness")
PRIOR_SCALE = 1000


_ANY_JOB = JobQuery()  # frozen: one for every prior (a bulk import computes thousands)


def prior(record: FeatureRecord, *, now: datetime) -> int:
    """The job-independent part of the score as 0–1000, stored with every index posting so a
    posting list can be read best first. Freshness is taken at build time; it only orders people
    who tie on everything else, and a rebuild refreshes it."""
    parts = {
        "experience": _experience(_ANY_JOB, record.years),
        "availability": _availability(record.available_from, now.date()),
        "evaluation": record.evaluation_strength,
        "freshness": _freshness(record.last_activity, now),
    }
    top = sum(WEIGHTS[name] for name in STATIC_PARTS)
    return round(PRIOR_SCALE * sum(WEIGHTS[name] * parts[name] for name in STATIC_PARTS) / top)


def _parts(query: JobQuery, record: FeatureRecord, now: datetime, notes: _Notes | None = None) -> dict[str, float]:
    """Each weighted part of the score (0–1); `notes`, when given, collects what the explanation
    names (which skills matched, partly or not at all, and how the place fits)."""
    have = set(record.skill_ids) | set(record.free_tags)
    required_credit = 0.0
    for wanted in query.required:
        credit, via = _credit(wanted, have)
        required_credit += credit
        if notes is not None:
            notes.note_required(wanted, credit, via)
    preferred_credit = 0.0
    for wanted in query.preferred:
        credit, _via = _credit(wanted, have)
        preferred_credit += credit
        if notes is not None and credit == CREDIT_EXACT:
            notes.preferred_matched.append(wanted)
    title = max(overlap(query.title_tokens, record.title_tokens), 0.9 * overlap(query.title_tokens, record.role_tokens))
    location, place = _location(query, record)
    if notes is not None:
        notes.place = place
    return {
        "required": required_credit / len(query.required) if query.required else 0.5,
        "preferred": preferred_credit / len(query.preferred) if query.preferred else 0.5,
        "title": title,
        "location": location,
        "experience": _experience(query, record.years),
        "availability": _availability(record.available_from, now.date()),
        "evaluation": record.evaluation_strength,
        "freshness": _freshness(record.last_activity, now),
    }


@dataclass
class _Notes:
    matched: list[str] = field(default_factory=list)
    partial: list[dict[str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    preferred_matched: list[str] = field(default_factory=list)
    place: str = ""

    def note_required(self, wanted: str, credit: float, via: str) -> None:
        if credit == CREDIT_EXACT:
            self.matched.append(wanted)
        elif credit:
            self.partial.append({"skill": wanted, "via": via})
        else:
            self.missing.append(wanted)


def _total(parts: dict[str, float]) -> float:
    return round(sum(WEIGHTS[name] * value for name, value in parts.items()), 4)


def score_value(query: JobQuery, record: FeatureRecord, *, now: datetime) -> float:
    """The score alone, the same number `score` gives: for ranking many people, of whom only the
    best few are explained."""
    return _total(_parts(query, record, now))


def top(
    query: JobQuery, records: Iterable[tuple[Any, FeatureRecord]], *, limit: int, now: datetime
) -> list[tuple[float, Any, FeatureRecord]]:
    """The best `limit` (score, id, record), best first; a tie goes by the id's text, the same
    order on every database. Only these are worth explaining (`score`)."""
    scored = [(score_value(query, record, now=now), str(pk), pk, record) for pk, record in records]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [(value, pk, record) for value, _key, pk, record in scored[:limit]]


def score(query: JobQuery, record: FeatureRecord, *, now: datetime) -> tuple[float, dict[str, Any]]:
    """The score and the explanation behind it (JSON-ready)."""
    notes = _Notes()
    parts = _parts(query, record, now, notes)
    explanation = {
        "matched": notes.matched + notes.preferred_matched,
        "partial": notes.partial,
        "missing": notes.missing,
        "location": notes.place,
        "prefecture": query.prefecture,
        "region": query.region if notes.place == "region" else "",
        "years": record.years,
        "min_years": query.min_years,
        "stage": record.furthest_stage,
        "last_activity": record.last_activity.isoformat() if record.last_activity else None,
        "parts": {name: round(value, 3) for name, value in parts.items()},
    }
    return _total(parts), explanation


def prefecture_label(code: str, language: str) -> str:
    return prefectures.label(code, language)
