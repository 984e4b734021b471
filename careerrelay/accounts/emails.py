"""The account-mail outbox: queued in the caller's transaction, sent by the worker with retries."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.message import make_msgid
from django.db.models import F

from careerrelay.accounts.models import SystemEmail
from careerrelay.core import clock

logger = logging.getLogger(__name__)

# After each failed attempt, wait this long; past the last, the mail is marked failed and shown.
RETRY_DELAYS = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2)]
LEASE = timedelta(minutes=10)
BATCH = 50


def queue(*, to: str, subject: str, body: str) -> SystemEmail:
    return SystemEmail.objects.create(to=to, subject=subject, body=body)


def _claim(mail: SystemEmail, at: datetime) -> bool:
    """Lease the row so that a second worker skips it; a crash lets the lease run out and retry."""
    return (
        SystemEmail.objects.filter(
            pk=mail.pk, status=SystemEmail.Status.PENDING, next_attempt_at=mail.next_attempt_at
        ).update(next_attempt_at=at + LEASE, attempts=F("attempts") + 1)
        == 1
    )


def send_due(at: datetime) -> int:
    due = list(
        SystemEmail.objects.filter(status=SystemEmail.Status.PENDING, next_attempt_at__lte=at).order_by(
            "next_attempt_at"
        )[:BATCH]
    )
    if not due:
        return 0
    sent = 0
    connection = get_connection(fail_silently=False)
    try:
        for mail in due:
            if not _claim(mail, at):
                continue
            mail.refresh_from_db()
            message_id = make_msgid(domain=settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">"))
            message = EmailMessage(
                subject=mail.subject,
                body=mail.body,
                to=[mail.to],
                connection=connection,
                headers={"Message-ID": message_id, "Auto-Submitted": "auto-generated"},
            )
            try:
                message.send()
            except Exception as exc:  # noqa: BLE001 - any transport error is retried or reported
                _record_failure(mail, at, exc)
                continue
            SystemEmail.objects.filter(pk=mail.pk).update(
                status=SystemEmail.Status.SENT, sent_at=clock.now(), message_id=message_id, last_error=""
            )
            sent += 1
    finally:
        try:
            connection.close()
        except Exception:
            logger.warning("closing the mail connection failed", exc_info=True)
    return sent


def _record_failure(mail: SystemEmail, at: datetime, exc: Exception) -> None:
    logger.warning("sending system email %s failed (attempt %s): %s", mail.pk, mail.attempts, exc)
    if mail.attempts > len(RETRY_DELAYS):
        SystemEmail.objects.filter(pk=mail.pk).update(status=SystemEmail.Status.FAILED, last_error=repr(exc)[:2000])
        return
    SystemEmail.objects.filter(pk=mail.pk).update(
        next_attempt_at=at + RETRY_DELAYS[mail.attempts - 1], last_error=repr(exc)[:2000]
    )
