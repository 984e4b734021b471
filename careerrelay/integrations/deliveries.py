"""Processing stored webhook deliveries: the worker job `process_webhook_deliveries`.

Each delivery is applied in its own transaction. A delivery the data makes impossible (a
validation error) fails at once; an unexpected error is retried after 1, 5, 30, 120 and 480
minutes, then marked failed. The raw payload is cleared as soon as the delivery is done,
skipped or finally failed.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta

from django.db import transaction

from careerrelay.core.errors import Conflict, DomainValidationError, NotFound
from careerrelay.integrations import greenhouse, lever
from careerrelay.integrations.greenhouse import Skip
from careerrelay.integrations.models import Provider, WebhookDelivery
from careerrelay.orgs.actors import system_actor

logger = logging.getLogger(__name__)

RETRY_AFTER = [timedelta(minutes=m) for m in (1, 5, 30, 120, 480)]
BATCH = 200


def _apply(delivery: WebhookDelivery) -> str:
    payload = json.loads(delivery.payload)
    actor = system_actor(delivery.org)
    if delivery.provider == Provider.GREENHOUSE:
        return greenhouse.handle(actor, payload)
    return lever.handle(actor, payload)


def _finish(delivery: WebhookDelivery, status: str, note: str, at: datetime) -> None:
    delivery.status = status
    if status == WebhookDelivery.Status.FAILED:
        delivery.error = note[:2000]
    else:
        delivery.outcome, delivery.error = note[:200], ""
    delivery.processed_at = at
    delivery.payload = ""


def process_one(pk: object, at: datetime) -> str:
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("org")
            .filter(pk=pk, status=WebhookDelivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return "gone"
        delivery.attempts += 1
        try:
            with transaction.atomic():
                note = _apply(delivery)
            _finish(delivery, WebhookDelivery.Status.DONE, note, at)
        except Skip as exc:
            _finish(delivery, WebhookDelivery.Status.SKIPPED, str(exc), at)
        except (DomainValidationError, Conflict, NotFound, ValueError, KeyError, TypeError) as exc:
            message = getattr(exc, "message", None) or str(exc) or exc.__class__.__name__
            field = getattr(exc, "field", None)
            _finish(delivery, WebhookDelivery.Status.FAILED, f"{field}: {message}" if field else message, at)
        except Exception as exc:
            logger.exception("webhook delivery %s failed", delivery.pk)
            delivery.error = repr(exc)[:2000]
            if delivery.attempts > len(RETRY_AFTER):
                _finish(delivery, WebhookDelivery.Status.FAILED, delivery.error, at)
            else:
                delivery.next_attempt_at = at + RETRY_AFTER[delivery.attempts - 1]
        delivery.save()
        return delivery.status


def process_due(at: datetime) -> int:
    """Apply every pending delivery whose time has come, oldest first; returns how many ran."""
    due = list(
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=at)
        .order_by("received_at", "id")
        .values_list("pk", flat=True)[:BATCH]
    )
    for pk in due:
        process_one(pk, at)
    return len(due)
