"""The worker's side of newsletters: a due newsletter becomes one outbox row per person, a chunk
per transaction, and is marked sent once every row has an outcome.

Idempotent: the org's people are taken in id order and the last id done is saved with each chunk, so a
crash resumes after the last committed chunk; the key `newsletter:<newsletter>:<person>` (unique
per org) makes a chunk written twice land once. The dispatcher sends the rows and checks consent,
suppression, the frequency cap and the send window again at send time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F

from careerrelay.candidates.models import Candidate
from careerrelay.consent import purposes
from careerrelay.consent.policy import org_display_name
from careerrelay.core import clock
from careerrelay.outreach.compose import language_of
from careerrelay.outreach.models import MessageKind, Newsletter, ScheduledMessage, Suppression
from careerrelay.outreach.newsletter_selectors import Segment, segment_candidates
from careerrelay.outreach.newsletters import PortalLinks, context_for_person, render_newsletter, version_for

# People of the org looked at per transaction (those in the segment become messages).
CHUNK = 1000
# Chunks per newsletter per tick: a huge pool spreads over ticks and the dispatcher, which runs
# in the same tick, starts sending the first chunks meanwhile.
MAX_CHUNKS = 50
_OPEN = (
    ScheduledMessage.Status.PLANNED,
    ScheduledMessage.Status.CLAIMED,
    ScheduledMessage.Status.SENDING,
    ScheduledMessage.Status.RETRYING,
)


def _start(newsletter_id: Any, at: datetime) -> bool:
    """scheduled → sending; only one worker wins (a conditional UPDATE)."""
    return bool(
        Newsletter.objects.filter(pk=newsletter_id, status=Newsletter.Status.SCHEDULED, send_at__lte=at).update(
            status=Newsletter.Status.SENDING, updated_at=at
        )
    )


def _expand_chunk(newsletter: Newsletter, at: datetime) -> bool:
    """Write the next chunk of messages; False once everyone is done."""
    with transaction.atomic():
        # Locked, and re-read: a cancellation or another worker's chunk may have moved it.
        current = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
        if current.status != Newsletter.Status.SENDING or current.expanded_at is not None:
            return False
        # The next window of the org's people by id (an index range), then the segment and
        # consent applied to that window only: each chunk costs the window, not the whole pool.
        window = Candidate.objects.filter(org=current.org).order_by("pk")
        if current.expanded_through:
            window = window.filter(pk__gt=current.expanded_through)
        window_ids = list(window.values_list("pk", flat=True)[:CHUNK])
        if not window_ids:
            current.expanded_at = at
            current.save(update_fields=["expanded_at"])
            return False
        segment = Segment.from_json(current.segment)
        matching = segment_candidates(org=current.org, segment=segment, at=at).filter(pk__in=window_ids)
        chunk = list(Candidate.objects.filter(pk__in=matching.values("pk")).select_related("org").order_by("pk"))
        suppressed = set(
            Suppression.objects.filter(org=current.org, email__in={p.email for p in chunk}).values_list(
                "email", flat=True
            )
        )
        companies = {language: org_display_name(current.org, language) for language in ("ja", "en")}
        links = PortalLinks.build()
        rows = []
        for person in chunk:
            if person.email in suppressed:
                continue
            language = language_of(person)
            subject, body = version_for(current, language)
            rendered = render_newsletter(
                subject, body, language, context_for_person(person, language, companies[language], links)
            )
            rows.append(
                ScheduledMessage(
                    org=current.org,
                    candidate=person,
                    kind=MessageKind.NEWSLETTER,
                    purpose=purposes.NEWSLETTER,
                    idempotency_key=f"newsletter:{current.pk}:{person.pk}",
                    newsletter=current,
                    due_at=current.send_at or at,
                    to_email=person.email,
                    language=language,
                    subject=rendered.subject,
                    body=rendered.body,
                )
            )
        ScheduledMessage.objects.bulk_create(rows, ignore_conflicts=True)
        Newsletter.objects.filter(pk=current.pk).update(
            expanded_through=str(window_ids[-1]), skipped_count=F("skipped_count") + len(chunk) - len(rows)
        )
        return True


def _finish(at: datetime) -> None:
    """Expanded newsletters whose messages all have an outcome are sent."""
    for newsletter in Newsletter.objects.filter(status=Newsletter.Status.SENDING, expanded_at__isnull=False):
        if not ScheduledMessage.objects.filter(org=newsletter.org, newsletter=newsletter, status__in=_OPEN).exists():
            Newsletter.objects.filter(pk=newsletter.pk, status=Newsletter.Status.SENDING).update(
                status=Newsletter.Status.SENT, finished_at=at, updated_at=at
            )


def expand_due(at: datetime, *, max_chunks: int = MAX_CHUNKS) -> int:
    """The worker job: start the newsletters whose time has come, write the next chunks of
    every newsletter being sent, close the finished ones. Returns the chunks written."""
    for newsletter_id in Newsletter.objects.filter(status=Newsletter.Status.SCHEDULED, send_at__lte=at).values_list(
        "pk", flat=True
    ):
        _start(newsletter_id, at)
    written = 0
    with clock.frozen_at(at):
        for newsletter in Newsletter.objects.filter(status=Newsletter.Status.SENDING, expanded_at__isnull=True):
            for _chunk in range(max_chunks):
                if not _expand_chunk(newsletter, at):
                    break
                written += 1
    _finish(at)
    return written
