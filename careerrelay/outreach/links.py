"""The one-click links in a re-scout message ("I'm interested", "update my profile", "stop"):
each carries the message's id, signed, so a click is attributed to the message it came from."""

from __future__ import annotations

import uuid
from typing import Any

from django.core import signing
from django.urls import reverse

from careerrelay.accounts.services import public_url
from careerrelay.consent.tokens import portal_token_for
from careerrelay.core.signing import signer
from careerrelay.outreach.models import ScheduledMessage

_SALT = "careerrelay.outreach.link.v1"
ACTIONS = ("interested", "profile", "stop")


def message_token(message_id: Any) -> str:
    hex_id = message_id.hex if isinstance(message_id, uuid.UUID) else uuid.UUID(str(message_id)).hex
    return signer(_SALT).sign(hex_id)


def message_for_token(token: str) -> ScheduledMessage | None:
    """The message a link names, or None for a tampered link, an unknown message or an erased person."""
    try:
        message_id = uuid.UUID(hex=signer(_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    message = (
        ScheduledMessage.objects.select_related("candidate", "candidate__org", "org", "application__job")
        .filter(pk=message_id)
        .first()
    )
    if message is None or message.candidate.erased_at is not None:
        return None
    return message


_SLOT = "0token0"


class LinkMaker:
    """Builds the links of many messages with one reverse() per kind of link."""

    def __init__(self) -> None:
        self.patterns = {
            f"{action}_url": public_url(reverse(f"portal:rescout_{action}", kwargs={"token": _SLOT}))
            for action in ACTIONS
        }
        self.portal = public_url(reverse("portal:home", kwargs={"token": _SLOT}))

    def links(self, message_id: Any) -> dict[str, str]:
        token = message_token(message_id)
        return {name: pattern.replace(_SLOT, token) for name, pattern in self.patterns.items()}

    def portal_url_for(self, candidate_id: Any) -> str:
        return self.portal.replace(_SLOT, portal_token_for(candidate_id))
