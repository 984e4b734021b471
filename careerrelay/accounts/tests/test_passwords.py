from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client

from careerrelay.accounts import emails
from careerrelay.accounts.models import SystemEmail, User
from careerrelay.accounts.services import user_create
from careerrelay.core import clock
from careerrelay.orgs.tests.factories import OrgWorld
from conftest import SmtpServer

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/password-reset/[^/\s]+/[^/\s]+/")


def test_production_hashes_passwords_with_argon2() -> None:
    from django.test import override_settings

    from config import settings as project_settings

    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        user = user_create(email="argon@example.jp", password="a long enough passphrase")
        assert user.password.startswith("argon2$")
        assert user.check_password("a long enough passphrase")


def test_a_reset_mail_goes_out_over_smtp_and_its_link_sets_a_new_password(
    client: Client, world: OrgWorld, smtp_server: SmtpServer
) -> None:
    response = client.post("/password-reset/", {"email": world.recruiter.email})
    assert response.status_code == 200
    assert SystemEmail.objects.filter(to=world.recruiter.email, status="pending").count() == 1

    assert emails.send_due(clock.now()) == 1
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == world.recruiter.email
    # Django folds a long encoded subject before its first word; unfolding leaves one space.
    assert message["Subject"].strip() == "【キャリアリレー】パスワード再設定のご案内"
    body = message.get_content()
    assert body.startswith(f"{world.recruiter.display_name} 様")
    sent = SystemEmail.objects.get(to=world.recruiter.email)
    assert sent.status == "sent" and sent.message_id == message["Message-ID"]

    link = LINK.search(body)
    assert link is not None
    path = link.group(0).split(settings.CAREERRELAY_PUBLIC_URL.rstrip("/"), 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url, {"new_password1": "新しい合言葉 with 2 words", "new_password2": "新しい合言葉 with 2 words"}
    )
    assert done.status_code == 302
    assert User.objects.get(pk=world.recruiter.pk).check_password("新しい合言葉 with 2 words")
    # The link is single-use.
    assert "このリンクは無効です" in client.get(path, follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client: Client, db: None) -> None:
    response = client.post("/password-reset/", {"email": "stranger@example.jp"})
    assert response.status_code == 200
    assert "メールをご確認ください" in response.content.decode()
    assert not SystemEmail.objects.exists()


def test_a_failed_send_is_retried_with_backoff_then_reported(world: OrgWorld, settings: object) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # type: ignore[attr-defined]  # nothing listens
    settings.EMAIL_TIMEOUT = 2  # type: ignore[attr-defined]
    mail = emails.queue(to=world.admin.email, subject="件名", body="本文")
    at = datetime(2026, 8, 3, 0, 0, tzinfo=UTC)
    mail.next_attempt_at = at
    mail.save()
    for attempt, delay in enumerate(emails.RETRY_DELAYS, 1):
        assert emails.send_due(at) == 0
        mail.refresh_from_db()
        assert (mail.status, mail.attempts) == ("pending", attempt)
        assert mail.next_attempt_at == at + delay
        at = mail.next_attempt_at
    emails.send_due(at)
    mail.refresh_from_db()
    assert mail.status == "failed"
    assert "Connection refused" in mail.last_error or "Errno" in mail.last_error
    assert emails.send_due(at + timedelta(days=1)) == 0
