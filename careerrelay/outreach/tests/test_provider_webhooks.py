"""Bounces and complaints from the mail provider through django-anymail's Postmark tracking
webhook (the real view, with HTTP basic auth) → the suppression list.

The payloads follow the bounce, spam-complaint and subscription-change webhook samples of
Postmark's public documentation (postmarkapp.com/developer/webhooks/bounce-webhook,
…/spam-complaint-webhook and …/subscription-change-webhook): the same fields and types (the
bounce's field set also matches the Bounce model of Postmark's official postmark.js client), with
our addresses and Message-IDs."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

import pytest

from careerrelay.accounts.models import AuditEvent
from careerrelay.outreach.dispatch import dispatch_due
from careerrelay.outreach.models import ScheduledMessage, Suppression
from careerrelay.outreach.newsletter_send import expand_due
from careerrelay.outreach.tests.newsletter_helpers import MORNING, person, scheduled

URL = "/hooks/mail/postmark/tracking/"
SECRET = "postmark:s3cret-for-tests"


@pytest.fixture(autouse=True)
def _webhook_secret(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}


def _post(client, payload: dict[str, Any], secret: str = SECRET):
    auth = base64.b64encode(secret.encode()).decode()
    return client.post(URL, json.dumps(payload), content_type="application/json", HTTP_AUTHORIZATION=f"Basic {auth}")


def _bounce(
    email: str, message_id: str, *, kind: str = "HardBounce", inactive: bool = True, event_id: int = 4323372036854775807
) -> dict[str, Any]:
    return {
        "RecordType": "Bounce",
        "MessageStream": "outbound",
        "ID": event_id,
        "Type": kind,
        "TypeCode": 1 if kind == "HardBounce" else 4096,
        "Name": "Hard bounce" if kind == "HardBounce" else "Soft bounce",
        "Tag": "newsletter",
        "MessageID": message_id,
        "Metadata": {},
        "ServerID": 23,
        "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": email,
        "From": "no-reply@careerrelay.localhost",
        "BouncedAt": "2026-07-14T02:33:54.9070259Z",
        "DumpAvailable": True,
        "Inactive": inactive,
        "CanActivate": True,
        "Subject": "お知らせ",
    }


def _complaint(email: str, message_id: str) -> dict[str, Any]:
    return {
        "RecordType": "SpamComplaint",
        "MessageStream": "outbound",
        "ID": 42,
        "Type": "SpamComplaint",
        "TypeCode": 512,
        "Name": "Spam complaint",
        "Tag": "newsletter",
        "MessageID": message_id,
        "Metadata": {},
        "ServerID": 1234,
        "Description": "",
        "Details": "Test spam complaint details",
        "Email": email,
        "From": "no-reply@careerrelay.localhost",
        "BouncedAt": "2026-07-14T02:40:00.0000000Z",
        "DumpAvailable": True,
        "Inactive": True,
        "CanActivate": False,
        "Subject": "お知らせ",
    }


def _sent_message(world, smtp_server) -> ScheduledMessage:
    person(world)
    scheduled(world)
    expand_due(MORNING)
    assert dispatch_due(MORNING) == 1
    return ScheduledMessage.objects.get(status=ScheduledMessage.Status.SENT)


@pytest.mark.django_db
def test_a_hard_bounce_suppresses_the_address_and_marks_the_message_once(client, world, smtp_server):
    message = _sent_message(world, smtp_server)
    payload = _bounce(message.to_email, message.message_id)
    assert _post(client, payload).status_code == 200
    assert _post(client, payload).status_code == 200  # the provider delivers it again
    suppression = Suppression.objects.get(org=world.org, email=message.to_email)
    assert suppression.reason == "bounce" and "4323372036854775807" in suppression.detail
    message.refresh_from_db()
    assert (message.provider_event, message.status) == ("bounced", ScheduledMessage.Status.FAILED)
    assert AuditEvent.objects.filter(action="suppression.added", org=world.org).count() == 1


@pytest.mark.django_db
def test_a_complaint_suppresses_and_the_next_newsletter_skips_the_address(client, world, smtp_server):
    message = _sent_message(world, smtp_server)
    assert _post(client, _complaint(message.to_email, message.message_id)).status_code == 200
    assert Suppression.objects.get(org=world.org, email=message.to_email).reason == "complaint"
    message.refresh_from_db()
    assert (message.provider_event, message.status) == ("complained", ScheduledMessage.Status.SENT)
    later = MORNING + timedelta(days=40)
    second = scheduled(world, at=later)
    expand_due(later)
    second.refresh_from_db()
    assert not ScheduledMessage.objects.filter(newsletter=second).exists() and second.skipped_count == 1


@pytest.mark.django_db
def test_soft_bounces_and_delays_do_not_suppress(client, world, smtp_server):
    message = _sent_message(world, smtp_server)
    assert (
        _post(client, _bounce(message.to_email, message.message_id, kind="SoftBounce", inactive=False)).status_code
        == 200
    )
    assert (
        _post(client, _bounce(message.to_email, message.message_id, kind="Transient", inactive=False)).status_code
        == 200
    )
    assert not Suppression.objects.exists()
    message.refresh_from_db()
    assert message.provider_event == "" and message.status == ScheduledMessage.Status.SENT


@pytest.mark.django_db
def test_an_unknown_message_id_is_matched_by_address_or_ignored(client, world, other_world, smtp_server):
    message = _sent_message(world, smtp_server)
    # Postmark's own id, not our Message-ID: the address tells which org mailed it.
    assert _post(client, _bounce(message.to_email, "883953f4-6105-42a2-a16a-77a8eac79483")).status_code == 200
    assert Suppression.objects.filter(org=world.org, email=message.to_email).exists()
    assert not Suppression.objects.filter(org=other_world.org).exists()
    # An address nobody here ever mailed: accepted, nothing recorded.
    assert _post(client, _bounce("stranger@example.com", "00000000-0000-0000-0000-000000000000")).status_code == 200
    assert Suppression.objects.count() == 1


@pytest.mark.django_db
def test_a_wrong_secret_is_refused_and_changes_nothing(client, world, smtp_server):
    message = _sent_message(world, smtp_server)
    response = _post(client, _bounce(message.to_email, message.message_id), secret="postmark:guess")
    assert response.status_code == 400
    response = client.post(
        URL, json.dumps(_bounce(message.to_email, message.message_id)), content_type="application/json"
    )
    assert response.status_code == 400
    assert not Suppression.objects.exists()


@pytest.mark.django_db
def test_an_unsubscribe_at_the_provider_suppresses_and_a_resubscribe_does_not(client, world, smtp_server):
    message = _sent_message(world, smtp_server)
    change = {
        "RecordType": "SubscriptionChange",
        "MessageID": message.message_id,
        "ServerID": 123456,
        "MessageStream": "outbound",
        "ChangedAt": "2026-07-14T03:53:34.416071Z",
        "Recipient": message.to_email,
        "Origin": "Recipient",
        "SuppressSending": False,
        "SuppressionReason": None,
        "Tag": "newsletter",
        "Metadata": {},
    }
    assert _post(client, change).status_code == 200  # reactivated: nothing to suppress
    assert not Suppression.objects.exists()
    change.update({"SuppressSending": True, "SuppressionReason": "ManualSuppression"})
    assert _post(client, change).status_code == 200
    assert Suppression.objects.get(org=world.org, email=message.to_email).reason == "unsubscribe"
