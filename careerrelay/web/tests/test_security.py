from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[3]
TEMPLATES = [
    *(PROJECT / "careerrelay").rglob("templates/**/*.html"),
    *(PROJECT / "careerrelay").rglob("jinja2/**/*.html"),
]


def test_pages_carry_a_strict_content_security_policy(client: Client, world: OrgWorld) -> None:
    client.force_login(world.admin)
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_templates_have_no_inline_script_style_or_handlers(template: Path) -> None:
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
    assert "<style" not in text
    assert not re.search(r"\sstyle=", text)
    assert not re.search(r"\son[a-z]+=", text)


def test_forms_need_a_csrf_token(db: None, world: OrgWorld) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin)
    assert client.post("/settings/members/", {"email": "x@example.jp", "role": "admin"}).status_code == 403


def test_the_production_settings_pass_the_deployment_checks() -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "CAREERRELAY_ENV": "production",
        "SECRET_KEY": "x" * 30 + "ThisIsALongRandomEnoughProductionKey-123456",
        "ALLOWED_HOSTS": "relay.example.jp",
        "CAREERRELAY_PUBLIC_URL": "https://relay.example.jp",
        "DATABASE_URL": "postgres://careerrelay@127.0.0.1:5432/careerrelay",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {**os.environ, "CAREERRELAY_ENV": "production"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_mail_links_to_a_non_https_address() -> None:
    env = {**os.environ, "CAREERRELAY_ENV": "production", "SECRET_KEY": "k" * 60}
    env.pop("CAREERRELAY_PUBLIC_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "CAREERRELAY_PUBLIC_URL" in result.stderr
