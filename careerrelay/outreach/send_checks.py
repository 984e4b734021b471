"""What the dispatcher asks about a marketing message (re-scout, newsletter) just before sending,
beyond consent and suppression: has the person re-applied or been hired since, would it break
the frequency cap, and is it inside the send window."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Max, Q
from django.db.models.functions import Coalesce

from careerrelay.candidates.models import Application
from careerrelay.consent.gate import consenting_candidate_ids
from careerrelay.outreach import settings as outreach_settings
from careerrelay.outreach.models import CAPPED_KINDS, RESCOUT_KINDS, MessageKind, ScheduledMessage, Suppression

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


def send_time_check(message: ScheduledMessage, at: datetime, *, taken: set[Any] | None = None) -> Decision:
    """`taken`: people who already get a capped message from this batch."""
    if message.kind not in CAPPED_KINDS:
        return SEND_NOW
    if message.kind in RESCOUT_KINDS:
        stop = _rescout_stop(message)
        if stop:
            return Decision(cancel=stop)
    values = outreach_settings.for_org(message.org)
    last = at if taken is not None and message.candidate_id in taken else _last_sent(message)
    if last is not None and last + timedelta(days=values.cap_days) > at:
        if message.kind == MessageKind.NEWSLETTER:
            # News goes stale: a newsletter that would break the cap is dropped, not delayed.
            return Decision(cancel="frequency_cap")
        return Decision(defer_to=outreach_settings.next_slot(last + timedelta(days=values.cap_days), values))
    if not outreach_settings.in_window(at, values):
        return Decision(defer_to=outreach_settings.next_slot(at, values))
    if taken is not None:
        taken.add(message.candidate_id)
    return SEND_NOW


@dataclass
class Screened:
    send: list[ScheduledMessage] = field(default_factory=list)
    cancel: dict[Any, str] = field(default_factory=dict)
    defer: dict[Any, datetime] = field(default_factory=dict)


def _consenting(claimed: list[ScheduledMessage], at: datetime) -> set[tuple[Any, str]]:
    """(candidate, purpose) pairs whose consent is in force: one query per org and purpose."""
    groups: dict[tuple[Any, str], set[Any]] = defaultdict(set)
    orgs = {}
    for message in claimed:
        if message.purpose:
            groups[(message.org_id, message.purpose)].add(message.candidate_id)
            orgs[message.org_id] = message.org
    allowed = set()
    for (org_id, purpose), ids in groups.items():
        found = consenting_candidate_ids(org=orgs[org_id], purpose=purpose, at=at).filter(pk__in=ids)
        allowed |= {(pk, purpose) for pk in found.values_list("pk", flat=True)}
    return allowed


def screen(claimed: list[ScheduledMessage], at: datetime) -> Screened:
    """The send-time checks for a claimed batch, in a handful of queries: erasure, consent for the
    message's purpose, suppression, then (marketing only) stop conditions, cap and window."""
    consenting = _consenting(claimed, at)
    suppressed = set(
        Suppression.objects.filter(
            org_id__in={m.org_id for m in claimed}, email__in={m.to_email for m in claimed}
        ).values_list("org_id", "email")
    )
    screened = Screened()
    taken: set[Any] = set()
    for message in claimed:
        if message.candidate.erased_at is not None or not message.to_email:
            screened.cancel[message.pk] = "erased"
        elif message.purpose and (message.candidate_id, message.purpose) not in consenting:
            screened.cancel[message.pk] = "no_consent"
        elif (message.org_id, message.to_email) in suppressed:
            screened.cancel[message.pk] = "suppressed"
        else:
            decision = send_time_check(message, at, taken=taken)
            if decision.cancel:
                screened.cancel[message.pk] = decision.cancel
            elif decision.defer_to is not None:
                screened.defer[message.pk] = decision.defer_to
            else:
                screened.send.append(message)
    return screened
