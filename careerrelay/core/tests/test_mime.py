import random
import string
from email import message_from_bytes, policy
from email.header import Header, decode_header, make_header

import pytest
from django.core.mail import EmailMessage

from careerrelay.core import mime

HEADERS = {
    "Message-ID": "<1234.5678@careerrelay.example.jp>",
    "List-Unsubscribe": "<https://relay.example.jp/p/unsubscribe/abc.def/>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
}
SUBJECT = "【株式会社サンプル】ソフトウェアエンジニア職の新しい募集のご案内と、これまでのご応募への感謝"
BODY = "山田 太郎 様\n\nこのたびはご応募いただき、誠にありがとうございました。\n\n.\n株式会社サンプル 採用担当\n"


def _ours(**changes: object) -> bytes:
    values: dict[str, object] = {
        "sender_name": "株式会社サンプル",
        "sender": "noreply@relay.example.jp",
        "to": "taro@example.jp",
        "subject": SUBJECT,
        "body": BODY,
        "headers": HEADERS,
    }
    values.update(changes)
    raw = mime.plain_text(**values)  # type: ignore[arg-type]
    assert raw is not None
    return raw


def _djangos() -> bytes:
    email = EmailMessage(
        subject=SUBJECT,
        body=BODY,
        from_email="株式会社サンプル <noreply@relay.example.jp>",
        to=["taro@example.jp"],
        headers=HEADERS,
    )
    return bytes(email.message().as_bytes(linesep="\r\n"))


def test_reads_as_the_message_django_builds() -> None:
    ours = message_from_bytes(_ours(), policy=policy.default)
    theirs = message_from_bytes(_djangos(), policy=policy.default)
    # Django's own folding leaves a leading space in a long encoded Subject; ours reads back exactly.
    assert str(ours["Subject"]) == SUBJECT
    for name in ("From", "To", "Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post", "MIME-Version"):
        assert str(ours[name]) == str(theirs[name]), name
    assert ours.get_content_type() == theirs.get_content_type() == "text/plain"
    assert ours.get_content_charset() == theirs.get_content_charset() == "utf-8"
    assert ours["Content-Transfer-Encoding"] == theirs["Content-Transfer-Encoding"] == "8bit"
    assert ours.get_content() == theirs.get_content()
    assert ours.get_content().replace("\r\n", "\n") == BODY
    assert ours["Date"] is not None


def test_every_line_ends_in_crlf_and_fits_smtp() -> None:
    raw = _ours()
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert head.isascii()
    # The long Japanese subject is folded into encoded words of at most 76 characters.
    subject_lines = str(make_header(decode_header(message_from_bytes(raw)["Subject"])))
    assert subject_lines == SUBJECT
    assert all(len(line) <= 78 for line in head.split(b"\r\n"))


def test_a_line_longer_than_smtp_allows_goes_base64() -> None:
    body = "あ" * 400 + "\n"  # 1,200 bytes on one line
    parsed = message_from_bytes(_ours(body=body), policy=policy.default)
    assert parsed["Content-Transfer-Encoding"] == "base64"
    assert parsed.get_content().replace("\r\n", "\n") == body


def test_a_line_break_in_a_header_is_refused() -> None:
    with pytest.raises(mime.HeaderInjection):
        _ours(subject="件名\nBcc: someone@example.com")
    with pytest.raises(mime.HeaderInjection):
        _ours(sender_name="会社\r\nBcc: someone@example.com")
    with pytest.raises(mime.HeaderInjection):
        _ours(headers={"List-Unsubscribe": "<https://x/>\r\nBcc: someone@example.com"})


def test_a_non_ascii_address_is_left_to_django() -> None:
    assert (
        mime.plain_text(sender_name="", sender="n@例え.jp", to="t@example.jp", subject="s", body="b", headers={})
        is None
    )
    assert (
        mime.plain_text(sender_name="", sender="n@example.jp", to="太郎@例え.jp", subject="s", body="b", headers={})
        is None
    )


def test_the_prebuilt_message_answers_like_a_message() -> None:
    built = mime.Prebuilt(_ours())
    assert built.as_bytes(linesep="\r\n") == built.raw
    assert b"\r\n" not in built.as_bytes()
    assert built["To"] == "taro@example.jp"
    assert built.get_content_charset() == "utf-8"


def test_an_unbreakable_ascii_header_is_written_as_the_standard_library_folds_it() -> None:
    """The short cut for long values without break points (List-Unsubscribe URLs, Message-IDs)
    gives exactly what email.header.Header gives, on both sides of its folding edge."""
    chooser = random.Random(8058)
    alphabet = string.ascii_letters + string.digits + "<>/:?=.-_@%&+()[]!#$*~'\""
    for name in ("Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post", "X-A"):
        for length in range(1, 400):
            value = "".join(chooser.choice(alphabet) for _ in range(length))
            expected = f"{name}: " + Header(value, "us-ascii", header_name=name).encode(linesep="\r\n")
            assert mime._header(name, value) == expected, (name, length)
    # With a break point in it, a long value is still folded there by the standard library.
    long_list = ", ".join(f"<mailto:unsubscribe-{n}@example.jp>" for n in range(4))
    assert "\r\n" in mime._header("List-Unsubscribe", long_list)
