"""Writes for newsletters (case C): recruiters write drafts, admins schedule or send them, and
what each person receives (their language's version, their name, the unsubscribe footer)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from careerrelay.accounts.services import public_url
from careerrelay.candidates.models import Candidate
from careerrelay.consent.policy import org_display_name
from careerrelay.consent.tokens import portal_token
from careerrelay.core import clock
from careerrelay.core.errors import Conflict, DomainValidationError
from careerrelay.core.prefectures import prefecture_from_text
from careerrelay.core.text import fill_placeholders, normalize
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Organization, Role
from careerrelay.outreach.compose import Rendered, person_name
from careerrelay.outreach.models import Newsletter, ScheduledMessage
from careerrelay.outreach.newsletter_selectors import Segment, newsletter_get, segment_reach

PLACEHOLDERS = ("candidate_name", "company", "portal_url", "unsubscribe_url")
# The query that makes the portal's unsubscribe page (and the List-Unsubscribe one-click POST)
# withdraw the newsletter consent only, leaving job offers (recontact) as they are.
NEWSLETTER_ONLY = "only=newsletter"


@dataclass(frozen=True)
class NewsletterInput:
    subject_ja: str
    body_ja: str
    subject_en: str
    body_en: str
    segment: Segment = field(default_factory=Segment)


def _footer(language: str) -> str:
    with translation.override(language):
        return "\n\n-- \n" + _("To stop receiving news from {company}, open this link: {unsubscribe_url}")


def render_newsletter(subject: str, body: str, language: str, context: dict[str, str]) -> Rendered:
    """The newsletter as one person reads it; the unsubscribe footer is always there, whatever
    the body says."""
    filled_subject = " ".join(fill_placeholders(subject, **context).split())
    filled_body = fill_placeholders(body.rstrip() + _footer(language), **context)
    return Rendered(subject=filled_subject, body=filled_body)


def version_for(newsletter: Newsletter, language: str) -> tuple[str, str]:
    if language == "en":
        return newsletter.subject_en, newsletter.body_en
    return newsletter.subject_ja, newsletter.body_ja


_MARK = "TOKEN-MARK"


@dataclass(frozen=True)
class PortalLinks:
    """The portal addresses with a mark where the person's token goes: one reverse() per chunk
    instead of two per person."""

    home: str
    unsubscribe: str

    @classmethod
    def build(cls) -> PortalLinks:
        return cls(
            home=public_url(reverse("portal:home", kwargs={"token": _MARK})),
            unsubscribe=public_url(f"{reverse('portal:unsubscribe', kwargs={'token': _MARK})}?{NEWSLETTER_ONLY}"),
        )


def context_for_person(
    candidate: Candidate, language: str, company: str, links: PortalLinks | None = None
) -> dict[str, str]:
    links = links or PortalLinks.build()
    token = portal_token(candidate)
    return {
        "candidate_name": person_name(candidate, language),
        "company": company,
        "portal_url": links.home.replace(_MARK, token),
        "unsubscribe_url": links.unsubscribe.replace(_MARK, token),
    }


_SAMPLE_NAME = {"ja": "山田 花子", "en": "Hanako Yamada"}


def newsletter_preview(*, org: Organization, subject: str, body: str, language: str) -> Rendered:
    """What a made-up person would read, for the composer's live preview."""
    language = language if language in _SAMPLE_NAME else "ja"
    context = {
        "candidate_name": _SAMPLE_NAME[language],
        "company": org_display_name(org, language),
        "portal_url": public_url("/p/…/"),
        "unsubscribe_url": public_url(f"/p/…/unsubscribe/?{NEWSLETTER_ONLY}"),
    }
    return render_newsletter(subject, body, language, context)


def _refuse_nul(data: NewsletterInput) -> None:
    """A NUL character is never meant in a letter, and PostgreSQL cannot store it."""
    segment = data.segment
    fields = {
        **{name: getattr(data, name) for name in ("subject_ja", "body_ja", "subject_en", "body_en")},
        **{name: getattr(segment, name) for name in ("prefecture", "tag", "reason", "language", "department")},
        "skills": "".join(segment.skills),
    }
    for name, value in fields.items():
        if "\x00" in value:
            raise DomainValidationError(_("Remove the invisible control character (NUL)."), field=name)


def _clean(data: NewsletterInput) -> NewsletterInput:
    _refuse_nul(data)
    texts = {}
    for language in ("ja", "en"):
        subject = normalize(getattr(data, f"subject_{language}"))
        body = getattr(data, f"body_{language}").replace("\r\n", "\n")
        if not subject:
            raise DomainValidationError(_("Write a subject."), field=f"subject_{language}")
        if len(subject) > 200:
            raise DomainValidationError(_("At most %(max)s characters.") % {"max": 200}, field=f"subject_{language}")
        if not body.strip():
            raise DomainValidationError(_("Write the message."), field=f"body_{language}")
        texts[f"subject_{language}"], texts[f"body_{language}"] = subject, body
    segment = data.segment
    if segment.language not in ("", "ja", "en"):
        raise DomainValidationError(_("Choose Japanese or English."), field="language")
    if segment.prefecture and prefecture_from_text(segment.prefecture) is None:
        raise DomainValidationError(_("Unknown prefecture."), field="prefecture")
    return NewsletterInput(**texts, segment=segment)


@transaction.atomic
def newsletter_save(*, actor: Actor, data: NewsletterInput, newsletter_id: Any = None) -> Newsletter:
    """Create or change a draft. Recruiters write; a scheduled one goes back to draft only
    through a cancellation, so nobody edits what an admin approved."""
    actor.require(Role.RECRUITER)
    data = _clean(data)
    if newsletter_id:
        newsletter = newsletter_get(org=actor.org, pk=newsletter_id)
        newsletter = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
        if newsletter.status != Newsletter.Status.DRAFT:
            raise Conflict(_("Only a draft can be changed."))
    else:
        newsletter = Newsletter(org=actor.org, created_by=actor.label)
    created = newsletter._state.adding
    newsletter.subject_ja, newsletter.body_ja = data.subject_ja, data.body_ja
    newsletter.subject_en, newsletter.body_en = data.subject_en, data.body_en
    newsletter.segment = data.segment.as_json()
    newsletter.updated_by = actor.label
    newsletter.updated_at = clock.now()
    newsletter.save()
    actor.audit("newsletter.saved", target=newsletter, details={"created": created, "segment": newsletter.segment})
    return newsletter


@transaction.atomic
def newsletter_schedule(*, actor: Actor, newsletter_id: Any, send_at: datetime | None = None) -> Newsletter:
    """Approve a draft for sending now (`send_at` None) or later. Only admins: a newsletter goes
    to many people at once, the way mature mail tools keep "send" behind an approval."""
    actor.require(Role.ADMIN)
    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter_get(org=actor.org, pk=newsletter_id).pk)
    if newsletter.status != Newsletter.Status.DRAFT:
        raise Conflict(_("Only a draft can be scheduled."))
    now = clock.now()
    if send_at is not None and send_at < now:
        raise DomainValidationError(_("Choose a time in the future."), field="send_at")
    newsletter.send_at = send_at or now
    newsletter.status = Newsletter.Status.SCHEDULED
    newsletter.scheduled_by = actor.label
    newsletter.updated_at = now
    newsletter.save(update_fields=["send_at", "status", "scheduled_by", "updated_at"])
    reach = segment_reach(org=actor.org, segment=Segment.from_json(newsletter.segment), at=now)
    actor.audit(
        "newsletter.scheduled",
        target=newsletter,
        details={
            "send_at": newsletter.send_at.isoformat(),
            "recipients_now": reach.recipients,
            "segment": newsletter.segment,
        },
    )
    return newsletter


_UNSENT = (ScheduledMessage.Status.PLANNED, ScheduledMessage.Status.RETRYING)


@transaction.atomic
def newsletter_cancel(*, actor: Actor, newsletter_id: Any) -> Newsletter:
    """Stop a newsletter: before its time nothing goes out; while sending, the messages not yet
    handed to the mail server are cancelled and expansion stops."""
    actor.require(Role.ADMIN)
    newsletter = Newsletter.objects.select_for_update().get(pk=newsletter_get(org=actor.org, pk=newsletter_id).pk)
    if newsletter.status in (Newsletter.Status.SENT, Newsletter.Status.CANCELLED):
        raise Conflict(_("This newsletter can no longer be cancelled."))
    cancelled = ScheduledMessage.objects.filter(org=actor.org, newsletter=newsletter, status__in=_UNSENT).update(
        status=ScheduledMessage.Status.CANCELLED, cancelled_reason="newsletter_cancelled"
    )
    newsletter.status = Newsletter.Status.CANCELLED
    newsletter.updated_at = clock.now()
    newsletter.save(update_fields=["status", "updated_at"])
    actor.audit("newsletter.cancelled", target=newsletter, details={"messages_cancelled": cancelled})
    return newsletter
