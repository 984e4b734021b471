from __future__ import annotations

import pytest

from careerrelay.core.email_url import email_settings_from_url


def test_smtp_with_starttls_and_credentials() -> None:
    result = email_settings_from_url("smtp://relay%40example.jp:p%40ss@mail.example.jp:587?tls=1")
    assert result["EMAIL_HOST"] == "mail.example.jp"
    assert result["EMAIL_PORT"] == 587
    assert result["EMAIL_HOST_USER"] == "relay@example.jp"
    assert result["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert result["EMAIL_USE_TLS"] is True
    assert result["EMAIL_USE_SSL"] is False


def test_smtps_is_implicit_tls_on_465() -> None:
    result = email_settings_from_url("smtps://mail.example.jp")
    assert (result["EMAIL_PORT"], result["EMAIL_USE_SSL"], result["EMAIL_USE_TLS"]) == (465, True, False)


def test_console_and_file_backends() -> None:
    assert email_settings_from_url("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    assert email_settings_from_url("file:///tmp/mails")["EMAIL_FILE_PATH"] == "/tmp/mails"


def test_an_unknown_scheme_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'carrier-pigeon'"):
        email_settings_from_url("carrier-pigeon://coop")
