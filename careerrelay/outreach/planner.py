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

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.db.models.functions import Coalesce

from careerrelay.candidates.hooks import Rejection
from careerrelay.candidates.models import Application
from careerrelay.consent import purposes
from careerrelay.consent.gate import consenting_candidate_ids
from careerrelay.core import clock
from careerrelay.core.bulkinsert import insert_many
from careerrelay.core.ids import new_id
from careerrelay.orgs.actors import system_actor
from careerrelay.orgs.models import Organization
from careerrelay.outreach import settings as outreach_settings
from careerrelay.outreach.compose import language_of
from careerrelay.outreach.models import CAPPED_KINDS, RescoutRule, RescoutSchedule, ScheduledMessage, Suppression
from careerrelay.outreach.rawsql import db_values
from careerrelay.outreach.rescout_content import OrgContent, kind_for_step
from careerrelay.outreach.rescout_rules import RejectionFacts, facts_of, matches, schedule_rows

State = RescoutSchedule.State
Status = ScheduledMessage.Status
CHUNK = 1000
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
        for row in RescoutSchedule.objects.filter(rule__in=rules, candidate_id__in={f.candidate_id for f in facts})
    }
    new: dict[Any, RescoutSchedule] = {}
    moved: dict[Any, RescoutSchedule] = {}
    now = clock.now()
    for fact in facts:  # in the order of the rejections: the latest one wins
        for rule in rules:
            if not matches(rule, fact):
                continue
            for row in schedule_rows(rule, fact):
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


def _save_rows(rows: list[RescoutSchedule], at: datetime) -> None:
    """One statement, many parameter sets: the ORM's bulk_update builds a CASE per column and row."""
    prep = db_values(RescoutSchedule, "id", "due_at", "updated_at", "message")
    updated_at = prep["updated_at"](at)
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE outreach_rescoutschedule SET state = %s, skip_reason = %s, due_at = %s, message_id = %s,"
            " updated_at = %s WHERE id = %s",
            [
                (
                    row.state,
                    row.skip_reason,
                    prep["due_at"](row.due_at),
                    prep["message"](row.message_id),
                    updated_at,
                    prep["id"](row.pk),
                )
                for row in rows
            ],
        )


def compose_rescout_messages(at: datetime, *, chunk: int = CHUNK) -> int:
    """Turn every schedule row due by `at` into a message or a recorded skip; returns how many
    messages were queued."""
    queued = 0
    while True:
        with transaction.atomic():
            due = RescoutSchedule.objects.filter(state=State.PENDING, due_at__lte=at).order_by("due_at")
            if connection.vendor == "postgresql":
                due = due.select_for_update(skip_locked=True, of=("self",))
            rows = list(due.select_related("candidate", "application", "application__job", "rule")[:chunk])
            if not rows:
                return queued
            by_org: dict[Any, list[RescoutSchedule]] = defaultdict(list)
            for row in rows:
                by_org[row.org_id].append(row)
            for org in Organization.objects.filter(pk__in=list(by_org)):
                queued += _compose(org, by_org[org.pk], at)
        if len(rows) < chunk:
            return queued


def stop_reasons(rows: list[RescoutSchedule]) -> dict[Any, str]:
    """Per schedule row: why the person should no longer be re-scouted ("" if nothing stops it)."""
    later: dict[Any, list[tuple[datetime, str]]] = defaultdict(list)
    for candidate_id, applied_at, status in Application.objects.filter(
        candidate_id__in={row.candidate_id for row in rows}
    ).values_list("candidate_id", "applied_at", "status"):
        later[candidate_id].append((applied_at, status))
    stops = {}
    for row in rows:
        closed_at = row.application.closed_at or row.application.applied_at
        history = later[row.candidate_id]
        if any(status == Application.Status.HIRED for _applied, status in history):
            stops[row.pk] = "hired"
        elif any(applied > closed_at for applied, _status in history):
            stops[row.pk] = "reapplied"
        else:
            stops[row.pk] = ""
    return stops


def last_capped(candidate_ids: set[Any]) -> dict[Any, datetime]:
    """When each person last got (or is next due to get) a message under the frequency cap."""
    rows = (
        ScheduledMessage.objects.filter(candidate_id__in=candidate_ids, kind__in=CAPPED_KINDS, status__in=_COUNTED)
        .values("candidate_id")
        .annotate(last=Max(Coalesce("sent_at", "due_at")))
    )
    return {row["candidate_id"]: row["last"] for row in rows}


def _compose(org: Organization, rows: list[RescoutSchedule], at: datetime) -> int:
    values = outreach_settings.for_org(org)
    cap = timedelta(days=values.cap_days)
    candidate_ids = {row.candidate_id for row in rows}
    consenting = set(
        consenting_candidate_ids(org=org, purpose=purposes.RECONTACT, at=at)
        .filter(pk__in=candidate_ids)
        .values_list("pk", flat=True)
    )
    emails = {row.candidate.email for row in rows if row.candidate.email}
    suppressed = set(Suppression.objects.filter(org=org, email__in=emails).values_list("email", flat=True))
    stops = stop_reasons(rows)
    last = last_capped(candidate_ids)
    content = OrgContent.load(org)
    messages: list[ScheduledMessage] = []
    for row in rows:
        candidate = row.candidate
        candidate.org = org  # language_of reads the org's default language
        reason = (
            "erased"
            if candidate.erased_at is not None or candidate.merged_into_id is not None
            else "no_email"
            if not candidate.email
            else stops[row.pk] or ("no_consent" if candidate.pk not in consenting else "")
        )
        if not reason and candidate.email in suppressed:
            reason = "suppressed"
        if reason:
            row.state, row.skip_reason = State.SKIPPED, reason
            continue
        available = candidate.available_from
        if row.rule.wait_for_availability and available and outreach_settings.first_day(available) > at:
            row.due_at = outreach_settings.first_day(available)
            continue
        earliest = max(at, last[candidate.pk] + cap) if candidate.pk in last else at
        slot = outreach_settings.next_slot(earliest, values)
        last[candidate.pk] = slot
        language = language_of(candidate)
        message_id = new_id()
        rendered = content.render(
            candidate=candidate, application=row.application, step=row.step, language=language, message_id=message_id
        )
        messages.append(
            ScheduledMessage(
                id=message_id,
                org=org,
                candidate=candidate,
                application=row.application,
                kind=kind_for_step(row.step),
                purpose=purposes.RECONTACT,
                idempotency_key=f"rescout:{candidate.pk}:{row.rule_id}:{row.step}",
                due_at=slot,
                to_email=candidate.email,
                language=language,
                subject=rendered.subject,
                body=rendered.body,
                created_at=at,
                updated_at=at,
            )
        )
        row.state = State.QUEUED
        row.skip_reason = ""
    ScheduledMessage.objects.bulk_create(messages, ignore_conflicts=True, batch_size=500)
    keys = {message.idempotency_key for message in messages}
    ids = dict(ScheduledMessage.objects.filter(org=org, idempotency_key__in=keys).values_list("idempotency_key", "pk"))
    for row in rows:
        if row.state == State.QUEUED:
            row.message_id = ids[f"rescout:{row.candidate_id}:{row.rule_id}:{row.step}"]
        row.updated_at = at
    _save_rows(rows, at)
    if messages:
        system_actor(org, "re-scout planner").audit("rescout.queued", details={"messages": len(messages)})
    return len(messages)
