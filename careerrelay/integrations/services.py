"""Writes for integrations: webhook secrets, receiving deliveries, passing on erasure requests."""

from __future__ import annotations

import hashlib
import json
import secrets as secrets_module
from collections.abc import Mapping
from enum import Enum
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from careerrelay.candidates.models import ExternalId
from careerrelay.consent.erasure import erasure_request
from careerrelay.consent.models import ErasureRequest
from careerrelay.core import clock, tenancy
from careerrelay.core.errors import DomainValidationError
from careerrelay.integrations import signatures
from careerrelay.integrations.models import Provider, WebhookDelivery, WebhookEndpoint
from careerrelay.integrations.selectors import endpoint_secrets
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Organization, Role


class WebhookUnauthorized(Exception):
    """Unknown org, no secret, or a signature that does not match: answer 401, store nothing."""


class WebhookMalformed(Exception):
    """Signed correctly but not a JSON object: answer 400, store nothing."""


class Received(Enum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    PING = "ping"


@transaction.atomic
def endpoint_create(*, actor: Actor, provider: str, secret: str = "", label: str = "") -> tuple[WebhookEndpoint, str]:
    """Store a webhook secret for the actor's org. Greenhouse: we generate the secret key the admin
    pastes into Greenhouse. Lever: Lever generates the signature token; the admin gives it to us."""
    actor.require(Role.ADMIN)
    if provider not in Provider.values:
        raise DomainValidationError(_("Unknown provider."), field="provider")
    secret = secret.strip()
    if not secret:
        if provider == Provider.LEVER:
            raise DomainValidationError(_("Give the signature token Lever shows for the webhook."), field="secret")
        secret = secrets_module.token_hex(32)
    if len(secret) < 16 or len(secret) > 200:
        raise DomainValidationError(_("A webhook secret has 16 to 200 characters."), field="secret")
    endpoint = WebhookEndpoint.objects.create(org=actor.org, provider=provider, secret=secret, label=label.strip())
    actor.audit("webhook.endpoint_created", target=endpoint, details={"provider": provider})
    return endpoint, secret


def _header(headers: Mapping[str, str], name: str) -> str:
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), "")


def _parse(body: bytes) -> dict[str, Any] | None:
    try:
        payload = json.loads(body.decode("utf-8"))  # both providers send UTF-8; anything else is refused
    except (ValueError, UnicodeDecodeError):
        return None
    return payload if isinstance(payload, dict) else None


def delivery_receive(*, provider: str, org_slug: str, body: bytes, headers: Mapping[str, str]) -> Received:
    """Check the signature and store the delivery for the worker. Nothing else happens here, so
    the provider gets its 200 at once; a delivery id seen before is acknowledged and not stored."""
    org = Organization.objects.filter(slug=org_slug).first()
    if org is None:
        raise WebhookUnauthorized()
    # The org comes from the URL: from here on the connection sees only that org's rows.
    with tenancy.org_scope(org.id):
        return _receive_for_org(org=org, provider=provider, body=body, headers=headers)


def _receive_for_org(*, org: Organization, provider: str, body: bytes, headers: Mapping[str, str]) -> Received:
    secrets = endpoint_secrets(org=org, provider=provider)
    if not secrets:
        raise WebhookUnauthorized()
    if provider == Provider.GREENHOUSE:
        if not signatures.greenhouse_valid(body=body, header=_header(headers, "Signature"), secrets=secrets):
            raise WebhookUnauthorized()
        payload = _parse(body)
        if payload is None:
            raise WebhookMalformed()
        event = str(payload.get("action") or "")
        if event == "ping":
            return Received.PING
        # The delivery is named by what is signed (the body), not by the unsigned
        # Greenhouse-Event-ID header: a captured delivery resent under a new id is still a repeat.
        delivery_id = "sha256:" + hashlib.sha256(body).hexdigest()
    elif provider == Provider.LEVER:
        payload = _parse(body)
        if payload is None or not signatures.lever_valid(payload=payload, secrets=secrets):
            raise WebhookUnauthorized()
        event = str(payload.get("event") or "")
        # Lever signs only token + triggeredAt, so that pair alone names the delivery: a replay
        # with another id, event or data is still the same delivery and is not processed again.
        seed = f"{payload['token']}:{payload['triggeredAt']}"
        delivery_id = "sha256:" + hashlib.sha256(seed.encode()).hexdigest()
    else:
        raise WebhookUnauthorized()
    try:
        with transaction.atomic():
            WebhookDelivery.objects.create(
                org=org,
                provider=provider,
                delivery_id=delivery_id[:100],
                event=event[:60],
                received_at=clock.now(),
                next_attempt_at=clock.now(),
                payload=body.decode("utf-8"),
            )
    except IntegrityError:
        return Received.DUPLICATE
    return Received.ACCEPTED


def ats_erasure_request(
    *, actor: Actor, provider: str, external_candidate_id: str, event: str
) -> ErasureRequest | None:
    """The provider deleted or anonymised a person: ask consent's erasure job to erase them here
    too. None when we hold nobody under that id (there is nothing to erase)."""
    actor.require(Role.RECRUITER)
    link = ExternalId.objects.select_related("candidate", "candidate__org").filter(
        org=actor.org, system=provider, value=external_candidate_id
    )
    found = link.first()
    if found is None or not external_candidate_id:
        return None
    return erasure_request(
        candidate=found.candidate,
        channel=ErasureRequest.Channel.ATS_WEBHOOK,
        requested_by=f"{provider} webhook ({event})",
        actor=actor,
    )
