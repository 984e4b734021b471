"""The receiver of django-anymail's `tracking` signal: it only translates anymail's normalised
event into ours and hands it to the service (outreach/bounces.py)."""

from __future__ import annotations

from typing import Any

from careerrelay.core import tenancy
from careerrelay.outreach.bounces import ProviderEvent, provider_event_record


def on_tracking(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> None:
    # CROSS-ORG: the provider names a message id or an address, not an org; a hard bounce suppresses
    # the address in every org that mailed it.
    with tenancy.system_scope("a mail provider's event is matched to its message and orgs"):
        _record(event, esp_name)


def _record(event: Any, esp_name: str) -> None:
    provider_event_record(
        event=ProviderEvent(
            provider=esp_name,
            event_type=str(event.event_type or ""),
            recipient=str(event.recipient or ""),
            message_id=str(event.message_id or ""),
            event_id=str(event.event_id or ""),
            description=str(event.description or event.mta_response or ""),
            raw=event.esp_event,
        )
    )


def connect() -> None:
    from anymail.signals import tracking

    tracking.connect(on_tracking, dispatch_uid="careerrelay.outreach.tracking")
