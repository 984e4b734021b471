"""Reads for newsletters: who a segment reaches (always among people with `newsletter` consent),
the newsletters of an org, and how each one's messages are doing."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from careerrelay.candidates.models import Application, Candidate
from careerrelay.candidates.pool import PoolFilters, pool_list
from careerrelay.consent import purposes
from careerrelay.consent.gate import consenting_candidate_ids
from careerrelay.core.selectors import get_for_org
from careerrelay.core.text import normalize
from careerrelay.orgs.models import Organization
from careerrelay.outreach.models import Newsletter, ScheduledMessage, Suppression

Status = ScheduledMessage.Status


@dataclass(frozen=True)
class Segment:
    """The filters a recruiter combines; an empty filter means everyone (who consented)."""

    prefecture: str = ""  # code or name, as the pool's filter takes it
    skills: tuple[str, ...] = ()  # all of them
    tag: str = ""  # tag code
    reason: str = ""  # rejection reason code, on any application
    language: str = ""  # "ja" or "en": the language the person reads mail in
    department: str = ""  # of a job the person applied for

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Segment:
        data = data or {}
        return cls(
            prefecture=str(data.get("prefecture", "")),
            skills=tuple(str(skill) for skill in data.get("skills", []) if normalize(str(skill))),
            tag=str(data.get("tag", "")),
            reason=str(data.get("reason", "")),
            language=str(data.get("language", "")),
            department=normalize(str(data.get("department", ""))),
        )

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "skills": list(self.skills)}


def segment_candidates(*, org: Organization, segment: Segment, at: datetime) -> QuerySet[Candidate]:
    """Everyone the segment reaches at `at`: the pool's filters, people whose `newsletter`
    consent is in force and who have an address. Suppressed addresses are still in (the status
    page counts them as skipped)."""
    people = pool_list(
        org=org,
        filters=PoolFilters(
            prefecture=segment.prefecture, skills=list(segment.skills), tag=segment.tag, reason=segment.reason
        ),
    )
    people = people.filter(pk__in=consenting_candidate_ids(org=org, purpose=purposes.NEWSLETTER, at=at)).exclude(
        email=""
    )
    if segment.language in ("ja", "en"):
        speaks = Q(language=segment.language)
        if (org.default_language or "ja") == segment.language:
            speaks |= Q(language="")
        people = people.filter(speaks)
    if segment.department:
        people = people.filter(
            Exists(Application.objects.filter(candidate=OuterRef("pk"), job__department=segment.department))
        )
    return people


@dataclass(frozen=True)
class Reach:
    recipients: int  # would get the newsletter
    suppressed: int  # consented, but the address is on the suppression list


def segment_reach(*, org: Organization, segment: Segment, at: datetime) -> Reach:
    """The count shown before sending."""
    people = segment_candidates(org=org, segment=segment, at=at).order_by()
    suppressed = people.filter(email__in=Suppression.objects.filter(org=org).values("email")).count()
    return Reach(recipients=people.count() - suppressed, suppressed=suppressed)


def newsletters_list(*, org: Organization, status: str = "") -> QuerySet[Newsletter]:
    rows = Newsletter.objects.filter(org=org)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-id")


def newsletter_get(*, org: Organization, pk: Any) -> Newsletter:
    return get_for_org(Newsletter.objects.all(), org=org, pk=pk)


@dataclass
class NewsletterCounts:
    queued: int = 0  # planned, claimed or retrying: still to go out
    sent: int = 0
    failed: int = 0  # failed or uncertain
    skipped: int = 0  # cancelled at send time (consent, suppression, cap) or left out at expansion
    by_reason: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.queued + self.sent + self.failed + self.skipped


_QUEUED = (Status.PLANNED, Status.CLAIMED, Status.SENDING, Status.RETRYING)


def newsletter_counts(newsletter: Newsletter) -> NewsletterCounts:
    counts = NewsletterCounts(skipped=newsletter.skipped_count)
    if newsletter.skipped_count:
        counts.by_reason["suppressed_or_no_email"] = newsletter.skipped_count
    rows = (
        ScheduledMessage.objects.filter(org=newsletter.org, newsletter=newsletter)
        .values("status", "cancelled_reason")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        status, n = row["status"], row["n"]
        if status in _QUEUED:
            counts.queued += n
        elif status == Status.SENT:
            counts.sent += n
        elif status in (Status.FAILED, Status.UNCERTAIN):
            counts.failed += n
        else:
            counts.skipped += n
            reason = row["cancelled_reason"] or "cancelled"
            counts.by_reason[reason] = counts.by_reason.get(reason, 0) + n
    return counts
