"""Pass 2 of the CSV import: rows written a chunk at a time, with a handful of queries a chunk.

For each chunk: identity resolution for all its rows at once (`identity.IdentityIndex`), the
applications its rows refer to, and the first application date of every candidate it can touch
are loaded; then each row is applied in memory, in file order, with the same rules as the pool's
services (`candidate_upsert`, `application_record`, `candidate_reject`) — a later row finds the
person an earlier row created or changed; then everything is saved with `bulk_create` /
`bulk_update` and the rejection hooks run once for every rejection.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.db.models import Min

from careerrelay.candidates import hooks, services
from careerrelay.candidates.data import MODEL_FIELDS, apply_data
from careerrelay.candidates.defaults import RESCOUT_TAG
from careerrelay.candidates.identity import IdentityIndex, external_key
from careerrelay.candidates.imports.presets import Mapping
from careerrelay.candidates.imports.rows import ParsedRow
from careerrelay.candidates.models import (
    Application,
    Candidate,
    CandidateTag,
    ExternalId,
    JobRequisition,
    StageChange,
    Tag,
)
from careerrelay.candidates.search import build_search_text
from careerrelay.candidates.timeline import stage_change_values
from careerrelay.core import clock
from careerrelay.core.bulkinsert import (
    BackgroundChecks,
    NewObjects,
    insert_many,
    insert_rows,
    prefer_index_lookups,
    refresh_statistics,
)
from careerrelay.core.ids import IdSequence
from careerrelay.orgs.actors import Actor

CHUNK_ROWS = 2000
_BATCH = 500  # rows per bulk_update statement
_CANDIDATE_FIELDS = [*MODEL_FIELDS, "search_text", "updated_at"]
_CLOSING_FIELDS = [
    "status",
    "closed_at",
    "rejection_reason",
    "evaluation_summary",
    "rejection_note",
    "rescout_eligible",
    "updated_at",
]
# The columns each chunk's look-ups filter on (see refresh_statistics).
_LOOKED_UP: dict[type[models.Model], list[str]] = {
    Candidate: ["org", "email", "phone", "family_name_kana", "given_name_kana", "birth_year"],
    ExternalId: ["org", "system", "value"],
    Application: ["org", "external_ref", "candidate"],
}
OPEN = (Application.Status.ACTIVE, Application.Status.OFFER)
KEPT_OPEN = (Application.Status.OFFER, Application.Status.HIRED)  # statuses a new application starts in


def row_key(row: ParsedRow, system: str = "") -> str:
    """The strongest identity key a row carries ('' when none): what the dry run counts by."""
    data = row.data
    external = f"x:{system or data.external_system}:{data.external_id}" if data.external_id else ""
    for key in (external, data.email, data.phone):
        if key:
            return key
    if data.family_name_kana and data.given_name_kana and data.birth_year:
        return f"k:{data.family_name_kana}{data.given_name_kana}{data.birth_year}"
    return ""


def application_ref(row: ParsedRow, mapping: Mapping) -> str:
    """The key a row's application is found by on re-import: the file's application id (in the
    preset's namespace), else a digest of the person, job, department and applied date."""
    app = row.application
    assert app is not None
    system = mapping.ref_system
    if app.ref:
        return app.ref if mapping.preset == "ours" or ":" in app.ref else f"{system}:{app.ref}"
    key = row_key(row, system) or f"n:{row.data.family_name}{row.data.given_name}"
    applied = app.applied_at.date().isoformat() if app.applied_at else ""
    digest = hashlib.sha1(  # noqa: S324 — a key, not a secret
        "|".join((system, key, app.job_title, app.department, applied)).encode()
    ).hexdigest()
    return f"import:{digest}"


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


# The plain rows written for these models (attnames, in this order).
_LINK_COLUMNS = ("id", "org_id", "created_at", "updated_at", "candidate_id", "system", "value")
_STAGE_COLUMNS = ("id", "org_id", "created_at", "updated_at", "application_id", "stage", "status", "at", "actor_label")
_TAG_COLUMNS = ("id", "org_id", "created_at", "updated_at", "candidate_id", "tag_id")


@dataclass
class _Chunk:
    """What one chunk has loaded and what it will save. Everything it writes is made at `now`,
    the chunk's one reading of the clock, with ids from `new_id`."""

    index: IdentityIndex
    apps_by_ref: dict[str, Application]
    apps_by_id: dict[uuid.UUID, Application]
    first_applied: dict[uuid.UUID, datetime]
    now: datetime
    new_id: IdSequence
    new_candidate: NewObjects
    new_application: NewObjects
    new_candidates: dict[uuid.UUID, Candidate] = field(default_factory=dict)
    changed: dict[uuid.UUID, Candidate] = field(default_factory=dict)
    links: list[tuple[object, ...]] = field(default_factory=list)  # ExternalId rows (_LINK_COLUMNS)
    new_apps: dict[uuid.UUID, Application] = field(default_factory=dict)
    closed_apps: dict[uuid.UUID, Application] = field(default_factory=dict)
    stage_changes: list[tuple[object, ...]] = field(default_factory=list)  # StageChange rows (_STAGE_COLUMNS)
    tagged: set[uuid.UUID] = field(default_factory=set)  # candidates to tag re-scout eligible
    rejected: list[Application] = field(default_factory=list)


class BulkWriter:
    """Writes chunks of checked rows; call inside the import's transaction."""

    def __init__(self, actor: Actor, mapping: Mapping, source: str) -> None:
        self.actor, self.mapping, self.source = actor, mapping, source
        self.jobs: dict[tuple[str, str], JobRequisition] = {}
        self._rescout: Tag | None = None
        self._written = 0
        self._analyze_at = CHUNK_ROWS
        self._checks = BackgroundChecks()
        prefer_index_lookups()

    def write(self, rows: list[ParsedRow]) -> int:
        """Write `rows` (in file order); returns how many candidates were created."""
        chunk = self._load(rows)
        # PostgreSQL checks the foreign keys of the earlier chunks while this one is worked out in memory.
        self._checks.start()
        created = sum(self._row(chunk, row) for row in rows)
        now = chunk.now
        for candidate in chunk.changed.values():
            candidate.search_text = build_search_text(candidate)
            candidate.updated_at = now
        self._checks.wait()
        self._save(chunk)
        self._written += len(rows)
        if self._written >= self._analyze_at:
            self._analyze_at *= 2
            refresh_statistics(_LOOKED_UP)
        return created

    def _load(self, rows: list[ParsedRow]) -> _Chunk:
        org = self.actor.org
        self._link_own_ids(rows)
        index = IdentityIndex(org)
        index.load(row.data for row in rows)
        refs = {application_ref(row, self.mapping) for row in rows if row.application is not None}
        apps_by_ref: dict[str, Application] = {}
        for app in Application.objects.filter(org=org, external_ref__any_of=refs).order_by("id"):
            apps_by_ref.setdefault(app.external_ref, app)
        own = {found for ref in refs if ref.startswith("careerrelay:") and (found := _uuid(ref[12:]))}
        apps_by_id = {app.pk: app for app in Application.objects.filter(org=org, pk__any_of=own)} if own else {}
        # By candidate alone: the ids were read with org= above, and an org filter here made SQLite
        # scan all the org's applications for every chunk.
        first_applied = dict(
            Application.objects.filter(candidate_id__any_of=list(index.by_id))
            .values("candidate_id")
            .annotate(first=Min("applied_at"))
            .values_list("candidate_id", "first")
        )
        now = clock.now()
        new_id = IdSequence(now)
        return _Chunk(
            index=index,
            apps_by_ref=apps_by_ref,
            apps_by_id=apps_by_id,
            first_applied=first_applied,
            now=now,
            new_id=new_id,
            new_candidate=NewObjects(Candidate, now=now, new_id=new_id),
            new_application=NewObjects(Application, now=now, new_id=new_id),
        )

    def _link_own_ids(self, rows: list[ParsedRow]) -> None:
        """Our own export's candidate id, imported into the org it came from, is that candidate."""
        if self.mapping.preset != "ours":
            return
        ids = {row.candidate_id: found for row in rows if row.candidate_id and (found := _uuid(row.candidate_id))}
        own = set(
            Candidate.objects.filter(org=self.actor.org, pk__any_of=set(ids.values())).values_list("pk", flat=True)
        )
        ExternalId.objects.bulk_create(
            [
                ExternalId(org=self.actor.org, candidate_id=pk, system=self.mapping.system, value=value)
                for value, pk in ids.items()
                if pk in own
            ],
            ignore_conflicts=True,
        )

    def _row(self, chunk: _Chunk, row: ParsedRow) -> bool:
        """candidate_upsert, then application_record and candidate_reject, in memory."""
        source = row.source or self.source
        candidate, _rule = chunk.index.find(row.data)
        created = candidate is None
        if candidate is None:
            candidate = chunk.new_candidate({"org": self.actor.org}, source=source)
            chunk.new_candidates[candidate.pk] = candidate
        if apply_data(candidate, row.data) or created:
            chunk.changed[candidate.pk] = candidate
            chunk.index.track(candidate)
        key = external_key(row.data)
        if key is not None and chunk.index.link(key, candidate):
            now = chunk.now
            chunk.links.append((chunk.new_id(), self.actor.org.pk, now, now, candidate.pk, key[0], key[1]))
        if row.application is not None:
            self._application(chunk, row, candidate, source)
        return created

    def _application(self, chunk: _Chunk, row: ParsedRow, candidate: Candidate, source: str) -> None:
        fields = row.application
        assert fields is not None
        ref = application_ref(row, self.mapping)
        application = chunk.apps_by_ref.get(ref)
        if application is None and ref.startswith("careerrelay:") and (own := _uuid(ref[12:])):
            application = chunk.apps_by_id.get(own)
        if application is None:
            job = self._job(fields.job_title, fields.department)
            applied_at = fields.applied_at or chunk.now
            first = chunk.first_applied.get(candidate.pk)
            opened = fields.status if fields.status in KEPT_OPEN else Application.Status.ACTIVE
            related: dict[str, models.Model] = {"org": self.actor.org, "candidate": candidate}
            if job is not None:
                related["job"] = job
            application = chunk.new_application(
                related,
                source=source,
                status=opened,
                applied_at=applied_at,
                # Earlier in time, not in arrival, as application_record decides.
                is_reapplication=first is not None and first < applied_at,
                external_ref=ref,
            )
            chunk.first_applied[candidate.pk] = min(applied_at, first) if first else applied_at
            chunk.apps_by_ref[ref] = application
            chunk.new_apps[application.pk] = application
            self._stage_change(chunk, application, applied_at)
        if fields.reason is None or application.status not in OPEN:
            return
        closed_at = services.close_application(
            application,
            reason=fields.reason,
            evaluation_summary=fields.evaluation_summary,
            note=fields.note,
            rescout_eligible=fields.rescout_eligible,
        )
        self._stage_change(chunk, application, closed_at)
        if application.pk not in chunk.new_apps:
            chunk.closed_apps[application.pk] = application
        if fields.rescout_eligible:
            chunk.tagged.add(application.candidate_id)
        chunk.rejected.append(application)

    def _stage_change(self, chunk: _Chunk, application: Application, at: datetime) -> None:
        values = stage_change_values(actor=self.actor, application=application, at=at)
        chunk.stage_changes.append(
            (
                chunk.new_id(),
                self.actor.org.pk,
                chunk.now,
                chunk.now,
                application.pk,
                *map(values.get, _STAGE_COLUMNS[5:]),
            )
        )

    def _job(self, title: str, department: str) -> JobRequisition | None:
        if not title:
            return None
        key = (title, department)
        if key not in self.jobs:
            found = JobRequisition.objects.filter(org=self.actor.org, title=title, department=department).first()
            self.jobs[key] = found or services.job_create(
                actor=self.actor, title=title, department=department, audited=False
            )
        return self.jobs[key]

    def _rescout_tag(self) -> Tag:
        if self._rescout is None:
            self._rescout = Tag.objects.get(org=self.actor.org, code=RESCOUT_TAG)
        return self._rescout

    def _save(self, chunk: _Chunk) -> None:
        now = chunk.now
        insert_many(Candidate, list(chunk.new_candidates.values()))
        updated = [c for pk, c in chunk.changed.items() if pk not in chunk.new_candidates]
        Candidate.objects.bulk_update(updated, _CANDIDATE_FIELDS, batch_size=_BATCH)
        # The index loaded every link a row of the chunk names, so these are new.
        if chunk.links:
            insert_rows(ExternalId, _LINK_COLUMNS, chunk.links)
        insert_many(Application, list(chunk.new_apps.values()))
        Application.objects.bulk_update(list(chunk.closed_apps.values()), _CLOSING_FIELDS, batch_size=_BATCH)
        if chunk.stage_changes:
            insert_rows(StageChange, _STAGE_COLUMNS, chunk.stage_changes)
        if chunk.tagged:
            tag = self._rescout_tag()
            chunk.tagged -= set(
                CandidateTag.objects.filter(org=self.actor.org, tag=tag, candidate_id__any_of=chunk.tagged).values_list(
                    "candidate_id", flat=True
                )
            )
            org_id = self.actor.org.pk
            links = [(chunk.new_id(), org_id, now, now, pk, tag.pk) for pk in chunk.tagged]
            if links:
                insert_rows(CandidateTag, _TAG_COLUMNS, links)
        hooks.run_after_rejects(
            [
                hooks.Rejection(application=application, actor=self.actor, send_rejection_email=False)
                for application in chunk.rejected
            ]
        )
        # Once per chunk, what the per-row services do per person (matching refreshes its profiles).
        touched = set(chunk.changed) | {a.candidate_id for a in chunk.new_apps.values()}
        touched |= {a.candidate_id for a in chunk.closed_apps.values()}
        if touched:
            hooks.run_candidate_changed(*sorted(touched, key=str), known=_known(chunk))


def _known(chunk: _Chunk) -> hooks.KnownCandidates:
    """The candidates this chunk created, which it holds in full: every application and stage
    change they have was made by this chunk (stages in the order the database keeps them)."""
    applications: dict[object, list[Application]] = {pk: [] for pk in chunk.new_candidates}
    for application in chunk.new_apps.values():
        if application.candidate_id in applications:
            applications[application.candidate_id].append(application)
    app_id, at, id_, stage = (_STAGE_COLUMNS.index(name) for name in ("application_id", "at", "id", "stage"))
    changes: dict[object, list[tuple[object, ...]]] = {pk: [] for pk in chunk.new_candidates}
    for row in chunk.stage_changes:
        app = chunk.new_apps.get(row[app_id])  # type: ignore[call-overload]
        if app is not None and app.candidate_id in changes:
            changes[app.candidate_id].append(row)
    stages = {
        candidate_id: [str(row[stage]) for row in sorted(rows, key=lambda row: (row[at], row[id_]))]
        for candidate_id, rows in changes.items()
    }
    return hooks.KnownCandidates(candidates=chunk.new_candidates, applications=applications, stages=stages)
