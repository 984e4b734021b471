from __future__ import annotations

from datetime import datetime
from itertools import count
from typing import Any

from careerrelay.candidates.models import Candidate
from careerrelay.candidates.tests.factories import apply
from careerrelay.consent import purposes
from careerrelay.consent.services import consent_grant
from careerrelay.consent.tests.factories import PORTAL
from careerrelay.core import clock
from careerrelay.core.clock import JST
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Membership
from careerrelay.orgs.tests.factories import OrgWorld
from careerrelay.outreach.models import Newsletter
from careerrelay.outreach.newsletter_selectors import Segment
from careerrelay.outreach.newsletters import NewsletterInput, newsletter_save, newsletter_schedule

# A Tuesday morning, inside the default send window (10–18 JST on business days).
MORNING = datetime(2026, 7, 14, 11, 0, tzinfo=JST)
_numbers = count(1)


def person(world: OrgWorld, *, consent: tuple[str, ...] = (purposes.NEWSLETTER,), **details: Any) -> Candidate:
    """A distinct person of the org, with the given consents (granted a day before MORNING)."""
    n = next(_numbers)
    values: dict[str, Any] = {
        "email": f"reader{n}@{world.org.slug}.example.jp",
        "phone": "",
        "family_name_kana": f"ドクシャ{n}",
        **details,
    }
    with clock.frozen_at(datetime(2026, 7, 13, 9, 0, tzinfo=JST)):
        candidate = apply(world, **values).candidate
        for purpose in consent:
            consent_grant(candidate=candidate, purpose=purpose, language="ja", evidence=PORTAL)
    return candidate


def actor_of(world: OrgWorld, role: str = "admin") -> Actor:
    user = {"admin": world.admin, "recruiter": world.recruiter, "viewer": world.viewer}[role]
    return Actor(org=world.org, role=Membership.objects.get(org=world.org, user=user).role, user=user)


TEXTS = {
    "subject_ja": "{company}からのお知らせ「新しい求人のご案内」",
    "body_ja": "{candidate_name} 様\n\nいつもありがとうございます。今月の新しい求人をご案内いたします。",
    "subject_en": "News from {company}: new openings",
    "body_en": "Dear {candidate_name},\n\nHere are this month's new openings.",
}


def scheduled(world: OrgWorld, *, segment: Segment | None = None, at: datetime = MORNING) -> Newsletter:
    """A newsletter written by the recruiter and scheduled by the admin to go out at `at`."""
    with clock.frozen_at(at.replace(hour=9)):
        draft = newsletter_save(
            actor=actor_of(world, "recruiter"), data=NewsletterInput(**TEXTS, segment=segment or Segment())
        )
        return newsletter_schedule(actor=actor_of(world), newsletter_id=draft.pk, send_at=at)
