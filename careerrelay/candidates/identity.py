"""Identity resolution: is this incoming person someone the org already knows?

Rules, strongest first: the id in the source system; the normalised email; the E.164 phone;
the full kana name with the birth year. Within a rule the oldest record (lowest id) wins, and a
match on a merged record resolves to its survivor. Re-application rates depend on this being
right, so each rule is tested on its own.

One implementation serves one person (`find_existing`, for forms, the API, webhooks) and a
batch (`IdentityIndex`, for the CSV import): the index loads every candidate a batch could match
with one query per rule, then answers in memory. A batch that creates or changes candidates
tells the index (`track`, `link`), so a later row finds what an earlier row wrote, exactly as if
the rows had been written one by one.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable, Iterable
from typing import cast

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from careerrelay.candidates.data import CandidateData
from careerrelay.candidates.models import Candidate, ExternalId
from careerrelay.orgs.models import Organization

# The rules in the order they are tried; the external id is looked up through ExternalId.
RULES = ("email", "phone", "kana_name_birth_year")
_KANA_BATCH = 1000  # keys per query on SQLite (3 parameters each, well under its limit)

Key = Hashable
# Ids that CSV imports wrote under "csv" before each preset had its own system still match.
SYSTEM_FALLBACKS = {"ja_ats": "csv", "custom": "csv"}


def _field_keys(source: CandidateData | Candidate) -> dict[str, Key]:
    """The keys of `source` under each field rule (only the rules it can match)."""
    keys: dict[str, Key] = {}
    if source.email:
        keys["email"] = source.email
    if source.phone:
        keys["phone"] = source.phone
    if source.family_name_kana and source.given_name_kana and source.birth_year:
        keys["kana_name_birth_year"] = (source.family_name_kana, source.given_name_kana, source.birth_year)
    return keys


def external_key(data: CandidateData) -> tuple[str, str] | None:
    return (data.external_system, data.external_id) if data.external_system and data.external_id else None


def _kana_terms(org: Organization, keys: list[tuple[str, str, int]]) -> RawSQL:
    """The org's candidates whose (family kana, given kana, birth year) is one of `keys`.

    Written as SQL so that both databases probe the (org, kana, kana, year) index once per key:
    an OR of hundreds of terms made SQLite scan the org's rows and PostgreSQL spend longer
    planning than running, and building that many Q objects cost more than the query."""
    meta = Candidate._meta
    table = connection.ops.quote_name(meta.db_table)
    org_id, family, given, year = (
        connection.ops.quote_name(str(meta.get_field(name).column))  # type: ignore[union-attr]
        for name in ("org", "family_name_kana", "given_name_kana", "birth_year")
    )
    if connection.vendor == "postgresql":
        arrays = [[key[i] for key in keys] for i in range(3)]
        sql = f"({family}, {given}, {year}) IN (SELECT * FROM unnest(%s::text[], %s::text[], %s::int[]))"  # noqa: S608
        return RawSQL(sql, arrays, BooleanField())  # noqa: S611 — names from the model, values as parameters
    values = ", ".join(["(%s, %s, %s)"] * len(keys))
    sql = (
        f"id IN (SELECT c.id FROM (VALUES {values}) AS v JOIN {table} AS c ON c.{org_id} = %s"  # noqa: S608
        f" AND c.{family} = v.column1 AND c.{given} = v.column2 AND c.{year} = v.column3)"
    )
    org_value = meta.get_field("org").get_db_prep_value(org.pk, connection)
    params = [*(value for key in keys for value in key), org_value]
    return RawSQL(sql, params, BooleanField())  # noqa: S611 — as above


class IdentityIndex:
    """The candidates of one org that a batch of incoming people could be, keyed by each rule."""

    def __init__(self, org: Organization) -> None:
        self.org = org
        self.by_id: dict[uuid.UUID, Candidate] = {}
        self.links: dict[tuple[str, str], uuid.UUID] = {}
        self._keyed: dict[str, dict[Key, set[uuid.UUID]]] = {rule: {} for rule in RULES}
        self._indexed: dict[uuid.UUID, dict[str, Key]] = {}

    def load(self, batch: Iterable[CandidateData]) -> None:
        """Fetch every candidate any of `batch` can match, and the survivors of merged ones."""
        wanted: dict[str, set[Key]] = {rule: set() for rule in RULES}
        externals: dict[str, set[str]] = {}
        for data in batch:
            for rule, key in _field_keys(data).items():
                wanted[rule].add(key)
            if found := external_key(data):
                externals.setdefault(found[0], set()).add(found[1])
                if found[0] in SYSTEM_FALLBACKS:
                    externals.setdefault(SYSTEM_FALLBACKS[found[0]], set()).add(found[1])
        pool = Candidate.objects.filter(org=self.org)
        for system, values in externals.items():
            links = ExternalId.objects.filter(org=self.org, system=system, value__any_of=values).select_related(
                "candidate"
            )
            for link in links:
                self.links[(system, link.value)] = link.candidate_id
                self._add([link.candidate])
        if wanted["email"]:
            self._add(pool.filter(email__any_of=wanted["email"]))
        if wanted["phone"]:
            self._add(pool.filter(phone__any_of=wanted["phone"]))
        kana = sorted(cast(set[tuple[str, str, int]], wanted["kana_name_birth_year"]))
        step = len(kana) if connection.vendor == "postgresql" else _KANA_BATCH
        for start in range(0, len(kana), step or 1):
            self._add(pool.filter(_kana_terms(self.org, kana[start : start + step])))
        missing = self._missing_survivors()
        while missing:
            self._add(pool.filter(pk__any_of=missing))
            missing = self._missing_survivors() - missing

    def _missing_survivors(self) -> set[uuid.UUID]:
        merged_into = {candidate.merged_into_id for candidate in self.by_id.values()}
        return {pk for pk in merged_into if pk is not None and pk not in self.by_id}

    def _add(self, candidates: Iterable[Candidate]) -> None:
        for candidate in candidates:
            if candidate.pk not in self.by_id:
                self.track(candidate)

    def track(self, candidate: Candidate) -> None:
        """Index `candidate` under its current values (call again after changing them)."""
        self.by_id[candidate.pk] = candidate
        for rule, key in self._indexed.pop(candidate.pk, {}).items():
            self._keyed[rule][key].discard(candidate.pk)
        keys = _field_keys(candidate)
        for rule, key in keys.items():
            self._keyed[rule].setdefault(key, set()).add(candidate.pk)
        self._indexed[candidate.pk] = keys

    def link(self, key: tuple[str, str], candidate: Candidate) -> bool:
        """Record that `key` (system, id) is `candidate` unless it is already someone's; True if new."""
        if key in self.links:
            return False
        self.links[key] = candidate.pk
        return True

    def _survivor(self, candidate: Candidate) -> Candidate:
        seen = {candidate.pk}
        while candidate.merged_into_id is not None and candidate.merged_into_id not in seen:
            seen.add(candidate.merged_into_id)
            candidate = self.by_id[candidate.merged_into_id]
        return candidate

    def find(self, data: CandidateData) -> tuple[Candidate | None, str]:
        """The known candidate `data` describes and the rule that matched, or (None, "")."""
        key = external_key(data)
        if key is not None:
            fallback = (SYSTEM_FALLBACKS.get(key[0], ""), key[1])
            for found in (key, fallback):
                if found in self.links:
                    return self._survivor(self.by_id[self.links[found]]), "external_id"
        keys = _field_keys(data)
        for rule in RULES:
            ids = self._keyed[rule].get(keys[rule]) if rule in keys else None
            if ids:
                return self._survivor(self.by_id[min(ids)]), rule
        return None, ""


def find_existing(*, org: Organization, data: CandidateData) -> tuple[Candidate | None, str]:
    """The known candidate `data` describes and the rule that matched, or (None, "")."""
    index = IdentityIndex(org)
    index.load([data])
    return index.find(data)
