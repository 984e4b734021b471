"""Newsletters (case C): list, write a draft, schedule it (admins) and cancel it. The segment
always keeps to people with `newsletter` consent; the worker sends through the outbox."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from careerrelay.api.auth import actor_of
from careerrelay.api.schemas import PageQuery, problems
from careerrelay.core.clock import JST
from careerrelay.core.pagination import page, paginate
from careerrelay.outreach.models import Newsletter
from careerrelay.outreach.newsletter_selectors import Segment, newsletter_counts, newsletter_get, newsletters_list
from careerrelay.outreach.newsletters import NewsletterInput, newsletter_cancel, newsletter_save, newsletter_schedule

router = Router()


class SegmentIn(Schema):
    prefecture: str = Field("", description="JIS code or name, e.g. 13 or 東京都")
    skills: list[str] = Field(default_factory=list, description="people with all of these skills")
    tag: str = Field("", description="tag code")
    reason: str = Field("", description="rejection reason code, on any application")
    language: str = Field("", description="ja or en: the language the person reads mail in")
    department: str = Field("", description="department of a job the person applied for")


class NewsletterIn(Schema):
    subject_ja: str
    body_ja: str
    subject_en: str
    body_en: str
    segment: SegmentIn | None = None


class ScheduleIn(Schema):
    send_at: datetime | None = Field(None, description="ISO 8601; without an offset it is read as JST; empty: now")


class CountsOut(Schema):
    queued: int
    sent: int
    failed: int
    skipped: int


class NewsletterOut(Schema):
    id: uuid.UUID
    status: Newsletter.Status
    subject_ja: str
    body_ja: str
    subject_en: str
    body_en: str
    segment: dict[str, Any]
    send_at: datetime | None
    created_by: str
    scheduled_by: str
    counts: CountsOut

    @staticmethod
    def resolve_counts(obj: Newsletter) -> dict[str, int]:
        counts = newsletter_counts(obj)
        return {"queued": counts.queued, "sent": counts.sent, "failed": counts.failed, "skipped": counts.skipped}


class NewsletterPage(Schema):
    items: list[NewsletterOut]
    next_cursor: str | None


def _input(payload: NewsletterIn) -> NewsletterInput:
    segment = payload.segment.model_dump() if payload.segment else {}
    return NewsletterInput(
        subject_ja=payload.subject_ja,
        body_ja=payload.body_ja,
        subject_en=payload.subject_en,
        body_en=payload.body_en,
        segment=Segment.from_json(segment),
    )


@router.get("", response={200: NewsletterPage, **problems(422)}, summary="Newsletters, newest first")
def newsletters_get(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    rows, next_cursor = paginate(newsletters_list(org=actor_of(request).org), cursor=params.cursor, limit=params.limit)
    return page(rows, next_cursor)


@router.post("", response={201: NewsletterOut, **problems(400, 403, 422)}, summary="Write a draft (recruiters)")
def newsletters_create(request: HttpRequest, payload: NewsletterIn) -> Status[Newsletter]:
    return Status(201, newsletter_save(actor=actor_of(request), data=_input(payload)))


@router.get("/{newsletter_id}", response={200: NewsletterOut, **problems(404, 422)})
def newsletters_detail(request: HttpRequest, newsletter_id: uuid.UUID) -> Newsletter:
    return newsletter_get(org=actor_of(request).org, pk=newsletter_id)


@router.post(
    "/{newsletter_id}/schedule",
    response={200: NewsletterOut, **problems(400, 403, 404, 409, 422)},
    summary="Schedule a draft, or send it now (admins)",
)
def newsletters_schedule(request: HttpRequest, newsletter_id: uuid.UUID, payload: ScheduleIn) -> Newsletter:
    send_at = payload.send_at
    if send_at is not None and send_at.tzinfo is None:
        send_at = send_at.replace(tzinfo=JST)
    return newsletter_schedule(actor=actor_of(request), newsletter_id=newsletter_id, send_at=send_at)


@router.post(
    "/{newsletter_id}/cancel",
    response={200: NewsletterOut, **problems(403, 404, 409, 422)},
    summary="Cancel: nothing more goes out (admins)",
)
def newsletters_cancel(request: HttpRequest, newsletter_id: uuid.UUID) -> Newsletter:
    return newsletter_cancel(actor=actor_of(request), newsletter_id=newsletter_id)
