"""Retention: who the daily run erases, and the run itself.

The rule, per org (`consent.settings`):
- Nobody with an open application (active or at the offer stage) is ever erased by retention.
- A person with **no consent in force** (for any purpose) is erased once their last application
  ended more than `retention_months_without_consent` months ago (default 6). An application
  ends when it is rejected or withdrawn (`closed_at`), or for a hire at its last change. A person
  without any application counts from the day they entered the pool.
- A person with **a consent in force** is erased once their *last contact* is more than
  `retention_months_with_consent` months ago (default 24).
- **Last contact** (`last_contact_expression`) is the latest of: the last change to any of their
  applications, their last consent event (a grant, a withdrawal, an expiry), the moment they
  entered the pool, and every source other apps register with `consent.hooks.on_contact_source`
  (outreach: the last message sent).

Retention erases through the same path as any other request (channel "retention").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from careerrelay.candidates.models import Application, Candidate
from careerrelay.consent import hooks
from careerrelay.consent.erasure import erasure_request
from careerrelay.consent.models import ConsentEvent, ErasureRequest
from careerrelay.consent.settings import ConsentSettings, for_org
from careerrelay.core.dates import add_months
from careerrelay.orgs.models import Organization

OPEN_STATUSES = [Application.Status.ACTIVE, Application.Status.OFFER]


def _latest(queryset: QuerySet[Any], expression: Any) -> Subquery:
    return Subquery(
        queryset.filter(candidate=OuterRef("pk")).values("candidate").annotate(latest=Max(expression)).values("latest")
    )


def consent_in_force_expression(at: datetime) -> Exists:
    """True for a candidate with any purpose in force at `at` (the gate's rule, for any purpose)."""
    later = ConsentEvent.objects.filter(
        candidate=OuterRef("candidate"), purpose=OuterRef("purpose"), occurred_at__lte=at
    ).filter(Q(occurred_at__gt=OuterRef("occurred_at")) | Q(occurred_at=OuterRef("occurred_at"), id__gt=OuterRef("id")))
    grants = (
        ConsentEvent.objects.filter(candidate=OuterRef("pk"), kind=ConsentEvent.Kind.GRANTED, occurred_at__lte=at)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=at))
        .exclude(Exists(later))
    )
    return Exists(grants)


def application_end_expression() -> Subquery:
    """When the person's last application ended (null when they have none)."""
    return _latest(Application.objects.all(), Coalesce("closed_at", "updated_at"))


def last_contact_expression() -> Any:
    """The latest of the person's last application change, last consent event, the day they
    entered the pool, and every registered contact source."""
    sources = [
        _latest(Application.objects.all(), "updated_at"),
        _latest(ConsentEvent.objects.all(), "occurred_at"),
        *(source() for source in hooks.contact_sources()),
    ]
    # Coalesce each with created_at: SQLite's MAX() of several values is null if any is null.
    return Greatest(F("created_at"), *(Coalesce(source, F("created_at")) for source in sources))


def retention_due(*, org: Organization, at: datetime) -> QuerySet[Candidate]:
    """The org's people the next retention run would erase, longest untouched first, annotated
    with `consented` (a consent in force) and `last_contact`."""
    values = for_org(org)
    open_application = Application.objects.filter(candidate=OuterRef("pk"), status__in=OPEN_STATUSES)
    return (
        Candidate.objects.filter(org=org, erased_at__isnull=True, merged_into__isnull=True)
        .exclude(Exists(open_application))
        .annotate(
            consented=consent_in_force_expression(at),
            ended_at=Coalesce(application_end_expression(), F("created_at")),
            last_contact=last_contact_expression(),
        )
        .filter(
            Q(consented=False, ended_at__lte=add_months(at, -values.retention_months_without_consent))
            | Q(consented=True, last_contact__lte=add_months(at, -values.retention_months_with_consent))
        )
        .order_by("last_contact", "id")
    )


def retention_apply(at: datetime) -> int:
    """The daily worker job: an erasure request (channel "retention") for everyone due in every
    org; the erasure job carries them out. Returns how many people were newly requested."""
    requested = 0
    for org in Organization.objects.order_by("id"):
        pending = ErasureRequest.objects.filter(candidate=OuterRef("pk"), status=ErasureRequest.Status.PENDING)
        for candidate in retention_due(org=org, at=at).exclude(Exists(pending)).select_related("org"):
            erasure_request(
                candidate=candidate, channel=ErasureRequest.Channel.RETENTION, requested_by="retention", at=at
            )
            requested += 1
    return requested


@dataclass(frozen=True)
class PrivacyOverview:
    settings: ConsentSettings
    due_count: int
    due_first: list[Candidate]
    pending_erasures: int


def privacy_overview(*, org: Organization, at: datetime, limit: int = 50) -> PrivacyOverview:
    """For the admins' "Privacy & retention" page: the settings, and who the next run erases."""
    due = retention_due(org=org, at=at)
    return PrivacyOverview(
        settings=for_org(org),
        due_count=due.count(),
        due_first=list(due[:limit]),
        pending_erasures=ErasureRequest.objects.filter(org=org, status=ErasureRequest.Status.PENDING).count(),
    )
