"""What a mail provider tells us after sending (through django-anymail's normalised tracking
webhooks, outreach/tracking.py): a hard bounce, a refusal, a spam complaint or an unsubscribe
puts the address on the org's suppression list and marks the message. Soft bounces and delays
change nothing: the provider retries them itself."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from careerrelay.accounts import audit
from careerrelay.outreach.models import ScheduledMessage, Suppression

logger = logging.getLogger(__name__)

# anymail's normalised event types that end mail to the address, and the suppression reason.
SUPPRESSING = {"bounced": "bounce", "rejected": "rejected", "complained": "complaint", "unsubscribed": "unsubscribe"}
# Provider bounce types that are temporary even when normalised as "bounced" (Postmark's SoftBounce).
_SOFT_TYPES = {"SoftBounce", "Transient", "DnsError", "AutoResponder", "OpenRelayTest"}


@dataclass(frozen=True)
class ProviderEvent:
    provider: str
    event_type: str
    recipient: str
    message_id: str = ""
    event_id: str = ""
    description: str = ""
    raw: Any = None


def is_soft(event: ProviderEvent) -> bool:
    raw = event.raw if isinstance(event.raw, dict) else {}
    if raw.get("Type") in _SOFT_TYPES:
        return True
    # A bounce the provider did not deactivate the address for is a temporary one.
    return event.event_type == "bounced" and raw.get("Inactive") is False


def _message_for(event: ProviderEvent) -> ScheduledMessage | None:
    """The message by its Message-ID (ours, or the provider's when it reports ours), across orgs:
    the webhook is not org-scoped, the message row tells the org."""
    if not event.message_id:
        return None
    bare = event.message_id.strip().strip("<>")
    return (
        ScheduledMessage.objects.filter(message_id__in=[bare, f"<{bare}>"])
        .select_related("org")
        .order_by("-id")
        .first()
    )


def _orgs_without_match(event: ProviderEvent, address: str) -> list[Any]:
    """No message matched. A dead address is dead for every org that mails it; a complaint or an
    unsubscribe concerns the org whose mail the person last received."""
    sent = ScheduledMessage.objects.filter(to_email__iexact=address, status=ScheduledMessage.Status.SENT)
    if event.event_type in ("bounced", "rejected"):
        return list(sent.values_list("org_id", flat=True).distinct().order_by())
    latest = sent.order_by("-sent_at").values_list("org_id", flat=True).first()
    return [latest] if latest else []


@transaction.atomic
def provider_event_record(*, event: ProviderEvent) -> int:
    """Suppress the address and mark the message; returns the number of orgs that now suppress
    it. Idempotent: a redelivered event finds the suppression in place and changes nothing."""
    reason = SUPPRESSING.get(event.event_type)
    address = (event.recipient or "").strip()
    if reason is None or not address or is_soft(event):
        return 0
    message = _message_for(event)
    if message is not None:
        address = message.to_email or address
        if not message.provider_event:
            ScheduledMessage.objects.filter(pk=message.pk).update(
                provider_event=event.event_type,
                status=ScheduledMessage.Status.FAILED if reason == "bounce" else message.status,
                last_error=f"{event.provider}: {event.event_type} {event.description}"[:2000],
            )
        org_ids = [message.org_id]
    else:
        org_ids = _orgs_without_match(event, address)
        if not org_ids:
            logger.info("%s %s for an address we never mailed; ignored", event.provider, event.event_type)
    detail = f"{event.provider} {event.event_type} event {event.event_id or '?'}: {event.description}"[:2000]
    for org_id in org_ids:
        suppression, created = Suppression.objects.get_or_create(
            org_id=org_id, email=address, defaults={"reason": reason, "detail": detail}
        )
        if created:
            audit.record(
                action="suppression.added",
                org=suppression.org,
                actor_label=f"{event.provider} webhook",
                target=suppression,
                details={"reason": reason, "event_id": event.event_id, "message": str(message.pk) if message else ""},
            )
    return len(org_ids)
