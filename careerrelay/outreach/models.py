"""The outbox: every message to a candidate is a row first, written in the transaction that
decided to send it, and sent by the worker at most once."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from careerrelay.core import clock
from careerrelay.core.models import OrgOwnedModel


class MessageKind(models.TextChoices):
    REJECTION = "rejection", _("Rejection email")
    CONSENT_RENEWAL = "consent_renewal", _("Consent renewal")
    PORTAL_LINK = "portal_link", _("New portal link")
    INTRODUCTION = "introduction", _("Introduction request")


class MessageTemplate(OrgOwnedModel):
    """What a kind of message says, per language; a rejection template can be per reason
    (an empty reason is the template for every reason without its own)."""

    kind = models.CharField(_("kind"), max_length=20, choices=MessageKind.choices)
    reason = models.ForeignKey(
        "candidates.RejectionReason", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(_("language"), max_length=5, choices=[("ja", "日本語"), ("en", "English")])
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    updated_by = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org", "kind", "reason", "language"],
                condition=models.Q(reason__isnull=False),
                name="messagetemplate_per_reason",
            ),
            models.UniqueConstraint(
                fields=["org", "kind", "language"],
                condition=models.Q(reason__isnull=True),
                name="messagetemplate_default",
            ),
        ]
        ordering = ["kind", "reason__position", "language"]


class ScheduledMessage(OrgOwnedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        RETRYING = "retrying", _("Retrying")
        FAILED = "failed", _("Failed")
        # Handed to the mail server but not recorded as sent (the worker stopped in between):
        # shown to admins, never sent again automatically.
        UNCERTAIN = "uncertain", _("Uncertain")
        CANCELLED = "cancelled", _("Cancelled")

    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="messages")
    application = models.ForeignKey(
        "candidates.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    # The consent the message needs at send time; empty for messages about the person's own
    # application or their data (the rejection email, a renewal request, a new portal link).
    purpose = models.CharField(max_length=80, blank=True)
    # One message per business fact, e.g. "rejection:<application id>".
    idempotency_key = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    due_at = models.DateTimeField(default=clock.now)
    to_email = models.CharField(max_length=254)
    language = models.CharField(max_length=5)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    last_error = models.TextField(blank=True)
    cancelled_reason = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "idempotency_key"], name="scheduledmessage_org_key"),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["candidate", "status"]),
        ]


class Suppression(OrgOwnedModel):
    """An address the org must not mail: it bounced for good, or the person complained."""

    email = models.CharField(max_length=254)
    reason = models.CharField(max_length=40)
    detail = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "email"], name="suppression_org_email")]
