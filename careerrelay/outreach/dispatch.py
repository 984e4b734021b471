"""The dispatcher: claims due messages, checks again that each may still be sent, sends it
through Django's mail backend (EMAIL_URL) on a few reused connections, and records the result.

At most once: a batch is claimed (`claimed`); a small group of it (GROUP) is marked `sending`
(committed) just before it is handed to the mail server's connections, and `sent` after. The
connections work through a queue without waiting for each other, and a new group is marked (in
the same statement that records the messages sent meanwhile) whenever there is room: never more
than WINDOW messages are `sending` at once. A worker that dies leaves at most those `sending`
(AT_RISK); once the lease has run out those rows become `uncertain`, are shown to admins, and
are never sent again by themselves, while the rows it had only claimed go back to `planned`
(they never left).

The frequency cap is checked again when a group is marked `sending`, under per-person advisory
locks on PostgreSQL, so two workers cannot both send a capped message to one person.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from email.header import Header
from email.message import Message
from email.utils import formataddr, parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse

from careerrelay.accounts.services import public_url
from careerrelay.candidates.models import Application, Candidate
from careerrelay.consent.policy import org_display_name
from careerrelay.consent.tokens import portal_token
from careerrelay.core import clock, mime, storage
from careerrelay.orgs.models import Organization
from careerrelay.outreach.mail_pool import MailPool
from careerrelay.outreach.models import CAPPED_KINDS, MessageKind, ScheduledMessage, Suppression
from careerrelay.outreach.rawsql import db_values
from careerrelay.outreach.send_checks import Screened, cap_check, last_sent, screen

logger = logging.getLogger(__name__)

Status = ScheduledMessage.Status
LEASE = timedelta(minutes=10)
RETRY_DELAYS = [timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=8)]
BATCH = 200
# Room the database must have before a batch is handed to SMTP, so that it can record the result.
SEND_HEADROOM_BYTES = 1024 * 1024
# Batches per tick: 25 × 200 messages take well under the 10-minute lease at 200 messages/s.
MAX_BATCHES = 25
# Messages marked `sending` by one statement (which also records those sent since the last one).
GROUP = 16
# Messages `sending` and not yet recorded, at most: enough to keep every SMTP connection busy
# while a statement commits. A worker killed at any moment leaves at most this many `uncertain`;
# the rest of its claimed batch goes back to `planned` when the lease lapses.
WINDOW = 64
AT_RISK = WINDOW
# Advisory lock namespace (first key) for the per-person frequency cap locks.
_CAP_LOCKS = 0x43524150
_SENDABLE = (Status.PLANNED, Status.RETRYING)


def _claim(at: datetime, limit: int) -> list[ScheduledMessage]:
    due = ScheduledMessage.objects.filter(status__in=_SENDABLE, due_at__lte=at).order_by("due_at", "id")
    if connection.vendor == "postgresql":
        with transaction.atomic():
            ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
            ScheduledMessage.objects.filter(pk__any_of=ids).update(
                status=Status.CLAIMED, claimed_at=at, attempts=F("attempts") + 1
            )
    else:
        ids = []
        for pk in due.values_list("pk", flat=True)[:limit]:
            # A conditional UPDATE: only the worker that still sees the row as sendable wins it.
            won = ScheduledMessage.objects.filter(pk=pk, status__in=_SENDABLE).update(
                status=Status.CLAIMED, claimed_at=at, attempts=F("attempts") + 1
            )
            if won:
                ids.append(pk)
    claimed = list(
        ScheduledMessage.objects.filter(pk__any_of=ids)
        .select_related("candidate", "application")
        .defer(*_UNREAD)
        .order_by("due_at")
    )
    # A batch comes from a handful of orgs: one object each, not one per message.
    orgs = Organization.objects.in_bulk({message.org_id for message in claimed})
    for message in claimed:
        message.org = orgs[message.org_id]
    return claimed


# Of the person and the application only erasure and the closing date are read at send time;
# the rest (résumé text, skills…) would be read and turned into objects for every message. Of
# the message itself, what only the dispatcher's own UPDATEs write is not read either.
def _unread(relation: str, model: Any, read: tuple[str, ...]) -> list[str]:
    return [f"{relation}__{field.name}" for field in model._meta.concrete_fields if field.name not in read]


_UNREAD = [
    *_unread("candidate", Candidate, ("id", "erased_at")),
    *_unread("application", Application, ("id", "closed_at")),
    *("created_at", "updated_at", "sent_at", "message_id", "last_error", "cancelled_reason", "provider_event"),
]


def mark_uncertain(at: datetime) -> int:
    """Rows left `sending` past their lease: the worker stopped between asking the mail server
    and recording the answer, so nobody knows whether the mail went out. Rows it had only
    claimed were never handed over: they go back to `planned`."""
    ScheduledMessage.objects.filter(status=Status.CLAIMED, claimed_at__lt=at - LEASE).update(
        status=Status.PLANNED, claimed_at=None, attempts=F("attempts") - 1
    )
    return ScheduledMessage.objects.filter(status=Status.SENDING, claimed_at__lt=at - LEASE).update(
        status=Status.UNCERTAIN, last_error="the worker stopped while sending; check the mail server's log"
    )


class CandidateEmail(EmailMessage):
    """A candidate's mail: written directly as bytes (`core.mime`), the same message Django builds
    in a fraction of the time; Django's own builder for what that does not cover. Django folds a
    long encoded Subject onto a second line, which readers unfold with a leading space; an
    email.header.Header, told the header's name, folds it correctly (both ways)."""

    sender_name = ""
    sender_address = ""

    def prebuilt(self) -> mime.Prebuilt | None:
        raw = mime.plain_text(
            sender_name=self.sender_name,
            sender=self.sender_address,
            to=self.to[0],
            subject=str(self.subject),
            body=str(self.body),
            headers=self.extra_headers,
        )
        return None if raw is None else mime.Prebuilt(raw, envelope=(self.sender_address, [self.to[0]]))

    def message(self) -> Any:
        prebuilt = self.prebuilt()
        if prebuilt is not None:
            return prebuilt
        built = super().message()
        del built["Subject"]
        subject = str(self.subject)
        charset = "us-ascii" if subject.isascii() else "utf-8"
        # The base class's __setitem__: Django's own refuses Header objects.
        Message.__setitem__(built, "Subject", Header(subject, charset, header_name="Subject"))
        return built


_SLOT = "0token0"


class _Links:
    """What every message of a batch shares: one reverse() for the unsubscribe link, the
    Message-ID domain."""

    def __init__(self) -> None:
        self.unsubscribe = public_url(reverse("portal:unsubscribe", kwargs={"token": _SLOT}))
        self.address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
        self.domain = self.address.rsplit("@", 1)[-1] or "careerrelay.localhost"
        self._senders: dict[tuple[Any, str], tuple[str, str]] = {}

    def sender(self, message: ScheduledMessage) -> tuple[str, str]:
        """The org's name in the message's language, and the From header made of it."""
        key = (message.org_id, message.language)
        if key not in self._senders:
            name = org_display_name(message.org, message.language)
            self._senders[key] = (name, formataddr((name, self.address)))
        return self._senders[key]


def _email(message: ScheduledMessage, links: _Links) -> tuple[EmailMessage, str]:
    message_id = make_msgid(domain=links.domain)
    unsubscribe = links.unsubscribe.replace(_SLOT, portal_token(message.candidate))
    if message.kind == MessageKind.NEWSLETTER:
        # A newsletter's unsubscribe stops newsletters only (docs/outreach.md).
        unsubscribe += "?only=newsletter"
    sender_name, from_email = links.sender(message)
    email = CandidateEmail(
        subject=message.subject,
        body=message.body,
        from_email=from_email,
        to=[message.to_email],
        headers={
            "Message-ID": message_id,
            # RFC 8058: mail clients offer a one-click unsubscribe that POSTs to this address.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    email.sender_name, email.sender_address = sender_name, links.address
    return email, message_id


def _is_permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _text in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def _record_failure(message: ScheduledMessage, at: datetime, exc: Exception) -> None:
    error = repr(exc)[:2000]
    logger.warning("message %s failed (attempt %s): %s", message.pk, message.attempts, error)
    if _is_permanent(exc):
        Suppression.objects.get_or_create(
            org=message.org, email=message.to_email, defaults={"reason": "bounce", "detail": error}
        )
        ScheduledMessage.objects.filter(pk=message.pk).update(status=Status.FAILED, last_error=error)
    elif message.attempts > len(RETRY_DELAYS):
        ScheduledMessage.objects.filter(pk=message.pk).update(status=Status.FAILED, last_error=error)
    else:
        ScheduledMessage.objects.filter(pk=message.pk).update(
            status=Status.RETRYING, due_at=at + RETRY_DELAYS[message.attempts - 1], last_error=error
        )


def dispatch_due(at: datetime, *, limit: int = BATCH, batches: int = MAX_BATCHES) -> int:
    """Send what is due at `at`, batch after batch (bounded, so a tick ends well inside the lease);
    returns how many were sent."""
    room = storage.headroom_bytes()
    if room is not None and room < SEND_HEADROOM_BYTES:
        # A full disk after the hand-over would leave sent mail `uncertain`: wait for space instead.
        logger.error("the database is full (%d bytes left): sending paused, every message stays queued", room)
        return 0
    mark_uncertain(at)
    with _Sender(at) as sender:
        for _batch in range(batches):
            claimed = _claim(at, limit)
            if not claimed:
                break
            # The batch before may still be with the mail server: its last window goes on
            # sending while this one is claimed and screened.
            sender.feed(claimed)
            if len(claimed) < limit:
                break
    return sender.sent


def _apply_screening(screened: Screened) -> None:
    by_reason: dict[str, list[Any]] = {}
    for pk, reason in screened.cancel.items():
        by_reason.setdefault(reason, []).append(pk)
    for reason, ids in by_reason.items():
        ScheduledMessage.objects.filter(pk__any_of=ids).update(status=Status.CANCELLED, cancelled_reason=reason)
    for pk, when in screened.defer.items():
        # Not a failed attempt: the window or the frequency cap said "later".
        ScheduledMessage.objects.filter(pk=pk).update(
            status=Status.PLANNED, due_at=when, claimed_at=None, attempts=F("attempts") - 1
        )


def _lock_people(candidate_ids: set[Any]) -> None:
    """PostgreSQL: one transaction-scoped advisory lock per person, taken in a fixed order (no
    deadlock between workers), so two workers cannot both pass one person's frequency cap."""
    if not candidate_ids or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(%s, hashtext(person)))"
            " FROM (SELECT person FROM unnest(%s::text[]) AS person ORDER BY person) AS people",
            [_CAP_LOCKS, sorted(str(pk) for pk in candidate_ids)],
        )


def _take(group: list[ScheduledMessage], at: datetime) -> list[ScheduledMessage]:
    """Mark a group `sending` in one committed transaction, just before handing it over. Only
    this worker's claim (its claim time) counts: a claim released after a lapsed lease and taken
    again by another worker is no longer ours. Capped messages are checked against the cap once
    more under per-person locks, which are held until the `sending` mark is committed: another
    worker's check for the same person then sees it."""
    with transaction.atomic():
        mine = ScheduledMessage.objects.filter(pk__any_of=[m.pk for m in group], status=Status.CLAIMED, claimed_at=at)
        ours = set(mine.select_for_update().values_list("pk", flat=True))
        capped = [message for message in group if message.pk in ours and message.kind in CAPPED_KINDS]
        if capped:
            _lock_people({message.candidate_id for message in capped})
            last = last_sent(capped)
            screened = Screened()
            for message in capped:
                decision = cap_check(message, last.get(message.candidate_id), at)
                if decision.cancel:
                    screened.cancel[message.pk] = decision.cancel
                elif decision.defer_to is not None:
                    screened.defer[message.pk] = decision.defer_to
                else:
                    last[message.candidate_id] = at
            _apply_screening(screened)
            ours -= set(screened.cancel) | set(screened.defer)
        ScheduledMessage.objects.filter(pk__any_of=ours).update(status=Status.SENDING)
    return [message for message in group if message.pk in ours]


def _record_sent(done: list[tuple[Any, str]], at: datetime) -> None:
    """Record a group as sent in one transaction. Losing this write can only leave the rows
    `sending` (→ uncertain, never resent), so on PostgreSQL it need not wait for the disk."""
    if not done:
        return
    prep = db_values(ScheduledMessage, "id", "sent_at")
    sent_at = prep["sent_at"](clock.now())
    # One statement, many parameter sets (psycopg pipelines them); no per-row ORM work.
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.executemany(
            "UPDATE outreach_scheduledmessage SET status = %s, sent_at = %s, message_id = %s, last_error = ''"
            " WHERE id = %s",
            [(Status.SENT.value, sent_at, message_id, prep["id"](pk)) for pk, message_id in done],
        )


_ADVANCE = """
WITH done AS (
    UPDATE outreach_scheduledmessage AS m SET status = %s, sent_at = %s, message_id = d.message_id, last_error = ''
    FROM unnest(%s::uuid[], %s::text[]) AS d(id, message_id)
    WHERE m.id = d.id
)
UPDATE outreach_scheduledmessage SET status = %s
WHERE id = ANY(%s::uuid[]) AND status = %s AND claimed_at = %s
RETURNING id
"""


def _advance(done: list[tuple[Any, str]], chunk: list[ScheduledMessage], at: datetime) -> list[ScheduledMessage]:
    """Record the group just sent and mark the next one `sending`. On PostgreSQL, for a group
    without capped messages, that is one statement and one commit (the commit the `sending`
    mark needs anyway); otherwise the two steps of `_record_sent` and `_take`."""
    if connection.vendor != "postgresql" or any(message.kind in CAPPED_KINDS for message in chunk):
        _record_sent(done, at)
        return _take(chunk, at)
    with connection.cursor() as cursor:
        cursor.execute(
            _ADVANCE,
            [
                Status.SENT.value,
                clock.now(),
                [pk for pk, _message_id in done],
                [message_id for _pk, message_id in done],
                Status.SENDING.value,
                [message.pk for message in chunk],
                Status.CLAIMED.value,
                at,
            ],
        )
        ours = {row[0] for row in cursor.fetchall()}
    return [message for message in chunk if message.pk in ours]


class _Sender:
    """Keeps up to WINDOW messages with the mail server, across the batches of one tick. Whenever
    a group's worth of room is free, one statement records what was sent meanwhile and marks the
    next group `sending` (committed before that group is handed over); otherwise it waits for the
    server's answers. The SMTP connections are opened with the first message to send, and the
    last answers are awaited and recorded on leaving."""

    def __init__(self, at: datetime) -> None:
        self.at = at
        self.sent = 0
        self.pool: MailPool | None = None
        self.links = _Links()
        self.handed: dict[Any, tuple[ScheduledMessage, str]] = {}  # with the server: pk → (message, Message-ID)
        self.done: list[tuple[Any, str]] = []  # accepted by the server, not yet recorded

    def __enter__(self) -> _Sender:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if exc[0] is None:
                while self.handed:
                    self._collect()
        finally:
            if self.pool is not None:
                self.pool.__exit__(*exc)
        if exc[0] is None:
            _record_sent(self.done, self.at)
            self.sent += len(self.done)

    def feed(self, claimed: list[ScheduledMessage]) -> None:
        """Screen a claimed batch and hand every message that may go to the server, group by
        group; returns once the last group is handed over (not answered)."""
        screened = screen(claimed, self.at)
        _apply_screening(screened)
        waiting = screened.send
        if not waiting:
            return
        if self.pool is None:
            self.pool = MailPool().__enter__()
        pool = self.pool
        while waiting:
            if len(self.handed) + min(GROUP, len(waiting)) > WINDOW:
                self._collect()
                continue
            group, waiting = waiting[:GROUP], waiting[GROUP:]
            taken = _advance(self.done, group, self.at)
            self.sent, self.done = self.sent + len(self.done), []
            for message in taken:
                email, message_id = _email(message, self.links)
                self.handed[message.pk] = (message, message_id)
                pool.put(message.pk, email)

    def _collect(self) -> None:
        assert self.pool is not None
        for pk, error in self.pool.outcomes():
            message, message_id = self.handed.pop(pk)
            if error is None:
                self.done.append((pk, message_id))
            else:
                _record_failure(message, self.at, error)
