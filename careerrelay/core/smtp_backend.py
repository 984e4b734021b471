"""Django's SMTP backend (what EMAIL_URL's smtp://, smtps:// and submission:// select), with one
short cut: a message that is already the bytes to send and names its envelope (`mime.Prebuilt`
with an envelope, offered by the message's `prebuilt()`) goes to the server as it is.

Django's own path parses the sender and each recipient again with the standard library's header
parser (`sanitize_address`), and smtplib once more to quote them (`quoteaddr`): together about
0.3 ms of Python a message, more than smtplib's whole exchange with the server. A plain address
is passed and quoted as it is. Anything else (no `prebuilt()`, an unusual address) takes the
standard path."""

from __future__ import annotations

import smtplib
from typing import Any

from django.core.mail.backends import smtp

from careerrelay.core import mime

_SPECIAL = frozenset(' \t\r\n<>"(),;:\\[]')


def _plain(address: str) -> bool:
    """An envelope address smtplib can send as it is: what sanitize_address would return unchanged."""
    return address.isascii() and address.count("@") == 1 and _SPECIAL.isdisjoint(address)


class _SMTP(smtplib.SMTP):
    """MAIL FROM and RCPT TO for a plain address, without parsing it: `<address>` is what
    smtplib's quoteaddr makes of it."""

    def mail(self, sender: str, options: Any = ()) -> tuple[int, bytes]:
        if not _plain(sender) or any(option.lower() == "smtputf8" for option in options):
            return super().mail(sender, options)
        self.putcmd("mail", f"FROM:<{sender}>{_options(self, options)}")
        return self.getreply()

    def rcpt(self, recip: str, options: Any = ()) -> tuple[int, bytes]:
        if not _plain(recip):
            return super().rcpt(recip, options)
        self.putcmd("rcpt", f"TO:<{recip}>{_options(self, options)}")
        return self.getreply()


def _options(session: smtplib.SMTP, options: Any) -> str:
    return "".join(f" {option}" for option in options) if options and session.does_esmtp else ""


class _SMTPSSL(_SMTP, smtplib.SMTP_SSL):
    pass


class EmailBackend(smtp.EmailBackend):
    @property
    def connection_class(self) -> type[smtplib.SMTP]:
        return _SMTPSSL if self.use_ssl else _SMTP

    def _send(self, email_message: Any) -> bool:
        passed = _pass_through(email_message)
        if passed is None or self.connection is None:
            return bool(super()._send(email_message))  # type: ignore[misc]  # django-stubs omit _send
        raw, sender, recipients = passed
        try:
            self.connection.sendmail(sender, recipients, raw)
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True


def _pass_through(email_message: Any) -> tuple[bytes, str, list[str]] | None:
    """(bytes, sender, recipients) of a prebuilt message with a plain envelope, else None."""
    prebuilt = getattr(email_message, "prebuilt", None)
    message = prebuilt() if prebuilt is not None else None
    if not isinstance(message, mime.Prebuilt) or message.envelope is None:
        return None
    sender, recipients = message.envelope
    if not recipients or not all(_plain(address) for address in (sender, *recipients)):
        return None
    return message.raw, sender, recipients
