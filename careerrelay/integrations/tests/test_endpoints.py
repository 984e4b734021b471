"""Webhook secrets: created by an admin (or the command line), printed once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from careerrelay.accounts.models import AuditEvent
from careerrelay.core.errors import DomainValidationError, PermissionDenied
from careerrelay.integrations.models import WebhookEndpoint
from careerrelay.integrations.selectors import endpoint_secrets
from careerrelay.integrations.services import endpoint_create
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.django_db


def test_the_command_prints_a_new_greenhouse_secret_once(world: OrgWorld) -> None:
    out = StringIO()
    call_command("webhook", "create", "--org", world.org.slug, "--provider", "greenhouse", stdout=out)
    secret = out.getvalue().strip()
    assert len(secret) == 64
    assert endpoint_secrets(org=world.org, provider="greenhouse") == [secret]
    assert AuditEvent.objects.filter(org=world.org, action="webhook.endpoint_created").count() == 1
    assert secret not in str(list(AuditEvent.objects.filter(org=world.org).values_list("details", flat=True)))


def test_the_command_stores_levers_token_and_requires_it(world: OrgWorld) -> None:
    with pytest.raises(CommandError):
        call_command("webhook", "create", "--org", world.org.slug, "--provider", "lever", stdout=StringIO())
    token = "lever-token-abcdef0123456789"
    call_command(
        "webhook", "create", "--org", world.org.slug, "--provider", "lever", "--secret", token, stdout=StringIO()
    )
    assert endpoint_secrets(org=world.org, provider="lever") == [token]


def test_the_command_refuses_an_unknown_org() -> None:
    with pytest.raises(CommandError):
        call_command("webhook", "create", "--org", "nope", "--provider", "greenhouse", stdout=StringIO())


def test_only_an_admin_creates_secrets_and_short_ones_are_refused(world: OrgWorld) -> None:
    recruiter = Actor(org=world.org, role="recruiter", user=world.recruiter)
    with pytest.raises(PermissionDenied):
        endpoint_create(actor=recruiter, provider="greenhouse")
    admin = Actor(org=world.org, role="admin", user=world.admin)
    with pytest.raises(DomainValidationError):
        endpoint_create(actor=admin, provider="greenhouse", secret="short")
    assert not WebhookEndpoint.objects.exists()


def test_a_revoked_secret_no_longer_verifies(world: OrgWorld) -> None:
    admin = Actor(org=world.org, role="admin", user=world.admin)
    endpoint, _secret = endpoint_create(actor=admin, provider="greenhouse")
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(revoked_at=endpoint.created_at)
    assert endpoint_secrets(org=world.org, provider="greenhouse") == []
