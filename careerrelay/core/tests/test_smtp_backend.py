"""The SMTP backend's short cut for prebuilt mail, against a real SMTP server on loopback: the
server receives what Django's own SMTP backend would have sent, and refusals still surface."""

from __future__ import annotations

import random
import smtplib
import string
from typing import Any

import pytest
from django.core.mail import EmailMessage, get_connection

from careerrelay.core import mime, smtp_backend

HEADERS = {"Message-ID": "<42.1@relay.example.jp>", "List-Unsubscribe": "<https://relay.example.jp/p/u/t/>"}


class _Prebuilt(EmailMessage):
    """What the dispatcher's CandidateEmail offers: the bytes, and the envelope."""

    sender = "noreply@relay.example.jp"

    def prebuilt(self) -> mime.Prebuilt | None:
        raw = mime.plain_text(
            sender_name="株式会社サンプル 採用担当",
            sender=self.sender,
            to=self.to[0],
            subject=str(self.subject),
            body=str(self.body),
            headers=self.extra_headers,
        )
        return None if raw is None else mime.Prebuilt(raw, envelope=(self.sender, list(self.to)))

    def message(self, *args: Any, **kwargs: Any) -> Any:
        return self.prebuilt() or super().message(*args, **kwargs)


def _mail(to: str = "taro@example.jp") -> _Prebuilt:
    return _Prebuilt(
        subject="選考結果のご連絡",
        body="山田 太郎 様\n\nご応募ありがとうございました。\n",
        from_email="株式会社サンプル 採用担当 <noreply@relay.example.jp>",
        to=[to],
        headers=HEADERS,
    )


def _send_with(backend: str, email: EmailMessage) -> None:
    with get_connection(backend, fail_silently=False) as connection:
        email.connection = connection
        email.send()


def test_the_server_receives_what_djangos_own_backend_sends(smtp_server: Any) -> None:
    ours, theirs = _mail(), _mail()
    _send_with("careerrelay.core.smtp_backend.EmailBackend", ours)
    _send_with("django.core.mail.backends.smtp.EmailBackend", theirs)
    (our_from, our_to, our_bytes), (their_from, their_to, their_bytes) = smtp_server.envelopes

    def without_date(raw: bytes) -> bytes:
        return b"\r\n".join(line for line in raw.split(b"\r\n") if not line.startswith(b"Date: "))

    assert (our_from, our_to) == (their_from, their_to) == ("noreply@relay.example.jp", ["taro@example.jp"])
    assert without_date(our_bytes) == without_date(their_bytes)
    assert smtp_server.messages[0]["Subject"] == "選考結果のご連絡"


def test_an_address_it_cannot_pass_through_takes_djangos_path(smtp_server: Any) -> None:
    """An internationalised domain must be punycoded: Django's sanitize_address does that."""
    email = _mail()
    email.sender = "noreply@リレー.jp"
    email.from_email = "株式会社サンプル <noreply@リレー.jp>"
    _send_with("careerrelay.core.smtp_backend.EmailBackend", email)
    assert smtp_server.envelopes[0][:2] == ("noreply@" + "リレー.jp".encode("idna").decode(), ["taro@example.jp"])
    # An envelope the short cut is handed but cannot send as it is goes the same way.
    assert not smtp_backend._plain('"taro yamada"@example.jp')
    assert not smtp_backend._plain("taro@example.jp\r\nRCPT TO:<x@example.jp>")
    assert smtp_backend._plain("taro.yamada+relay@example.jp")


def test_mail_without_a_prebuilt_form_is_sent_by_django(smtp_server: Any) -> None:
    plain = EmailMessage(subject="Hello", body="Hi", from_email="a@relay.example.jp", to=["b@example.jp"])
    _send_with("careerrelay.core.smtp_backend.EmailBackend", plain)
    assert smtp_server.envelopes[0][:2] == ("a@relay.example.jp", ["b@example.jp"])


class _Refusing:
    def sendmail(self, *args: object) -> None:
        raise smtplib.SMTPRecipientsRefused({"taro@example.jp": (550, b"no such user")})


def test_a_refusal_is_raised_unless_told_to_fail_silently() -> None:
    loud, quiet = smtp_backend.EmailBackend(fail_silently=False), smtp_backend.EmailBackend(fail_silently=True)
    loud.connection = quiet.connection = _Refusing()
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        loud._send(_mail())
    assert quiet._send(_mail()) is False


def test_a_plain_address_is_quoted_as_smtplib_quotes_it() -> None:
    chooser = random.Random(5321)
    alphabet = string.ascii_letters + string.digits + ".+-_=!#$%&'*/?^`{|}~"
    addresses = [
        "".join(chooser.choice(alphabet) for _ in range(chooser.randint(1, 20))) + "@example.jp" for _ in range(2000)
    ]
    plain = [address for address in addresses if smtp_backend._plain(address)]
    assert len(plain) == len(addresses)
    for address in plain:
        assert smtplib.quoteaddr(address) == f"<{address}>", address
