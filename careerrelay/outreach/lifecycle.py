"""What happens to planned messages when consent ends or the person is erased, and the renewal
request 30 days before a consent lapses."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef

from careerrelay.candidates.models import Candidate
from careerrelay.consent.hooks import Withdrawal
from careerrelay.consent.models import ConsentEvent
from careerrelay.core.clock import JST
from careerrelay.outreach.compose import context_for, language_of, queue_message, render, template_for
from careerrelay.outreach.models import MessageKind, ScheduledMessage

RENEWAL_NOTICE = timedelta(days=30)
_PENDING = (ScheduledMessage.Status.PLANNED, ScheduledMessage.Status.RETRYING)


def cancel_for_withdrawal(withdrawal: Withdrawal) -> None:
    ScheduledMessage.objects.filter(
        candidate=withdrawal.candidate, purpose=withdrawal.purpose, status__in=_PENDING
    ).update(status=ScheduledMessage.Status.CANCELLED, cancelled_reason="withdrawn")


def erase_messages(candidate: Candidate) -> None:
    ScheduledMessage.objects.filter(candidate=candidate, status__in=_PENDING).update(
        status=ScheduledMessage.Status.CANCELLED, cancelled_reason="erased"
    )
    ScheduledMessage.objects.filter(candidate=candidate).update(to_email="", subject="", body="", last_error="")


def queue_renewals(at: datetime) -> int:
    """Ask once, 30 days ahead, each person whose consent is about to lapse."""
    later = ConsentEvent.objects.filter(
        candidate=OuterRef("candidate"), purpose=OuterRef("purpose"), occurred_at__gt=OuterRef("occurred_at")
    )
    lapsing = (
        ConsentEvent.objects.filter(
            kind=ConsentEvent.Kind.GRANTED, expires_at__gt=at, expires_at__lte=at + RENEWAL_NOTICE
        )
        .exclude(Exists(later))
        .select_related("candidate", "candidate__org")
        .order_by("expires_at")
    )
    queued = 0
    for grant in lapsing:
        candidate = grant.candidate
        if not candidate.email or candidate.erased_at is not None:
            continue
        assert grant.expires_at is not None
        expires_on = grant.expires_at.astimezone(JST).date().isoformat()
        key = f"renewal:{candidate.pk}:{expires_on}"
        if ScheduledMessage.objects.filter(org=candidate.org, idempotency_key=key).exists():
            continue
        language = language_of(candidate)
        template = template_for(candidate.org, MessageKind.CONSENT_RENEWAL, language)
        with transaction.atomic():
            queue_message(
                candidate=candidate,
                kind=MessageKind.CONSENT_RENEWAL,
                key=key,
                rendered=render(template, context_for(candidate, language, expires_on=expires_on)),
                language=language,
                purpose=grant.purpose,
                due_at=at,
            )
        queued += 1
    return queued
