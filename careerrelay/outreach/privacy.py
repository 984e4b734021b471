"""What outreach adds to consent's privacy features: the last message sent counts as a contact
for retention, the person's messages are part of their data download, and an erased person's
address leaves the suppression list (registered in OutreachConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models import Max, OuterRef, Subquery

from careerrelay.candidates.models import Candidate
from careerrelay.outreach.models import ScheduledMessage, Suppression


def last_message_sent() -> Subquery:
    """For retention's last contact: when the org last sent the person (OuterRef "pk") a message."""
    return Subquery(
        ScheduledMessage.objects.filter(candidate=OuterRef("pk"), sent_at__isnull=False)
        .values("candidate")
        .annotate(latest=Max("sent_at"))
        .values("latest")
    )


def messages_export(records: list[Candidate]) -> tuple[str, Any]:
    messages = ScheduledMessage.objects.filter(candidate__in=records)
    return "messages", [
        {
            "kind": message.kind,
            "status": message.status,
            "to": message.to_email,
            "language": message.language,
            "subject": message.subject,
            "body": message.body,
            "due_at": message.due_at,
            "sent_at": message.sent_at,
        }
        for message in messages.order_by("due_at", "id")
    ]


def suppressions_erase(candidate: Candidate) -> None:
    """The suppression row holds the address (and the server's bounce text quoting it). Once the
    person is erased nothing is ever sent to them: the erased record has no address."""
    if candidate.email:
        Suppression.objects.filter(org=candidate.org_id, email__iexact=candidate.email).delete()
