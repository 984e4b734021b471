from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client, override_settings

from careerrelay.accounts.models import AuditEvent
from careerrelay.core import clock
from careerrelay.orgs.tests.factories import TEST_PASSWORD, OrgWorld

pytestmark = pytest.mark.django_db

START = datetime(2026, 7, 1, 0, 0, 5, tzinfo=UTC)


def _login(client: Client, email: str, password: str, ip: str = "198.51.100.7") -> object:
    return client.post("/login/", {"email": email, "password": password}, REMOTE_ADDR=ip)


def test_a_member_logs_in_and_lands_on_the_home_page(client: Client, world: OrgWorld) -> None:
    response = _login(client, world.recruiter.email, TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert AuditEvent.objects.filter(action="login.succeeded", actor=world.recruiter).exists()


def test_the_address_is_matched_case_and_width_insensitively(client: Client, world: OrgWorld) -> None:
    response = _login(client, world.recruiter.email.upper(), TEST_PASSWORD)
    assert response.status_code == 302


def test_a_wrong_password_gets_one_answer_for_known_and_unknown_addresses(client: Client, world: OrgWorld) -> None:
    wrong = _login(client, world.recruiter.email, "not the password")
    unknown = _login(client, "nobody@example.jp", "not the password")
    assert wrong.status_code == unknown.status_code == 400
    assert "メールアドレスまたはパスワードが正しくありません。" in wrong.content.decode()
    assert "メールアドレスまたはパスワードが正しくありません。" in unknown.content.decode()


@override_settings(CAREERRELAY_LOGIN_MAX_FAILURES=3, CAREERRELAY_LOGIN_LOCK_SECONDS=900)
def test_repeated_failures_lock_the_address_even_for_the_right_password(client: Client, world: OrgWorld) -> None:
    with clock.frozen_at(START):
        for _ in range(3):
            assert _login(client, world.recruiter.email, "guess").status_code == 400
        locked = _login(client, world.recruiter.email, TEST_PASSWORD)
    assert locked.status_code == 429
    assert "15 分後に再度お試しいただくか" in locked.content.decode()
    assert AuditEvent.objects.filter(action="login.throttled").count() == 1
    with clock.frozen_at(START + timedelta(minutes=15)):
        assert _login(client, world.recruiter.email, TEST_PASSWORD).status_code == 302


@override_settings(CAREERRELAY_LOGIN_MAX_FAILURES=3)
def test_the_lock_is_per_address_and_ip(client: Client, world: OrgWorld) -> None:
    with clock.frozen_at(START):
        for _ in range(3):
            _login(client, world.recruiter.email, "guess", ip="198.51.100.7")
        assert _login(client, world.recruiter.email, TEST_PASSWORD, ip="203.0.113.9").status_code == 302


@override_settings(CAREERRELAY_LOGIN_MAX_FAILURES=100, CAREERRELAY_LOGIN_MAX_FAILURES_PER_IP=4)
def test_one_ip_spraying_many_addresses_is_locked(client: Client, world: OrgWorld) -> None:
    with clock.frozen_at(START):
        for index in range(4):
            _login(client, f"victim{index}@example.jp", "guess")
        assert _login(client, world.admin.email, TEST_PASSWORD).status_code == 429


def test_a_successful_login_clears_earlier_failures(client: Client, world: OrgWorld) -> None:
    with override_settings(CAREERRELAY_LOGIN_MAX_FAILURES=3), clock.frozen_at(START):
        _login(client, world.recruiter.email, "guess")
        _login(client, world.recruiter.email, "guess")
        assert _login(client, world.recruiter.email, TEST_PASSWORD).status_code == 302
        client.post("/logout/")
        _login(client, world.recruiter.email, "guess")
        _login(client, world.recruiter.email, "guess")
        assert _login(client, world.recruiter.email, TEST_PASSWORD).status_code == 302


def test_an_open_redirect_through_next_is_refused(client: Client, world: OrgWorld) -> None:
    response = client.post(
        "/login/", {"email": world.recruiter.email, "password": TEST_PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_pages_need_a_login(client: Client) -> None:
    response = client.get("/settings/members/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
