"""Writes an admin makes to the outreach settings: the message templates."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from careerrelay.accounts.services import public_url
from careerrelay.candidates.models import Candidate, RejectionReason
from careerrelay.consent.policy import org_display_name
from careerrelay.core import clock
from careerrelay.core.errors import DomainValidationError
from careerrelay.core.selectors import get_for_org
from careerrelay.core.text import normalize
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Organization, Role
from careerrelay.outreach.compose import Rendered, context_for, language_of, queue_message, render, template_for
from careerrelay.outreach.models import MessageKind, MessageTemplate, ScheduledMessage


@transaction.atomic
def template_save(
    *, actor: Actor, kind: str, language: str, subject: str, body: str, reason_id: object = None
) -> MessageTemplate:
    """Create or replace the template for (kind, reason, language). Only admins edit what the
    org says to candidates."""
    actor.require(Role.ADMIN)
    if kind not in MessageKind.values:
        raise DomainValidationError(_("Unknown kind of message."), field="kind")
    if language not in ("ja", "en"):
        raise DomainValidationError(_("Choose Japanese or English."), field="language")
    subject = normalize(subject)
    if not subject:
        raise DomainValidationError(_("Write a subject."), field="subject")
    if len(subject) > 200:
        raise DomainValidationError(_("At most %(max)s characters.") % {"max": 200}, field="subject")
    if not body.strip():
        raise DomainValidationError(_("Write the message."), field="body")
    if "{portal_url}" not in body:
        raise DomainValidationError(
            _("Keep {portal_url} in the message: it is the person's way to choose and to say no."), field="body"
        )
    reason = None
    if reason_id:
        if kind != MessageKind.REJECTION:
            raise DomainValidationError(_("Only rejection emails can differ by reason."), field="reason_id")
        reason = get_for_org(RejectionReason.objects.all(), org=actor.org, pk=reason_id)
    template, created = MessageTemplate.objects.update_or_create(
        org=actor.org,
        kind=kind,
        reason=reason,
        language=language,
        defaults={"subject": subject, "body": body.replace("\r\n", "\n"), "updated_by": actor.label},
    )
    template.updated_at = clock.now()
    template.save(update_fields=["updated_at"])
    actor.audit(
        "message_template.saved",
        target=template,
        details={"kind": kind, "language": language, "reason": reason.code if reason else "", "created": created},
    )
    return template


def portal_link_queue(*, candidate: Candidate) -> ScheduledMessage | None:
    """Mail a fresh portal link to the address on file (never to an address the asker types,
    so an expired link cannot be turned into a way to reach someone else's page)."""
    if not candidate.email or candidate.erased_at is not None:
        return None
    language = language_of(candidate)
    now = clock.now()
    with transaction.atomic():
        return queue_message(
            candidate=candidate,
            kind=MessageKind.PORTAL_LINK,
            # At most one new link an hour, however often the button is pressed.
            key=f"portal_link:{candidate.pk}:{now:%Y%m%d%H}",
            rendered=render(
                template_for(candidate.org, MessageKind.PORTAL_LINK, language), context_for(candidate, language)
            ),
            language=language,
            due_at=now,
        )


# What the live preview fills the placeholders with: a made-up person, never a real one.
_SAMPLE = {
    "ja": {"candidate_name": "山田 花子", "job_title": "バックエンドエンジニア", "expires_on": "2028-04-01"},
    "en": {"candidate_name": "Hanako Yamada", "job_title": "Backend engineer", "expires_on": "2028-04-01"},
}


def template_preview(*, org: Organization, subject: str, body: str, language: str) -> Rendered:
    """The message as a person would read it, with a sample person and a sample link."""
    language = language if language in _SAMPLE else "ja"
    context = {
        **_SAMPLE[language],
        "company": org_display_name(org, language),
        "portal_url": public_url("/p/…/"),
    }
    draft = MessageTemplate(org=org, subject=subject, body=body, language=language)
    return render(draft, context)
