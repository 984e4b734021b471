"""What the dispatcher asks about a marketing message (re-scout, newsletter) just before sending,
beyond consent and suppression: has the person re-applied or been hired since, would it break
the frequency cap, and is it inside the send window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max, Q
from django.db.models.functions import Coalesce

from careerrelay.candidates.models import Application
from careerrelay.outreach import settings as outreach_settings
from careerrelay.outreach.models import CAPPED_KINDS, RESCOUT_KINDS, MessageKind, ScheduledMessage

Status = ScheduledMessage.Status


@dataclass(frozen=True)
class Decision:
    cancel: str = ""  # a reason: the message must not go out
    defer_to: datetime | None = None  # not now: put it back, due then


SEND_NOW = Decision()


def _rescout_stop(message: ScheduledMessage) -> str:
    since = message.application.closed_at if message.application and message.application.closed_at else None
    later = Application.objects.filter(candidate_id=message.candidate_id)
    if later.filter(status=Application.Status.HIRED).exists():
        return "hired"
    if since is not None and later.filter(applied_at__gt=since).exists():
        return "reapplied"
    return ""


def _last_sent(message: ScheduledMessage) -> datetime | None:
    """The last marketing message the person got, or may have got (sending or uncertain)."""
    return (
        ScheduledMessage.objects.filter(
            candidate_id=message.candidate_id,
            kind__in=CAPPED_KINDS,
            status__in=(Status.SENT, Status.SENDING, Status.UNCERTAIN),
        )
        .exclude(pk=message.pk)
        .filter(Q(sent_at__isnull=False) | Q(claimed_at__isnull=False))
        .aggregate(last=Max(Coalesce("sent_at", "claimed_at")))["last"]
    )


def send_time_check(message: ScheduledMessage, at: datetime) -> Decision:
    if message.kind not in CAPPED_KINDS:
        return SEND_NOW
    if message.kind in RESCOUT_KINDS:
        stop = _rescout_stop(message)
        if stop:
            return Decision(cancel=stop)
    values = outreach_settings.for_org(message.org)
    last = _last_sent(message)
    if last is not None and last + timedelta(days=values.cap_days) > at:
        if message.kind == MessageKind.NEWSLETTER:
            # News goes stale: a newsletter that would break the cap is dropped, not delayed.
            return Decision(cancel="frequency_cap")
        return Decision(defer_to=outreach_settings.next_slot(last + timedelta(days=values.cap_days), values))
    if not outreach_settings.in_window(at, values):
        return Decision(defer_to=outreach_settings.next_slot(at, values))
    return SEND_NOW
