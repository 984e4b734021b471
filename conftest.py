"""Shared test fixtures: orgs with members and API keys, a real SMTP server, a pinned clock."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from careerrelay.core.email_url import email_settings_from_url
from careerrelay.orgs.tests.factories import OrgWorld, make_org_world


@pytest.fixture(autouse=True)
def _fast_hashing_and_plain_static(settings: pytest.FixtureRequest) -> None:
    # Argon2 is what production uses (tested in accounts/tests/test_passwords.py); here it would
    # only slow down the hundreds of users the suite creates.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def world(db: None) -> OrgWorld:
    """An org with an admin, a recruiter and a viewer, and an API key of each role."""
    return make_org_world("alpha")


@pytest.fixture
def other_world(db: None) -> OrgWorld:
    """A second, unrelated org: what the first must never see or touch."""
    return make_org_world("beta")


class _Collector:
    """Keeps every message it receives, parsed with the modern email policy (decoded headers)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        # (MAIL FROM, RCPT TO, the bytes as received) of each message, in order.
        self.envelopes: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.original_content or b"", policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.envelopes.append((envelope.mail_from or "", list(envelope.rcpt_tos), envelope.original_content or b""))
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    host: str
    port: int
    handler: _Collector

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    @property
    def envelopes(self) -> list[tuple[str, list[str], bytes]]:
        return self.handler.envelopes


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server(settings: pytest.FixtureRequest) -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on loopback; the SMTP backend EMAIL_URL selects is pointed at it."""
    handler = _Collector()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = email_settings_from_url("smtp://127.0.0.1")["EMAIL_BACKEND"]  # type: ignore[attr-defined]
    settings.EMAIL_HOST = "127.0.0.1"  # type: ignore[attr-defined]
    settings.EMAIL_PORT = port  # type: ignore[attr-defined]
    settings.EMAIL_USE_TLS = False  # type: ignore[attr-defined]
    settings.EMAIL_USE_SSL = False  # type: ignore[attr-defined]
    try:
        yield SmtpServer(host="127.0.0.1", port=port, handler=handler)
    finally:
        controller.stop()
