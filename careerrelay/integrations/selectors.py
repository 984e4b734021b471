"""Reads for integrations. Every tenant read takes `org=`."""

from __future__ import annotations

from django.db.models import QuerySet

from careerrelay.integrations.models import WebhookDelivery, WebhookEndpoint
from careerrelay.orgs.models import Organization


def endpoint_secrets(*, org: Organization, provider: str) -> list[str]:
    return list(
        WebhookEndpoint.objects.filter(org=org, provider=provider, revoked_at__isnull=True).values_list(
            "secret", flat=True
        )
    )


def deliveries_list(*, org: Organization, provider: str | None = None) -> QuerySet[WebhookDelivery]:
    rows = WebhookDelivery.objects.for_org(org)
    return rows.filter(provider=provider) if provider else rows
