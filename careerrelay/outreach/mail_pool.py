"""A few SMTP connections used side by side, each in a thread of its own fed from one queue: a
connection takes the next message the moment it is done with one, so the mail server always has
work and no connection waits for the others. A connection is reopened after a failure. Only the
sending happens in threads; every database write stays with the caller."""

from __future__ import annotations

import logging
import queue
import threading
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
        self._work: queue.SimpleQueue[tuple[Any, EmailMessage] | None] = queue.SimpleQueue()
        self._outcomes: queue.SimpleQueue[Outcome] = queue.SimpleQueue()
        self._threads = [
            threading.Thread(target=self._serve, args=(mail_connection,), name=f"smtp-{index}", daemon=True)
            for index, mail_connection in enumerate(self.connections)
        ]

    def __enter__(self) -> MailPool:
        for mail_connection in self.connections:
            _open(mail_connection)
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for _thread in self._threads:
            self._work.put(None)
        for thread in self._threads:
            thread.join()
        for mail_connection in self.connections:
            _close(mail_connection)

    def put(self, key: Any, email: EmailMessage) -> None:
        """Queue one message; its outcome comes back from `outcomes` under `key`."""
        self._work.put((key, email))

    def outcomes(self) -> list[Outcome]:
        """Wait for at least one outcome; return every outcome there is by then."""
        ready = [self._outcomes.get()]
        while True:
            try:
                ready.append(self._outcomes.get_nowait())
            except queue.Empty:
                return ready

    def _serve(self, mail_connection: Any) -> None:
        while (item := self._work.get()) is not None:
            key, email = item
            email.connection = mail_connection
            try:
                email.send()
            except Exception as exc:  # noqa: BLE001 - every transport error is retried or reported
                self._outcomes.put((key, exc))
                _close(mail_connection)
                _open(mail_connection)
            else:
                self._outcomes.put((key, None))
