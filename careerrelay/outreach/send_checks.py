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


def rescout_stops(messages: list[ScheduledMessage]) -> dict[Any, str]:
    """Per re-scout message: "hired" or "reapplied" if the person has been since, else ""; one
    query for the whole batch."""
    rescouts = [message for message in messages if message.kind in RESCOUT_KINDS]
    history: dict[Any, list[tuple[datetime, str]]] = defaultdict(list)
    if rescouts:
        for candidate_id, applied_at, status in Application.objects.filter(
            candidate_id__any_of={message.candidate_id for message in rescouts}
        ).values_list("candidate_id", "applied_at", "status"):
            history[candidate_id].append((applied_at, status))
    stops = {}
    for message in rescouts:
        since = message.application.closed_at if message.application and message.application.closed_at else None
        later = history[message.candidate_id]
        if any(status == Application.Status.HIRED for _applied, status in later):
            stops[message.pk] = "hired"
        elif since is not None and any(applied > since for applied, _status in later):
            stops[message.pk] = "reapplied"
        else:
            stops[message.pk] = ""
    return stops


def last_sent(messages: list[ScheduledMessage]) -> dict[Any, datetime]:
    """Per person: the last marketing message they got, or may have got (sending or uncertain),
    other than these messages; one query."""
    rows = (
        ScheduledMessage.objects.filter(
            candidate_id__any_of={message.candidate_id for message in messages},
            kind__in=CAPPED_KINDS,
            status__in=(Status.SENT, Status.SENDING, Status.UNCERTAIN),
        )
        .exclude(pk__any_of=[message.pk for message in messages])
        .filter(Q(sent_at__isnull=False) | Q(claimed_at__isnull=False))
        .values("candidate_id")
        .annotate(last=Max(Coalesce("sent_at", "claimed_at")))
    )
    return {row["candidate_id"]: row["last"] for row in rows}


def cap_check(message: ScheduledMessage, last: datetime | None, at: datetime) -> Decision:
    """The frequency cap for one capped message, given when the person last got one."""
    values = outreach_settings.for_org(message.org)
    if last is not None and last + timedelta(days=values.cap_days) > at:
        if message.kind == MessageKind.NEWSLETTER:
            # News goes stale: a newsletter that would break the cap is dropped, not delayed.
            return Decision(cancel="frequency_cap")
        return Decision(defer_to=outreach_settings.next_slot(last + timedelta(days=values.cap_days), values))
    return SEND_NOW


def send_time_check(
    message: ScheduledMessage, at: datetime, *, stop: str, last: dict[Any, datetime], taken: set[Any]
) -> Decision:
    """Stop conditions, cap and window for a marketing message. `last`: the people's last capped
    message (see `last_sent`); `taken`: people who already get a capped message from this batch."""
    if message.kind not in CAPPED_KINDS:
        return SEND_NOW
    if stop:
        return Decision(cancel=stop)
    values = outreach_settings.for_org(message.org)
    decision = cap_check(message, at if message.candidate_id in taken else last.get(message.candidate_id), at)
    if decision != SEND_NOW:
        return decision
    if not outreach_settings.in_window(at, values):
        return Decision(defer_to=outreach_settings.next_slot(at, values))
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
        found = consenting_candidate_ids(org=orgs[org_id], purpose=purpose, at=at).filter(pk__any_of=ids)
        allowed |= {(pk, purpose) for pk in found.values_list("pk", flat=True)}
    return allowed


def screen(claimed: list[ScheduledMessage], at: datetime) -> Screened:
    """The send-time checks for a claimed batch, in a handful of queries: erasure, consent for the
    message's purpose, suppression, then (marketing only) stop conditions, cap and window."""
    consenting = _consenting(claimed, at)
    suppressed = set(
        Suppression.objects.filter(
            org_id__in={m.org_id for m in claimed}, email__any_of={m.to_email for m in claimed}
        ).values_list("org_id", "email")
    )
    capped = [message for message in claimed if message.kind in CAPPED_KINDS]
    stops = rescout_stops(capped)
    last = last_sent(capped) if capped else {}
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
            decision = send_time_check(message, at, stop=stops.get(message.pk, ""), last=last, taken=taken)
            if decision.cancel:
                screened.cancel[message.pk] = decision.cancel
            elif decision.defer_to is not None:
                screened.defer[message.pk] = decision.defer_to
            else:
                screened.send.append(message)
    return screened
