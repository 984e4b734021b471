"""Consent as a log: events are appended, never changed; the current state is derived from them."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from careerrelay.core import clock
from careerrelay.core.models import OrgOwnedModel


class PolicyVersion(OrgOwnedModel):
    """What the org tells people, in ja and en: a notice and one statement per purpose.

    Once any consent refers to a version it is frozen; editing then makes the next version.
    """

    number = models.PositiveIntegerField()
    # {"ja": "...", "en": "..."}
    notice = models.JSONField(default=dict)
    # {"recontact": {"ja": ..., "en": ...}, "newsletter": …, "relay_share": …, "disclose": …}
    # The disclose statement names the receiving company as {company}.
    statements = models.JSONField(default=dict)
    published_by = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "number"], name="policyversion_org_number")]
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"v{self.number}"


class ConsentEvent(OrgOwnedModel):
    class Kind(models.TextChoices):
        GRANTED = "granted", _("Granted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("Candidate portal")
        EMAIL_LINK = "email_link", _("Link in an email")
        IMPORT = "import", _("Import with evidence")
        API = "api", _("API")
        RECRUITER = "recruiter", _("Recorded by a recruiter")
        SYSTEM = "system", _("System")

    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="consent_events")
    purpose = models.CharField(max_length=80)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    policy = models.ForeignKey(PolicyVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    language = models.CharField(max_length=5, blank=True)
    # SHA-256 of the exact text the person was shown when they agreed.
    text_hash = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    occurred_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=400, blank=True)
    # For imports and recruiter-recorded consent: where the consent was given (a form, a file, a date).
    evidence = models.TextField(blank=True)
    actor_label = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            # The gate's question, a person's latest event for a purpose, answered from the index
            # alone (newest first with the tie-break, kind and expiry included): a match list asks
            # it for 300 people at once (benchmarks/README.md, Load). The org is included for
            # row-level security, whose policy reads it on every row: without it each answer
            # visited the table (5.1 against 4.0 ms for a match list as the app role).
            models.Index(
                fields=["candidate", "purpose", "occurred_at", "id"],
                include=["kind", "expires_at", "org"],
                name="consent_latest_event_org",
            )
        ]
        ordering = ["occurred_at", "id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The log is append-only: a saved event is never rewritten (erasure clears evidence with
        # a queryset update that names the columns it empties).
        if not self._state.adding:
            raise TypeError("consent events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("consent events are append-only")


class SharingBlock(OrgOwnedModel):
    """A company the person never wants to be shared with: a network member, or a name typed in."""

    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="sharing_blocks")
    blocked_org = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    company_name = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "blocked_org"],
                condition=models.Q(blocked_org__isnull=False),
                name="sharingblock_candidate_org",
            )
        ]


class ErasureRequest(OrgOwnedModel):
    """Someone asked that a person's data be erased. The worker job `carry_out_erasures` does it;
    the request stays (without anything identifying) as the record that it was asked and done."""

    class Channel(models.TextChoices):
        PORTAL = "portal", _("Candidate portal")
        ADMIN = "admin", _("An administrator")
        ATS_WEBHOOK = "ats_webhook", _("The ATS (webhook)")
        RETENTION = "retention", _("Retention period ended")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DONE = "done", _("Erased")

    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="erasure_requests")
    channel = models.CharField(max_length=12, choices=Channel.choices)
    # Who asked, never the person's own name: a member's address, "candidate", "greenhouse webhook".
    requested_by = models.CharField(max_length=200, blank=True)
    requested_at = models.DateTimeField(default=clock.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"], condition=models.Q(status="pending"), name="erasurerequest_one_pending"
            )
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"erasure {self.pk} ({self.status})"
