"""The planner tick's writes, one statement per chunk: the queued messages and the schedule rows'
new states. On PostgreSQL both go through `unnest` of one array per column (no per-row SQL, no
ORM instances); SQLite, which has no arrays, gets `bulk_create` and `executemany`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection

from careerrelay.outreach.models import RescoutSchedule, ScheduledMessage
from careerrelay.outreach.rawsql import db_values


@dataclass(frozen=True)
class NewMessage:
    id: Any
    candidate_id: Any
    application_id: Any
    kind: str
    purpose: str
    key: str
    due_at: datetime
    to_email: str
    language: str
    subject: str
    body: str


@dataclass(frozen=True)
class ScheduleChange:
    id: Any
    state: str
    skip_reason: str
    due_at: datetime | None  # None: unchanged
    message_id: Any


_INSERT = """
INSERT INTO outreach_scheduledmessage (
    id, org_id, created_at, updated_at, candidate_id, application_id, kind, purpose, idempotency_key,
    status, due_at, to_email, language, subject, body, attempts, claimed_at, sent_at, message_id,
    last_error, cancelled_reason, provider_event)
SELECT u.id, %b, %b, %b, u.candidate_id, u.application_id, u.kind, u.purpose, u.key,
    %b, u.due_at, u.to_email, u.language, u.subject, u.body, 0, NULL, NULL, '', '', '', ''
FROM unnest(%b::uuid[], %b::uuid[], %b::uuid[], %b::text[], %b::text[], %b::text[], %b::timestamptz[],
    %b::text[], %b::text[], %b::text[], %b::text[])
    AS u(id, candidate_id, application_id, kind, purpose, key, due_at, to_email, language, subject, body)
ON CONFLICT (org_id, idempotency_key) DO NOTHING
RETURNING idempotency_key
"""

_UPDATE = """
UPDATE outreach_rescoutschedule AS s
SET state = u.state, skip_reason = u.skip_reason, due_at = COALESCE(u.due_at, s.due_at),
    message_id = u.message_id, updated_at = %b
FROM unnest(%b::uuid[], %b::text[], %b::text[], %b::timestamptz[], %b::uuid[])
    AS u(id, state, skip_reason, due_at, message_id)
WHERE s.id = u.id
"""


def _bound_cursor() -> Any:
    """A psycopg cursor that sends the arrays as parameters (server-side binding). Django's own
    cursor binds on the client, quoting every value into the statement's text: for ten thousand
    3 KB bodies that escaping costs more than the insert itself. The statements ask for binary
    parameters (`%b`): a text array in text form is scanned element by element for characters to
    quote, ~0.1 s of a tick's 10,000 messages."""
    import psycopg

    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


def insert_messages(org_id: Any, messages: Sequence[NewMessage], at: datetime) -> dict[str, Any]:
    """Queue the messages (a key already queued keeps its message); returns each key's message id."""
    if not messages:
        return {}
    ids = {message.key: message.id for message in messages}
    if connection.vendor == "postgresql":
        columns = [
            [getattr(message, name) for message in messages]
            for name in NewMessage.__dataclass_fields__  # declaration order = the unnest order
        ]
        with _bound_cursor() as cursor:
            cursor.execute(_INSERT, [org_id, at, at, ScheduledMessage.Status.PLANNED, *columns])
            inserted = {key for (key,) in cursor.fetchall()}
    else:
        ScheduledMessage.objects.bulk_create(
            [
                ScheduledMessage(
                    id=message.id,
                    org_id=org_id,
                    candidate_id=message.candidate_id,
                    application_id=message.application_id,
                    kind=message.kind,
                    purpose=message.purpose,
                    idempotency_key=message.key,
                    due_at=message.due_at,
                    to_email=message.to_email,
                    language=message.language,
                    subject=message.subject,
                    body=message.body,
                    created_at=at,
                    updated_at=at,
                )
                for message in messages
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
        inserted = set()  # SQLite's bulk insert does not say which rows went in
    # Usually every row went in; a key queued before (a tick that ran twice) keeps its message.
    earlier = [message.key for message in messages if message.key not in inserted]
    if earlier:
        ids.update(
            ScheduledMessage.objects.filter(org_id=org_id, idempotency_key__any_of=earlier).values_list(
                "idempotency_key", "pk"
            )
        )
    return ids


def save_changes(changes: Sequence[ScheduleChange], at: datetime) -> None:
    if not changes:
        return
    if connection.vendor == "postgresql":
        with _bound_cursor() as cursor:
            cursor.execute(
                _UPDATE,
                [
                    at,
                    [change.id for change in changes],
                    [change.state for change in changes],
                    [change.skip_reason for change in changes],
                    [change.due_at for change in changes],
                    [change.message_id for change in changes],
                ],
            )
        return
    prep = db_values(RescoutSchedule, "id", "due_at", "updated_at", "message")
    updated_at = prep["updated_at"](at)
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE outreach_rescoutschedule SET state = %s, skip_reason = %s, due_at = COALESCE(%s, due_at),"
            " message_id = %s,"
            " updated_at = %s WHERE id = %s",
            [
                (
                    change.state,
                    change.skip_reason,
                    prep["due_at"](change.due_at),
                    prep["message"](change.message_id),
                    updated_at,
                    prep["id"](change.id),
                )
                for change in changes
            ],
        )
