"""A plain-text mail as the bytes an SMTP server receives, written directly.

Django's `EmailMessage.message()` goes through the standard library's generic MIME machinery:
about 0.4 ms a message, most of what the dispatcher spent per mail. A candidate's mail is always
the same shape (one UTF-8 text part, a few headers), so it is written here in a few microseconds
with the same result as Django's: UTF-8 text sent 8-bit (base64 if a line is longer than SMTP
allows), the Subject and a Japanese sender name as RFC 2047 encoded words folded correctly, CRLF
line ends. Anything unusual (a non-ASCII address) is left to Django (`None`)."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from email.header import Header
from email.message import Message
from email.parser import BytesParser
from email.policy import compat32
from email.utils import formataddr, formatdate
from functools import lru_cache
from typing import Any

_MAX_LINE = 998  # RFC 5322, without the CRLF


class HeaderInjection(ValueError):
    """A header value with a line break would start a header of its own."""


# Where email.header.Header moves a value it cannot break (no space, comma or semicolon) to a
# line of its own; such a value (a Message-ID, a List-Unsubscribe URL) is written without it.
_HEADER_FOLDS_AFTER = 78
_BREAK_POINTS = frozenset(";, \t")


def _header(name: str, value: str) -> str:
    if "\n" in value or "\r" in value:
        raise HeaderInjection(name)
    if value.isascii():
        if len(name) + len(value) < 76:
            return f"{name}: {value}"
        if _BREAK_POINTS.isdisjoint(value):
            own_line = len(name) + 2 + len(value) > _HEADER_FOLDS_AFTER
            return f"{name}: \r\n {value}" if own_line else f"{name}: {value}"
    return _encoded(name, value)


# A batch repeats the same few Subjects and sender names: encoding one takes ~0.2 ms of Python.
@lru_cache(maxsize=512)
def _encoded(name: str, value: str) -> str:
    charset = "us-ascii" if value.isascii() else "utf-8"
    return f"{name}: " + Header(value, charset, header_name=name).encode(linesep="\r\n")


@lru_cache(maxsize=512)
def _from(name: str, address: str) -> str:
    return "From: " + formataddr((name, address), charset="utf-8")


def plain_text(
    *, sender_name: str, sender: str, to: str, subject: str, body: str, headers: Mapping[str, str]
) -> bytes | None:
    """The whole message, or None when an address is not plain ASCII (Django encodes those)."""
    if not (sender.isascii() and to.isascii()):
        return None
    if "\n" in sender_name or "\r" in sender_name:
        raise HeaderInjection("From")
    text = body.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    if len(text) > _MAX_LINE and max(map(len, text.split(b"\n"))) > _MAX_LINE:
        payload = base64.encodebytes(text).replace(b"\n", b"\r\n")
        encoding = "base64"
    else:
        payload = text.replace(b"\n", b"\r\n")
        encoding = "8bit"
    lines = [
        'Content-Type: text/plain; charset="utf-8"',
        "MIME-Version: 1.0",
        f"Content-Transfer-Encoding: {encoding}",
        _header("Subject", subject),
        _from(sender_name, sender),
        f"To: {to}",
        "Date: " + formatdate(),
        *(_header(name, value) for name, value in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii") + payload


class Prebuilt:
    """Stands in for the `email.message.Message` Django's mail backends ask an EmailMessage for:
    `as_bytes()` is the message above; anything else reads a parsed copy, made only if asked.
    `envelope` (sender, recipients), when given, lets `core.smtp_backend` hand the bytes to the
    server without parsing the addresses again."""

    def __init__(self, raw: bytes, envelope: tuple[str, list[str]] | None = None) -> None:
        self.raw = raw
        self.envelope = envelope
        self._parsed: Message | None = None

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return self.raw if linesep == "\r\n" else self.raw.replace(b"\r\n", linesep.encode())

    def __getattr__(self, name: str) -> Any:
        if self._parsed is None:
            self._parsed = BytesParser(policy=compat32).parsebytes(self.raw)
        return getattr(self._parsed, name)

    def __getitem__(self, name: str) -> Any:
        return self.__getattr__("__getitem__")(name)
