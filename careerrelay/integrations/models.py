"""Inbound webhooks: each org's secret per provider, and the log of what providers delivered."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from careerrelay.core import clock
from careerrelay.core.models import OrgOwnedModel


class Provider(models.TextChoices):
    GREENHOUSE = "greenhouse", "Greenhouse"
    LEVER = "lever", "Lever"


class WebhookEndpoint(OrgOwnedModel):
    """A secret an org shares with a provider. HMAC needs the secret itself, so it is stored as
    given (not hashed); an org may hold several per provider (rotation, Lever's token per event)."""

    provider = models.CharField(max_length=20, choices=Provider.choices)
    secret = models.CharField(max_length=200)
    label = models.CharField(max_length=100, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_provider_display()} {self.label}".strip()


class WebhookDelivery(OrgOwnedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DONE = "done", _("Processed")
        SKIPPED = "skipped", _("Skipped")
        FAILED = "failed", _("Failed")

    provider = models.CharField(max_length=20, choices=Provider.choices)
    delivery_id = models.CharField(max_length=100)
    event = models.CharField(max_length=60, blank=True)
    received_at = models.DateTimeField(default=clock.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=clock.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True, help_text="what was done, or why it was skipped")
    error = models.TextField(blank=True)
    # The raw body, kept only until the delivery is processed (or has finally failed).
    payload = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "provider", "delivery_id"], name="webhookdelivery_org_provider_id")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.provider} {self.event} {self.delivery_id}"
