"""A few SMTP connections used side by side: each carries its share of a group of messages, one
after another, and is reopened after a failure. Only the sending happens in threads; every
database write stays with the caller."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

logger = logging.getLogger(__name__)

Outcome = tuple[Any, Exception | None]  # (the caller's key, None if the server accepted it)


def _open(mail_connection: Any) -> None:
    """If the server is not there, each message's own attempt fails and is recorded."""
    try:
        mail_connection.open()
    except Exception:
        logger.warning("opening the mail connection failed", exc_info=True)


def _close(mail_connection: Any) -> None:
    try:
        mail_connection.close()
    except Exception:
        logger.warning("closing the mail connection failed", exc_info=True)


class MailPool:
    def __init__(self, size: int | None = None) -> None:
        self.size = max(1, size or settings.CAREERRELAY_SMTP_CONNECTIONS)
        # Opened here, a connection carries many messages (a backend that send() opens itself is
        # closed again after each message: one SMTP session per message).
        self.connections = [get_connection(fail_silently=False) for _ in range(self.size)]
        self.executor = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix="smtp")

    def __enter__(self) -> MailPool:
        for mail_connection in self.connections:
            _open(mail_connection)
        return self

    def __exit__(self, *exc: object) -> None:
        self.executor.shutdown(wait=True)
        for mail_connection in self.connections:
            _close(mail_connection)

    def send(self, emails: Sequence[tuple[Any, EmailMessage]]) -> list[Outcome]:
        return self.collect(self.start(emails))

    def start(self, emails: Sequence[tuple[Any, EmailMessage]]) -> list[Future[list[Outcome]]]:
        """Hand the messages to the connections (one share each) and return at once; the caller
        may prepare the next group meanwhile and then `collect` the outcomes."""
        shares = [list(emails[index :: self.size]) for index in range(self.size)]
        return [
            self.executor.submit(self._send_share, mail_connection, share)
            for mail_connection, share in zip(self.connections, shares, strict=True)
            if share
        ]

    @staticmethod
    def collect(futures: list[Future[list[Outcome]]]) -> list[Outcome]:
        return [outcome for future in futures for outcome in future.result()]

    @staticmethod
    def _send_share(mail_connection: Any, share: list[tuple[Any, EmailMessage]]) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for key, email in share:
            email.connection = mail_connection
            try:
                email.send()
            except Exception as exc:  # noqa: BLE001 - every transport error is retried or reported
                outcomes.append((key, exc))
                _close(mail_connection)
                _open(mail_connection)
            else:
                outcomes.append((key, None))
        return outcomes
