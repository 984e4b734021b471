"""The dispatcher's promises: checked again at send time, retried when the server says later,
suppressed when it says never, and never sent twice after a crash."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from aiosmtpd.controller import Controller

from careerrelay.consent import purposes
from careerrelay.consent.services import consent_grant, consent_withdraw
from careerrelay.consent.tests.factories import PORTAL
from careerrelay.core.clock import JST
from careerrelay.outreach.dispatch import LEASE, RETRY_DELAYS, dispatch_due, mark_uncertain
from careerrelay.outreach.models import ScheduledMessage, Suppression
from careerrelay.outreach.tests.helpers import reject, set_timing

AT = datetime(2026, 11, 24, 10, 0, tzinfo=JST)
Status = ScheduledMessage.Status


class _Answering:
    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.count += 1
        return self.answer


@pytest.fixture
def refusing_server(settings, smtp_server):
    """A server that answers every message with the code the test sets."""
    handler = _Answering("451 4.3.0 try again later")
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_server.port + 0)
    # Reuse the fixture's settings but a fresh port for this server.
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_PORT = port
    try:
        yield handler
    finally:
        controller.stop()


def _queued(world, **person):
    set_timing(world, "immediate")
    application = reject(world, AT, **person)
    return ScheduledMessage.objects.get(candidate=application.candidate)


@pytest.mark.django_db
def test_a_temporary_refusal_is_retried_with_backoff_then_reported(world, refusing_server):
    message = _queued(world)
    at = AT
    for attempt, delay in enumerate(RETRY_DELAYS, start=1):
        assert dispatch_due(at) == 0
        message.refresh_from_db()
        assert (message.status, message.attempts) == (Status.RETRYING, attempt)
        assert message.due_at == at + delay and "451" in message.last_error
        at = message.due_at
    dispatch_due(at)
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert refusing_server.count == len(RETRY_DELAYS) + 1
    assert not Suppression.objects.exists()


@pytest.mark.django_db
def test_a_permanent_refusal_fails_and_suppresses_the_address(world, refusing_server):
    refusing_server.answer = "550 5.1.1 no such user"
    message = _queued(world)
    dispatch_due(AT)
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert Suppression.objects.filter(org=world.org, email=message.to_email, reason="bounce").exists()
    later = reject(world, AT + timedelta(days=1), email=message.to_email, phone="", family_name_kana="ベツ")
    later_message = ScheduledMessage.objects.get(application=later)
    dispatch_due(AT + timedelta(days=1))
    later_message.refresh_from_db()
    assert (later_message.status, later_message.cancelled_reason) == (Status.CANCELLED, "suppressed")


@pytest.mark.django_db
def test_a_server_that_is_not_there_is_retried_and_nothing_is_lost(world, settings):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = sock.getsockname()[1]  # nothing listens once the socket closes
    settings.EMAIL_BACKEND = "careerrelay.core.smtp_backend.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    message = _queued(world)
    assert dispatch_due(AT) == 0
    message.refresh_from_db()
    assert message.status == Status.RETRYING and message.last_error


@pytest.mark.django_db
def test_a_crash_between_sending_and_recording_leaves_the_message_uncertain_never_resent(world, smtp_server):
    message = _queued(world)
    # What a worker killed after the SMTP server accepted the mail leaves behind:
    ScheduledMessage.objects.filter(pk=message.pk).update(status=Status.SENDING, claimed_at=AT, attempts=1)
    assert dispatch_due(AT + LEASE - timedelta(seconds=1)) == 0
    message.refresh_from_db()
    assert message.status == Status.SENDING
    assert dispatch_due(AT + LEASE + timedelta(seconds=1)) == 0
    message.refresh_from_db()
    assert message.status == Status.UNCERTAIN
    assert dispatch_due(AT + timedelta(days=1)) == 0
    assert mark_uncertain(AT + timedelta(days=2)) == 0
    assert smtp_server.messages == []


@pytest.mark.django_db
def test_a_message_that_needs_consent_is_cancelled_if_it_was_withdrawn_before_sending(world, smtp_server):
    message = _queued(world)
    candidate = message.candidate
    consent_grant(candidate=candidate, purpose=purposes.RECONTACT, language="ja", evidence=PORTAL, at=AT)
    ScheduledMessage.objects.filter(pk=message.pk).update(purpose=purposes.RECONTACT)
    consent_withdraw(candidate=candidate, purpose=purposes.RECONTACT, evidence=PORTAL, at=AT + timedelta(minutes=1))
    message.refresh_from_db()
    assert (message.status, message.cancelled_reason) == (Status.CANCELLED, "withdrawn")
    assert dispatch_due(AT + timedelta(minutes=2)) == 0
    assert smtp_server.messages == []


@pytest.mark.django_db
def test_consent_that_lapsed_before_sending_stops_the_message(world, smtp_server):
    message = _queued(world)
    # Planned for a purpose the person never agreed to: the send-time check refuses it.
    ScheduledMessage.objects.filter(pk=message.pk).update(purpose=purposes.NEWSLETTER)
    assert dispatch_due(AT) == 0
    message.refresh_from_db()
    assert (message.status, message.cancelled_reason) == (Status.CANCELLED, "no_consent")
    assert smtp_server.messages == []


@pytest.mark.django_db
def test_one_connection_carries_a_batch(world, smtp_server):
    for n in range(5):
        _queued(world, email=f"p{n}@example.jp", phone="", family_name_kana=f"テスト{n}")
    assert dispatch_due(AT) == 5
    assert len(smtp_server.messages) == 5
    assert ScheduledMessage.objects.filter(status=Status.SENT).count() == 5
