"""The rejection email: queued by the reject action (UI, API, webhook) unless the recruiter
turned it off, in the person's language, at once or on the next business morning JST."""

from __future__ import annotations

from django.utils.translation import gettext, override

from careerrelay.candidates.hooks import Rejection
from careerrelay.consent.settings import for_org
from careerrelay.core import clock
from careerrelay.core.business_days import next_business_morning
from careerrelay.outreach.compose import context_for, language_of, queue_message, render, template_for
from careerrelay.outreach.models import MessageKind


def queue_rejection_email(rejection: Rejection) -> None:
    application = rejection.application
    candidate = application.candidate
    if not rejection.send_rejection_email or not candidate.email or candidate.erased_at is not None:
        return
    language = language_of(candidate)
    template = template_for(candidate.org, MessageKind.REJECTION, language, application.rejection_reason)
    with override(language):
        job_title = application.job.title if application.job else gettext("the position")
    now = clock.now()
    immediate = for_org(candidate.org).rejection_email_timing == "immediate"
    queue_message(
        candidate=candidate,
        kind=MessageKind.REJECTION,
        key=f"rejection:{application.pk}",
        rendered=render(template, context_for(candidate, language, job_title=job_title)),
        language=language,
        due_at=now if immediate else next_business_morning(now),
        application_id=application.pk,
    )
    rejection.actor.audit(
        "message.queued", target=candidate, details={"kind": MessageKind.REJECTION, "application": str(application.pk)}
    )
