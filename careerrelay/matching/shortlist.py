"""Stage 1 of the ranker: the few hundred people worth scoring fully, read from the inverted index.

Each posting list is stored best first (`MatchTerm.prior`, the job-independent part of the score)
and filed by place, so the index hands over the head of each list of the job's terms — in the
job's prefecture first — as `UNION ALL` branches of index range reads with a `LIMIT`. The same
statement adds up per person what the postings found are worth in the full score (each wanted
skill once, the best credit; the place; the prior) and returns the best few hundred. The work is
bounded by terms × depth, not by how many people have a common skill (Python, Excel).

What it cannot see is the title (the full scorer's 0.16) and anyone below the head of every list
they are on. `benchmarks/matching` measures what that loses: the share of the full scorer's top
20 over the whole pool that the shortlist contains ("stage-1 recall").
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from careerrelay.core import prefectures
from careerrelay.matching import ranking
from careerrelay.matching.models import MatchProfile, MatchTerm
from careerrelay.orgs.models import Organization

DEPTH = 1000  # postings read from the head of each list in the job's prefecture, or anywhere
NEAR_DEPTH = 200  # … in each other prefecture of the region
ENOUGH = 60  # people with every required skill that make reading further afield unnecessary
# The prior is the job-independent part of the score out of 1000; its share of the score.
PRIOR_SHARE = sum(ranking.WEIGHTS[name] for name in ranking.STATIC_PARTS)


@dataclass(frozen=True)
class PostingSource:
    """Where the posting lists are: a queryset of posting rows with `term`, `place` and `prior`
    already narrowed to one pool (an org's own pool, a network seen by one member), the column
    naming whom a posting is about, and what to hand over when a job names no skill.

    `region_places`: people whose region alone is known are filed under the region's name (the
    network's profiles shown only by region), so a job's region reads that list too."""

    postings: QuerySet[Any]
    id_column: str
    recent: QuerySet[Any]  # ids, most recent first
    region_places: bool = False


def own_pool(org: Organization) -> PostingSource:
    """The org's rediscovery pool (`MatchTerm`)."""
    recent = MatchProfile.objects.filter(org=org, eligible=True).order_by("-last_activity", "candidate_id")
    return PostingSource(
        postings=MatchTerm.objects.filter(org=org),
        id_column="candidate_id",
        recent=recent.values_list("candidate_id", flat=True),
    )


@dataclass(frozen=True)
class _Branch:
    term: str
    place: str | None  # None: the whole list
    depth: int
    slot: int  # the wanted skill the term counts for (required ones first)
    credit: int  # thousandths of the score
    bonus: int  # what the place adds (thousandths)


# Stand-ins for the term and the place while the ORM writes a branch's SQL once per shape: a
# job reads up to a few dozen branches, and compiling each through the ORM cost more CPU than
# the statement (benchmarks/README.md, Load). Neither can be a real term or place (NUL).
_TERM, _PLACE = "\x00term", "\x00place"
_Head = tuple[str, list[Any]]


def _head_sql(source: PostingSource, *, placed: bool, depth: int) -> _Head:
    postings = source.postings.filter(term=_TERM)
    if placed:
        postings = postings.filter(place=_PLACE)
    column = source.id_column
    head = postings.order_by("-prior", column).values_list(column, "prior")[:depth]
    sql, params = head.query.sql_with_params()
    return sql, list(params)


def _branch_sql(source: PostingSource, branch: _Branch, heads: dict[tuple[bool, int], _Head]) -> _Head:
    shape = (branch.place is not None, branch.depth)
    if shape not in heads:
        heads[shape] = _head_sql(source, placed=shape[0], depth=branch.depth)
    sql, template = heads[shape]
    params = [branch.term if value == _TERM else branch.place if value == _PLACE else value for value in template]
    column = source.id_column
    if not column.isidentifier():
        raise ValueError(column)
    # Integers and the id column's name only are written into the SQL; the term and the place
    # are parameters.
    wrapped = (
        f"SELECT {column} AS item_id, prior, {int(branch.slot)} AS slot, {int(branch.credit)} AS credit, "  # noqa: S608
        f"{int(branch.bonus)} AS bonus FROM ({sql}) AS head"
    )
    return wrapped, params


def _read(source: PostingSource, branches: list[_Branch], required: int, size: int) -> list[tuple[Any, bool]]:
    """(id, has every required skill) of the best `size` people the branches find, in
    one statement: per person and wanted skill the best credit, then the sum with the place and
    the prior. (SQLite allows a LIMIT inside a compound only in a subquery, as the SQL standard.)"""
    parts, params = [], []
    heads: dict[tuple[bool, int], _Head] = {}
    for number, branch in enumerate(branches):
        sql, branch_params = _branch_sql(source, branch, heads)
        parts.append(f"SELECT * FROM ({sql}) AS b{number}")  # noqa: S608 (SQL from the ORM, values are params)
        params.extend(branch_params)
    sql = (
        f"SELECT item_id, SUM(credit) + MAX(bonus) + MAX(prior) * {float(PRIOR_SHARE)} AS estimate, "  # noqa: S608
        f"SUM(CASE WHEN slot < {int(required)} THEN 1 ELSE 0 END) AS required_found FROM ("
        " SELECT item_id, slot, MAX(credit) AS credit, MAX(bonus) AS bonus, MAX(prior) AS prior"
        f" FROM ({' UNION ALL '.join(parts)}) AS postings GROUP BY item_id, slot"
        ") AS per_skill GROUP BY item_id ORDER BY estimate DESC, item_id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, size])
        return [(_uuid(pk), found >= required) for pk, _estimate, found in cursor.fetchall()]


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def candidates(*, org: Organization, query: ranking.JobQuery, size: int) -> list[Any]:
    """Candidate ids of the org's indexed (eligible) people, most promising first, at most `size`
    (consent is not asked here: the caller pages the result through the consent gate)."""
    return shortlist(own_pool(org), query=query, size=size)


def shortlist(source: PostingSource, *, query: ranking.JobQuery, size: int) -> list[Any]:
    """Ids of the source's people, most promising first, at most `size`.

    On-site and hybrid jobs read the job's prefecture; when that gives fewer than `ENOUGH`
    people with every required skill, also the other prefectures of the region (and the region's
    own list where the source has one) and the whole lists (remote jobs and jobs without a
    prefecture read the whole lists only)."""
    credits = ranking.term_credits(query)
    if not credits:
        return list(source.recent[:size])
    slots = {wanted: number for number, wanted in enumerate(dict.fromkeys([*query.required, *query.preferred]))}
    terms = [(term, slots[wanted], credit) for term, (wanted, credit) in credits.items()]
    required = len(query.required)
    # What being in the prefecture or the region adds to the score (`ranking._location`).
    place_bonus = round(1000 * ranking.WEIGHTS["location"])
    region_bonus = round(place_bonus * (0.75 if query.remote == "hybrid" else 0.55))
    here: list[_Branch] = []
    if query.prefecture and query.remote != "remote":
        here = [_Branch(term, query.prefecture, DEPTH, slot, credit, place_bonus) for term, slot, credit in terms]
        found = _read(source, here, required, size)
        if sum(1 for _pk, complete in found if complete) >= ENOUGH:
            return [pk for pk, _complete in found]
        near = [pref.code for pref in prefectures.PREFECTURES if pref.region == query.region]
        near = [code for code in near if code != query.prefecture]
        here += [_Branch(t, p, NEAR_DEPTH, slot, credit, region_bonus) for t, slot, credit in terms for p in near]
        if source.region_places and query.region:
            here += [_Branch(t, query.region, DEPTH, slot, credit, region_bonus) for t, slot, credit in terms]
    # The place does not matter, or too few near it: the whole lists too, by prior alone.
    everywhere = [_Branch(term, None, DEPTH, slot, credit, 0) for term, slot, credit in terms]
    return [pk for pk, _complete in _read(source, here + everywhere, required, size)]
