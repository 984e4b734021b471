from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client

from careerrelay.accounts import emails
from careerrelay.accounts.models import AuditEvent, PasswordResetRequest, SystemEmail, User
from careerrelay.accounts.services import password_reset_complete, user_create
from careerrelay.core import clock, worker
from careerrelay.orgs.tests.factories import TEST_PASSWORD, OrgWorld
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
    assert PasswordResetRequest.objects.filter(email=world.recruiter.email).count() == 1

    results = worker.run_tick(clock.now())
    assert (results["process_password_resets"], results["send_system_emails"]) == (1, 1)
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
    opened = client.get(path)
    assert opened.status_code == 302
    set_url = opened["Location"]
    assert "new-password" in set_url and path.rstrip("/").rsplit("/", 1)[-1] not in set_url  # token left the URL
    weak = client.post(set_url, {"new_password": "password123", "new_password_again": "password123"})
    assert weak.status_code == 400
    done = client.post(
        set_url, {"new_password": "新しい合言葉 with 2 words", "new_password_again": "新しい合言葉 with 2 words"}
    )
    assert done.status_code == 302
    assert User.objects.get(pk=world.recruiter.pk).check_password("新しい合言葉 with 2 words")
    assert AuditEvent.objects.filter(action="password_reset.completed", actor=world.recruiter).exists()
    # The link is single-use.
    assert "このリンクは無効です" in client.get(path, follow=True).content.decode()


def test_known_and_unknown_addresses_get_the_same_answer_and_only_accounts_get_mail(
    client: Client, world: OrgWorld
) -> None:
    known = client.post("/password-reset/", {"email": world.admin.email})
    unknown = client.post("/password-reset/", {"email": "stranger@example.jp"})
    assert known.status_code == unknown.status_code == 200
    assert [t.name for t in known.templates] == [t.name for t in unknown.templates]
    assert "メールをご確認ください" in unknown.content.decode()
    assert PasswordResetRequest.objects.count() == 2
    worker.run_tick(clock.now())
    assert list(SystemEmail.objects.values_list("to", flat=True)) == [world.admin.email]


def test_an_invited_person_without_a_password_can_ask_for_a_new_link(client: Client, world: OrgWorld) -> None:
    invited = user_create(email="invitee@example.jp")
    assert not invited.has_usable_password()
    client.post("/password-reset/", {"email": "Invitee@Example.jp"})
    worker.run_tick(clock.now())
    assert SystemEmail.objects.filter(to="invitee@example.jp").exists()


def test_one_address_gets_at_most_three_links_an_hour(client: Client, world: OrgWorld) -> None:
    for _ in range(5):
        assert client.post("/password-reset/", {"email": world.admin.email}).status_code == 200
    assert PasswordResetRequest.objects.count() == 3


def test_a_reset_lifts_the_login_lock(client: Client, world: OrgWorld) -> None:
    from django.test import override_settings

    with override_settings(CAREERRELAY_LOGIN_MAX_FAILURES=2):
        for _ in range(3):
            client.post("/login/", {"email": world.viewer.email, "password": "guess"})
        assert client.post("/login/", {"email": world.viewer.email, "password": TEST_PASSWORD}).status_code == 429
        password_reset_complete(user=world.viewer, new_password="a brand new passphrase", ip=None)
        response = client.post("/login/", {"email": world.viewer.email, "password": "a brand new passphrase"})
        assert response.status_code == 302


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
