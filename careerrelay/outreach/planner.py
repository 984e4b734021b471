"""The re-scout planner.

- At a rejection (`candidates.hooks.on_rejected`) each active rule that applies writes one
  `RescoutSchedule` row per step: a few rows per rejection, nothing per tick.
- The tick (`compose_rescout_messages`, every worker tick, before the dispatcher) reads only the
  pending rows due by now, through a partial index, in chunks: its cost grows with the number of
  due rows, not with the pool. Each due row becomes a `ScheduledMessage` (purpose `recontact`,
  idempotency key `rescout:<candidate>:<rule>:<step>`) placed in the send window and after the
  frequency cap, or is skipped with the reason (re-applied, hired, no consent, suppressed,
  erased), or waits for the person's availability date.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from django.db import connection, connections, transaction
from django.db.models import Exists, F, Max, OuterRef, QuerySet
from django.db.models.functions import Coalesce

from careerrelay.candidates.hooks import Rejection
from careerrelay.candidates.models import Application, Candidate, JobRequisition
from careerrelay.consent import purposes
from careerrelay.consent.gate import consenting_candidate_ids
from careerrelay.core import clock
from careerrelay.core.bulkinsert import NewObjects, insert_many
from careerrelay.core.ids import IdSequence, new_id
from careerrelay.orgs.actors import system_actor
from careerrelay.orgs.models import Organization
from careerrelay.outreach import settings as outreach_settings
from careerrelay.outreach.compose import language_for
from careerrelay.outreach.models import CAPPED_KINDS, RescoutRule, RescoutSchedule, ScheduledMessage, Suppression
from careerrelay.outreach.rescout_content import OrgContent, Person, kind_for_step
from careerrelay.outreach.rescout_rules import RejectionFacts, facts_of, matches, schedule_rows
from careerrelay.outreach.rescout_writes import NewMessage, ScheduleChange, insert_messages, save_changes

State = RescoutSchedule.State
Status = ScheduledMessage.Status
CHUNK = 1000
# Connections a worker's tick uses side by side on PostgreSQL (one composes while one writes).
TICK_CONNECTIONS = 2
# Messages that hold a person's place under the frequency cap.
_COUNTED = (Status.PLANNED, Status.CLAIMED, Status.SENDING, Status.SENT, Status.RETRYING, Status.UNCERTAIN)


def plan_rejection(rejection: Rejection) -> None:
    plan_rejections([rejection])


def plan_rejections(rejections: list[Rejection]) -> None:
    """Write the schedule rows for fresh rejections, a few queries however many (the import
    passes a chunk of thousands). A later rejection of the same person, in this batch or before,
    moves the steps still pending to count from it; steps already queued or skipped stay."""
    by_org: dict[Any, list[Application]] = defaultdict(list)
    for rejection in rejections:
        application = rejection.application
        if application.candidate.erased_at is None and application.closed_at is not None:
            by_org[application.org_id].append(application)
    for org_id, applications in by_org.items():
        rules = list(RescoutRule.objects.filter(org_id=org_id, is_active=True))
        if rules:
            _plan(rules, facts_of(applications))


def _plan(rules: list[RescoutRule], facts: list[RejectionFacts]) -> None:
    known = {
        (row.rule_id, row.candidate_id, row.step): row
        for row in RescoutSchedule.objects.filter(rule__in=rules, candidate_id__any_of={f.candidate_id for f in facts})
    }
    new: dict[Any, RescoutSchedule] = {}
    moved: dict[Any, RescoutSchedule] = {}
    now = clock.now()
    make = NewObjects(RescoutSchedule, now=now, new_id=IdSequence(now))  # the rows of a batch, made at `now`
    for fact in facts:  # in the order of the rejections: the latest one wins
        for rule in rules:
            if not matches(rule, fact):
                continue
            for row in schedule_rows(rule, fact, new=make):
                key = (rule.pk, row.candidate_id, row.step)
                current = known.get(key)
                if current is None:
                    known[key] = new[row.pk] = row
                elif current.state == State.PENDING:
                    current.application_id, current.due_at, current.updated_at = row.application_id, row.due_at, now
                    if current.pk not in new:
                        moved[current.pk] = current
    insert_many(RescoutSchedule, list(new.values()))
    RescoutSchedule.objects.bulk_update(list(moved.values()), ["application", "due_at", "updated_at"], batch_size=500)


class _Tick:
    """What one tick loads once per org, not once per chunk: the org, its settings, rules and
    content (open jobs, templates), and the jobs people applied for (titles for the messages)."""

    def __init__(self) -> None:
        self.orgs: dict[Any, Organization] = {}
        self.content: dict[Any, OrgContent] = {}
        self.rules: dict[Any, RescoutRule] = {}
        self.jobs: dict[Any, JobRequisition | None] = {}

    def org(self, org_id: Any) -> Organization:
        if org_id not in self.orgs:
            self.orgs[org_id] = Organization.objects.get(pk=org_id)
            self.content[org_id] = OrgContent.load(self.orgs[org_id])
            self.rules.update((rule.pk, rule) for rule in RescoutRule.objects.filter(org_id=org_id))
        return self.orgs[org_id]

    def load_jobs(self, job_ids: set[Any]) -> None:
        missing = job_ids - set(self.jobs)
        if missing:
            found = JobRequisition.objects.filter(pk__any_of=missing).only("id", "title", "department")
            self.jobs.update((job.pk, job) for job in found)


def compose_rescout_messages(at: datetime, *, chunk: int = CHUNK) -> int:
    """Turn every schedule row due by `at` into a message or a recorded skip; returns how many
    messages were queued.

    The first chunk is composed on the caller's connection. If it was full (more may be due), on
    PostgreSQL and outside a caller's transaction (the worker), two connections take the rest
    side by side (SKIP LOCKED keeps them apart): while the server writes one chunk, Python
    composes the next. Two chunks composed at once can each place a message for one person
    without seeing the other's; the dispatcher's frequency-cap check at sending time then defers
    the second. An idle tick opens no connection."""
    tick = _Tick()
    queued, full = _compose_chunk(at, chunk, tick)
    if not full:
        return queued
    if connection.vendor != "postgresql" or connection.in_atomic_block or TICK_CONNECTIONS < 2:
        return queued + _compose_chunks(at, chunk, tick)
    pinned = clock.pinned()
    with ThreadPoolExecutor(max_workers=TICK_CONNECTIONS, thread_name_prefix="rescout") as pool:
        futures = [pool.submit(_compose_on_own_connection, at, chunk, pinned) for _ in range(TICK_CONNECTIONS)]
        return queued + sum(future.result() for future in futures)


def _compose_on_own_connection(at: datetime, chunk: int, pinned: datetime | None) -> int:
    try:
        with clock.frozen_at(pinned) if pinned is not None else contextlib.nullcontext():
            return _compose_chunks(at, chunk, _Tick())
    finally:
        connections.close_all()  # this thread's connections only


def _compose_chunks(at: datetime, chunk: int, tick: _Tick) -> int:
    queued, full = 0, True
    while full:
        done, full = _compose_chunk(at, chunk, tick)
        queued += done
    return queued


def _compose_chunk(at: datetime, chunk: int, tick: _Tick) -> tuple[int, bool]:
    """One chunk of due rows, in one transaction: (messages queued, whether the chunk was full)."""
    queued = 0
    with transaction.atomic():
        due = _with_stop_facts(RescoutSchedule.objects.filter(state=State.PENDING, due_at__lte=at)).order_by("due_at")
        if connection.vendor == "postgresql":
            due = due.select_for_update(skip_locked=True, of=("self",))  # the schedule rows only
        rows = [_Due(*values) for values in due.values_list(*_Due._fields)[:chunk]]
        by_org: dict[Any, list[_Due]] = defaultdict(list)
        for row in rows:
            by_org[row.org_id].append(row)
        for org_id, org_rows in by_org.items():
            queued += _compose(tick.org(org_id), org_rows, at, tick)
    return queued, len(rows) == chunk


class _Due(NamedTuple):
    id: Any
    org_id: Any
    candidate_id: Any
    application_id: Any
    rule_id: Any
    step: int
    job_id: Any  # of the row's application
    hired: bool
    reapplied: bool


def _stop_reason(hired: bool, reapplied: bool) -> str:
    return "hired" if hired else "reapplied" if reapplied else ""


def _with_stop_facts(rows: QuerySet[RescoutSchedule]) -> QuerySet[RescoutSchedule]:
    """Schedule rows with what stops a re-scout, asked of the database (two EXISTS a row, no
    application's dates read into Python): `hired` in any application, `reapplied` after this
    row's application closed; and `job_id`, the job that application was for."""
    same_person = Application.objects.filter(candidate_id=OuterRef("candidate_id"))
    closed = Coalesce(OuterRef("application__closed_at"), OuterRef("application__applied_at"))
    return rows.annotate(
        job_id=F("application__job_id"),
        hired=Exists(same_person.filter(status=Application.Status.HIRED)),
        reapplied=Exists(same_person.filter(applied_at__gt=closed)),
    )


def stop_reasons(rows: list[RescoutSchedule]) -> dict[Any, str]:
    """Per schedule row: why the person should no longer be re-scouted ("" if nothing stops it)."""
    facts = _with_stop_facts(RescoutSchedule.objects.filter(pk__any_of={row.pk for row in rows}))
    found = facts.values_list(*("pk", "hired", "reapplied"))  # annotated: not model fields to the type checker
    return {pk: _stop_reason(hired, reapplied) for pk, hired, reapplied in found}


def last_capped(candidate_ids: set[Any]) -> dict[Any, datetime]:
    """When each person last got (or is next due to get) a message under the frequency cap."""
    rows = (
        ScheduledMessage.objects.filter(candidate_id__any_of=candidate_ids, kind__in=CAPPED_KINDS, status__in=_COUNTED)
        .values("candidate_id")
        .annotate(last=Max(Coalesce("sent_at", "due_at")))
    )
    return {row["candidate_id"]: row["last"] for row in rows}


class _Reader(NamedTuple):
    """What the tick reads of a person beyond what the message says (`Person`): plain rows, not
    model instances (thousands a tick)."""

    person: Person
    language: str
    available_from: date | None
    erased_at: datetime | None
    merged_into_id: Any


_READ = (*Person._fields, *_Reader._fields[1:])


def _compose(org: Organization, rows: list[_Due], at: datetime, tick: _Tick) -> int:
    """One chunk of one org's due rows (with their stop reasons and jobs), in a fixed number of
    queries whatever the chunk's size: people, consent, suppressions, the last capped message per
    person."""
    values = outreach_settings.for_org(org)
    cap = timedelta(days=values.cap_days)
    candidate_ids = {row.candidate_id for row in rows}
    people = {
        found[0]: _Reader(Person._make(found[: len(Person._fields)]), *found[len(Person._fields) :])
        for found in Candidate.objects.filter(pk__any_of=candidate_ids).values_list(*_READ)
    }
    tick.load_jobs({row.job_id for row in rows if row.job_id})
    consenting = set(
        consenting_candidate_ids(org=org, purpose=purposes.RECONTACT, at=at)
        .filter(pk__any_of=candidate_ids)
        .values_list("pk", flat=True)
    )
    emails = {reader.person.email for reader in people.values() if reader.person.email}
    suppressed = set(Suppression.objects.filter(org=org, email__any_of=emails).values_list("email", flat=True))
    last = last_capped(candidate_ids)
    content = tick.content[org.pk]
    opening = outreach_settings.next_slot(at, values)  # where most messages go: the same for all
    messages: list[NewMessage] = []
    # row, state, reason, new due_at (None: unchanged), message key
    changes: list[tuple[_Due, str, str, datetime | None, str]] = []
    for row in rows:
        reader = people[row.candidate_id]
        person = reader.person
        reason = (
            "erased"
            if reader.erased_at is not None or reader.merged_into_id is not None
            else "no_email"
            if not person.email
            else _stop_reason(row.hired, row.reapplied) or ("no_consent" if person.id not in consenting else "")
        )
        if not reason and person.email in suppressed:
            reason = "suppressed"
        if reason:
            changes.append((row, State.SKIPPED, reason, None, ""))
            continue
        available = reader.available_from
        if tick.rules[row.rule_id].wait_for_availability and available and outreach_settings.first_day(available) > at:
            changes.append((row, State.PENDING, "", outreach_settings.first_day(available), ""))
            continue
        slot = outreach_settings.next_slot(max(at, last[person.id] + cap), values) if person.id in last else opening
        last[person.id] = slot
        language = language_for(reader.language, org)
        message_id = new_id()
        rendered = content.render_for_job(
            person=person,
            job=tick.jobs.get(row.job_id),
            step=row.step,
            language=language,
            message_id=message_id,
        )
        key = f"rescout:{person.id}:{row.rule_id}:{row.step}"
        messages.append(
            NewMessage(
                id=message_id,
                candidate_id=person.id,
                application_id=row.application_id,
                kind=kind_for_step(row.step),
                purpose=purposes.RECONTACT,
                key=key,
                due_at=slot,
                to_email=person.email,
                language=language,
                subject=rendered.subject,
                body=rendered.body,
            )
        )
        changes.append((row, State.QUEUED, "", None, key))
    ids = insert_messages(org.pk, messages, at)
    save_changes(
        [
            ScheduleChange(id=row.id, state=state, skip_reason=reason, due_at=due_at, message_id=ids.get(key))
            for row, state, reason, due_at, key in changes
        ],
        at,
    )
    if messages:
        system_actor(org, "re-scout planner").audit("rescout.queued", details={"messages": len(messages)})
    return len(messages)
