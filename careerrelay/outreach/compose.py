"""Turning a template and a person into a queued message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.urls import reverse

from careerrelay.accounts.services import public_url
from careerrelay.candidates.models import Candidate, RejectionReason
from careerrelay.consent.policy import org_display_name
from careerrelay.consent.tokens import portal_token
from careerrelay.core import clock
from careerrelay.core.text import fill_placeholders
from careerrelay.orgs.models import Organization
from careerrelay.outreach.models import MessageTemplate, ScheduledMessage

PLACEHOLDERS = ("candidate_name", "company", "job_title", "portal_url", "expires_on")


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def language_of(candidate: Candidate) -> str:
    return language_for(candidate.language, candidate.org)


def language_for(language: str, org: Organization) -> str:
    """A person's language (`language`, as stored; empty: the org's default), one we write in."""
    language = language or org.default_language
    return language if language in ("ja", "en") else "ja"


def template_for(org: Organization, kind: str, language: str, reason: RejectionReason | None = None) -> MessageTemplate:
    """The reason's own template if the org wrote one, else the kind's default."""
    candidates = MessageTemplate.objects.filter(org=org, kind=kind, language=language).filter(
        Q(reason=reason) | Q(reason__isnull=True) if reason is not None else Q(reason__isnull=True)
    )
    return sorted(candidates, key=lambda template: template.reason_id is None)[0]


def render(template: MessageTemplate, context: dict[str, str]) -> Rendered:
    # Newlines in a subject would start new headers; placeholders filled by people's data must not.
    subject = " ".join(fill_placeholders(template.subject, **context).split())
    return Rendered(subject=subject, body=fill_placeholders(template.body, **context))


def person_name(candidate: Candidate, language: str) -> str:
    return name_of(candidate.family_name, candidate.given_name, candidate.email, language)


def name_of(family_name: str, given_name: str, email: str, language: str) -> str:
    parts = [family_name, given_name]
    if language == "en" and all(part.isascii() for part in parts):
        parts.reverse()
    return " ".join(part for part in parts if part) or email


def portal_url(candidate: Candidate) -> str:
    return public_url(reverse("portal:home", kwargs={"token": portal_token(candidate)}))


def context_for(candidate: Candidate, language: str, **extra: str) -> dict[str, str]:
    """`extra` may bring its own portal_url (the planner builds links without a reverse() each)."""
    return {
        "candidate_name": person_name(candidate, language),
        "company": org_display_name(candidate.org, language),
        "portal_url": extra.pop("portal_url", "") or portal_url(candidate),
        **extra,
    }


def queue_message(
    *,
    candidate: Candidate,
    kind: str,
    key: str,
    rendered: Rendered,
    language: str,
    due_at: datetime | None = None,
    purpose: str = "",
    application_id: object = None,
) -> ScheduledMessage:
    """Plan one message; the idempotency key makes a second plan for the same fact a no-op."""
    message, _created = ScheduledMessage.objects.get_or_create(
        org=candidate.org,
        idempotency_key=key,
        defaults={
            "candidate": candidate,
            "application_id": application_id,
            "kind": kind,
            "purpose": purpose,
            "due_at": due_at or clock.now(),
            "to_email": candidate.email,
            "language": language,
            "subject": rendered.subject,
            "body": rendered.body,
        },
    )
    return message
