"""Erasure in the integrations tables (registered with `consent.hooks.on_erasure`).

A processed delivery keeps no payload already; a delivery still waiting (or its error text) may
quote the person. Such a delivery loses its payload and is marked skipped: applying it after the
erasure would bring the person back.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from careerrelay.candidates.models import Candidate
from careerrelay.consent.scrub import mentions, person_terms, scrub_text, text_mentions_q
from careerrelay.core import clock
from careerrelay.integrations.models import WebhookDelivery

ERASED_OUTCOME = gettext_noop("the person was erased before this delivery was processed")


def webhook_deliveries_erase(candidate: Candidate) -> None:
    terms = person_terms(candidate)
    if not terms:
        return
    found = WebhookDelivery.objects.filter(org=candidate.org_id).filter(
        text_mentions_q("payload", terms) | text_mentions_q("error", terms) | text_mentions_q("outcome", terms)
    )
    for delivery in found:
        if not any(mentions(text, terms) for text in (delivery.payload, delivery.error, delivery.outcome)):
            continue
        changes: dict[str, object] = {"payload": "", "error": scrub_text(delivery.error, terms)}
        changes["outcome"] = scrub_text(delivery.outcome, terms)
        if delivery.status == WebhookDelivery.Status.PENDING:
            changes.update(status=WebhookDelivery.Status.SKIPPED, outcome=ERASED_OUTCOME, processed_at=clock.now())
        WebhookDelivery.objects.filter(pk=delivery.pk).update(**changes)
