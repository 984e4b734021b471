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
    RESCOUT_FIRST = "rescout_1", _("Re-scout, first step")
    RESCOUT_LATER = "rescout_2", _("Re-scout, later steps")
    NEWSLETTER = "newsletter", _("Newsletter")


# Marketing messages: limited by the org's frequency cap and sent only in the send window.
CAPPED_KINDS = (MessageKind.RESCOUT_FIRST, MessageKind.RESCOUT_LATER, MessageKind.NEWSLETTER)
RESCOUT_KINDS = (MessageKind.RESCOUT_FIRST, MessageKind.RESCOUT_LATER)


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
        # Taken by a worker, not yet handed to the mail server: released if the worker dies.
        CLAIMED = "claimed", _("Claimed")
        # Being handed to the mail server (one message at a time per worker).
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        RETRYING = "retrying", _("Retrying")
        FAILED = "failed", _("Failed")
        # Handed to the mail server but not recorded as sent (the worker stopped in between):
        # shown to admins, never sent again automatically.
        UNCERTAIN = "uncertain", _("Uncertain")
        CANCELLED = "cancelled", _("Cancelled")

    # Indexed by (candidate, status) below, which also serves look-ups by the person alone.
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="messages", db_index=False
    )
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
    # The newsletter a message belongs to (its status page counts them).
    newsletter = models.ForeignKey(
        "outreach.Newsletter", null=True, blank=True, on_delete=models.SET_NULL, related_name="messages", db_index=False
    )
    # What the mail provider told us after sending: bounced, rejected, complained, unsubscribed.
    provider_event = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "idempotency_key"], name="scheduledmessage_org_key"),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["candidate", "status"]),
            # Provider webhooks find a message by its Message-ID, across orgs.
            models.Index(fields=["message_id"], name="scheduledmessage_message_id"),
            # Only newsletter messages have one: the planner's re-scouts add no entry.
            models.Index(
                fields=["newsletter"], condition=models.Q(newsletter__isnull=False), name="scheduledmessage_newsletter"
            ),
        ]


class Suppression(OrgOwnedModel):
    """An address the org must not mail: it bounced for good, or the person complained."""

    email = models.CharField(max_length=254)
    reason = models.CharField(max_length=40)
    detail = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "email"], name="suppression_org_email")]


class RescoutRule(OrgOwnedModel):
    """When and to whom the org sends re-scout invitations after a rejection.

    The conditions are read when a rejection is planned (and again when the rule changes);
    the stop conditions (re-applied, hired, consent, suppression) when a step falls due and
    again when the message is sent."""

    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    # Months after the rejection, one per step: [6, 12] sends at +6 and +12 months.
    step_months = models.JSONField(_("steps (months after the rejection)"), default=list)
    # Only applications marked re-scout eligible (the flag, or the candidate's 再スカウト可 tag).
    require_flag = models.BooleanField(_("only re-scout eligible people"), default=True)
    reason_codes = models.JSONField(_("rejection reasons"), default=list, blank=True)
    min_score = models.DecimalField(_("minimum evaluation"), max_digits=3, decimal_places=2, null=True, blank=True)
    departments = models.JSONField(_("departments"), default=list, blank=True)
    # A step that falls due before the person's stated availability date waits for that date.
    wait_for_availability = models.BooleanField(_("wait until the person is available"), default=True)
    updated_by = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name


class RescoutSchedule(OrgOwnedModel):
    """One small row per (person, rule, step), written when the rejection is planned. The
    planner tick reads only the pending rows that are due, through a partial index."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        QUEUED = "queued", _("Queued")
        SKIPPED = "skipped", _("Skipped")

    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey("candidates.Application", on_delete=models.CASCADE, related_name="+")
    # Indexed as the first column of the unique (rule, candidate, step).
    rule = models.ForeignKey(RescoutRule, on_delete=models.CASCADE, related_name="schedule", db_index=False)
    step = models.PositiveSmallIntegerField()
    due_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    skip_reason = models.CharField(max_length=40, blank=True)
    message = models.ForeignKey(
        ScheduledMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "candidate", "step"], name="rescoutschedule_rule_candidate_step"),
        ]
        # Every index is written again when the planner queues a row (the state is in the due
        # index's predicate, so the update is never HOT): no duplicates, and none for NULLs.
        indexes = [
            models.Index(fields=["due_at"], condition=models.Q(state="pending"), name="rescoutschedule_due"),
            models.Index(fields=["message"], condition=models.Q(message__isnull=False), name="rescoutschedule_message"),
        ]


class LinkClick(OrgOwnedModel):
    """A person followed one of the links in a message (counted on every visit)."""

    class Action(models.TextChoices):
        INTERESTED = "interested", _("I'm interested")
        PROFILE = "profile", _("Update my profile")
        STOP = "stop", _("Stop")

    message = models.ForeignKey(ScheduledMessage, on_delete=models.CASCADE, related_name="clicks")
    action = models.CharField(max_length=12, choices=Action.choices)
    at = models.DateTimeField(default=clock.now)


class RescoutResponse(OrgOwnedModel):
    """ "I'm interested": the re-application it created, attributed to the message. One per
    message; shown to recruiters as a notice until someone marks it seen."""

    message = models.OneToOneField(ScheduledMessage, on_delete=models.CASCADE, related_name="response")
    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey("candidates.Application", on_delete=models.CASCADE, related_name="+")
    job = models.ForeignKey("candidates.JobRequisition", null=True, blank=True, on_delete=models.SET_NULL)
    seen_at = models.DateTimeField(null=True, blank=True)


class Newsletter(OrgOwnedModel):
    """News to everyone in a segment who agreed to receive it (case C). Recruiters write it;
    an admin schedules it; the worker expands it into outbox rows, a chunk at a time."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        # Being expanded into messages, or its messages are still being sent.
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    subject_ja = models.CharField(_("subject (Japanese)"), max_length=200)
    body_ja = models.TextField(_("message (Japanese)"))
    subject_en = models.CharField(_("subject (English)"), max_length=200)
    body_en = models.TextField(_("message (English)"))
    # The segment's filters (newsletters.Segment as JSON); consent is always required on top.
    segment = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    send_at = models.DateTimeField(null=True, blank=True)
    created_by = models.CharField(max_length=200, blank=True)
    updated_by = models.CharField(max_length=200, blank=True)
    scheduled_by = models.CharField(max_length=200, blank=True)
    # Expansion progress: people are taken in id order; a crash resumes after the last chunk.
    expanded_through = models.CharField(max_length=40, blank=True)
    expanded_at = models.DateTimeField(null=True, blank=True)
    # People in the segment left out at expansion: the address is suppressed or missing.
    skipped_count = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "send_at"], name="newsletter_due")]

    def __str__(self) -> str:
        return self.subject_ja or self.subject_en
