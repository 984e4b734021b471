"""The dispatcher: claims due messages, checks again that each may still be sent, sends it
through Django's mail backend (EMAIL_URL) on one reused connection, and records the result.

At most once: a batch is claimed (`claimed`); each row is marked `sending` just before the mail
server is asked and `sent` after. A worker that dies leaves at most one row `sending`; once the
lease has run out that row becomes `uncertain`, is shown to admins, and is never sent again by
itself, while the rows it had only claimed go back to `planned` (they never left).
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
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse

from careerrelay.accounts.services import public_url
from careerrelay.consent.gate import consent_allows
from careerrelay.consent.policy import org_display_name
from careerrelay.consent.tokens import portal_token
from careerrelay.core import clock
from careerrelay.outreach.models import ScheduledMessage, Suppression
from careerrelay.outreach.send_checks import SEND_NOW, Decision, send_time_check

logger = logging.getLogger(__name__)

Status = ScheduledMessage.Status
LEASE = timedelta(minutes=10)
RETRY_DELAYS = [timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=8)]
BATCH = 200
# Batches per tick: 25 × 200 messages take well under the 10-minute lease at 200 messages/s.
MAX_BATCHES = 25
_SENDABLE = (Status.PLANNED, Status.RETRYING)


def _claim(at: datetime, limit: int) -> list[ScheduledMessage]:
    due = ScheduledMessage.objects.filter(status__in=_SENDABLE, due_at__lte=at).order_by("due_at", "id")
    if connection.vendor == "postgresql":
        with transaction.atomic():
            ids = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
            ScheduledMessage.objects.filter(pk__in=ids).update(
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
    return list(
        ScheduledMessage.objects.filter(pk__in=ids).select_related("candidate", "org", "application").order_by("due_at")
    )


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


def _blocked(message: ScheduledMessage, at: datetime) -> str:
    """Why the message may no longer be sent ("" if it may)."""
    candidate = message.candidate
    if candidate.erased_at is not None or not message.to_email:
        return "erased"
    if message.purpose and not consent_allows(candidate, message.purpose, at=at):
        return "no_consent"
    if Suppression.objects.filter(org=message.org, email=message.to_email).exists():
        return "suppressed"
    return ""


def _sender(message: ScheduledMessage) -> str:
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((org_display_name(message.org, message.language), address))


class CandidateEmail(EmailMessage):
    """Django folds a long encoded Subject onto a second line, which readers unfold with a
    leading space; an email.header.Header, told the header's name, folds it correctly."""

    def message(self) -> Any:
        mime = super().message()
        del mime["Subject"]
        subject = str(self.subject)
        charset = "us-ascii" if subject.isascii() else "utf-8"
        # The base class's __setitem__: Django's own refuses Header objects.
        Message.__setitem__(mime, "Subject", Header(subject, charset, header_name="Subject"))
        return mime


def _email(message: ScheduledMessage, mail_connection: object) -> tuple[EmailMessage, str]:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rsplit("@", 1)[-1] or "careerrelay.localhost"
    message_id = make_msgid(domain=domain)
    unsubscribe = public_url(reverse("portal:unsubscribe", kwargs={"token": portal_token(message.candidate)}))
    email = CandidateEmail(
        subject=message.subject,
        body=message.body,
        from_email=_sender(message),
        to=[message.to_email],
        connection=mail_connection,
        headers={
            "Message-ID": message_id,
            # RFC 8058: mail clients offer a one-click unsubscribe that POSTs to this address.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
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
    mark_uncertain(at)
    sent = 0
    for _batch in range(batches):
        claimed = _claim(at, limit)
        if not claimed:
            break
        sent += _send_batch(claimed, at)
        if len(claimed) < limit:
            break
    return sent


def _put_back(message: ScheduledMessage, decision: Decision) -> None:
    if decision.cancel:
        ScheduledMessage.objects.filter(pk=message.pk).update(status=Status.CANCELLED, cancelled_reason=decision.cancel)
    else:
        # Not a failed attempt: the window or the frequency cap said "later".
        ScheduledMessage.objects.filter(pk=message.pk).update(
            status=Status.PLANNED, due_at=decision.defer_to, claimed_at=None, attempts=F("attempts") - 1
        )


def _send_batch(claimed: list[ScheduledMessage], at: datetime) -> int:
    sent = 0
    mail_connection = get_connection(fail_silently=False)
    try:
        for message in claimed:
            reason = _blocked(message, at)
            if reason:
                ScheduledMessage.objects.filter(pk=message.pk).update(status=Status.CANCELLED, cancelled_reason=reason)
                continue
            decision = send_time_check(message, at)
            if decision != SEND_NOW:
                _put_back(message, decision)
                continue
            email, message_id = _email(message, mail_connection)
            # Only this worker's claim (its claim time) may be sent; a claim released after a
            # lapsed lease and taken again by another worker is no longer ours.
            ours = ScheduledMessage.objects.filter(pk=message.pk, status=Status.CLAIMED, claimed_at=message.claimed_at)
            if not ours.update(status=Status.SENDING):
                continue
            try:
                email.send()
            except Exception as exc:  # noqa: BLE001 - every transport error is retried or reported
                _record_failure(message, at, exc)
                _reset(mail_connection)
                continue
            ScheduledMessage.objects.filter(pk=message.pk).update(
                status=Status.SENT, sent_at=clock.now(), message_id=message_id, last_error=""
            )
            sent += 1
    finally:
        _reset(mail_connection)
    return sent


def _reset(mail_connection: object) -> None:
    """Close the connection; after a failure the next message opens a fresh one."""
    try:
        mail_connection.close()  # type: ignore[attr-defined]
    except Exception:
        logger.warning("closing the mail connection failed", exc_info=True)
