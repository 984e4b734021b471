"""Every URL route and API operation, tried by one org against another org's objects.

A route or operation that is not listed below makes `test_every_route_and_operation_is_covered`
fail: adding an endpoint means deciding here how it is probed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from careerrelay.accounts.models import AuditEvent, User
from careerrelay.api.main import api
from careerrelay.api.tests.helpers import call
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import ApiKey, Membership
from careerrelay.orgs.services import membership_add
from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.django_db


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name or ''}"


def web_routes() -> set[str]:
    return {name for route, name in _walk(get_resolver().url_patterns) if not route.startswith("api/")}


def api_operations() -> set[str]:
    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, item in schema["paths"].items() for method in item}


def snapshot(world: OrgWorld) -> dict[str, Any]:
    """Everything of an org that a foreign request could change."""
    return {
        "members": sorted(Membership.objects.filter(org=world.org).values_list("id", "role", "user__email")),
        "keys": sorted(ApiKey.objects.filter(org=world.org).values_list("id", "revoked_at", "name")),
        "audit": AuditEvent.objects.filter(org=world.org).count(),
        "users": sorted(User.objects.filter(memberships__org=world.org).values_list("email", "password", "language")),
    }


def foreign_ids(other: OrgWorld) -> dict[str, str]:
    return {
        "member_id": str(other.membership(other.recruiter).pk),
        "key_id": str(ApiKey.objects.get(org=other.org, name="viewer key").pk),
    }


# Routes that address another org's object by id: (method, URL template, form data).
WEB_OBJECT_PROBES: dict[str, tuple[str, str, dict[str, str]]] = {
    "web:member_role": ("post", "/settings/members/{member_id}/role/", {"role": "admin"}),
    "web:member_remove": ("post", "/settings/members/{member_id}/remove/", {}),
    "web:apikey_revoke": ("post", "/settings/api-keys/{key_id}/revoke/", {}),
}
# Org-scoped pages that list things: another org's data must not appear on them.
WEB_COLLECTIONS = {
    "web:home": "/",
    "web:members": "/settings/members/",
    "web:apikeys": "/settings/api-keys/",
    "web:audit": "/settings/audit/",
}
# The org switcher takes an org id in the body; invitations belong to one person. Probed below.
WEB_ORG_SWITCH = {"web:switch_org"}
WEB_USER_SCOPED = {"web:invitation_accept", "web:invitation_decline"}
# Routes that hold no org data at all (the account page is the signed-in person's own).
WEB_NOT_ORG_SCOPED = {
    "healthz",
    "web:account",
    "web:login",
    "web:logout",
    "web:password_reset",
    "web:password_reset_confirm",
    "web:password_reset_set",
    "web:password_reset_complete",
    "web:set_language",
}

API_OBJECT_PROBES: dict[str, dict[str, Any] | None] = {
    "GET /api/v1/members/{member_id}": None,
    "PATCH /api/v1/members/{member_id}": {"role": "admin"},
    "DELETE /api/v1/members/{member_id}": None,
    "GET /api/v1/api-keys/{key_id}": None,
    "POST /api/v1/api-keys/{key_id}/revoke": None,
}
API_COLLECTIONS = {"GET /api/v1/members", "GET /api/v1/api-keys", "GET /api/v1/audit-events", "GET /api/v1/org"}
# Creates in the caller's own org only; probed below.
API_OWN_ORG_WRITES = {"POST /api/v1/members"}


def test_every_route_and_operation_is_covered() -> None:
    web_known = set(WEB_OBJECT_PROBES) | set(WEB_COLLECTIONS) | WEB_ORG_SWITCH | WEB_USER_SCOPED | WEB_NOT_ORG_SCOPED
    api_known = set(API_OBJECT_PROBES) | API_COLLECTIONS | API_OWN_ORG_WRITES
    assert web_routes() - web_known == set(), "new web route without a tenancy probe"
    assert api_operations() - api_known == set(), "new API operation without a tenancy probe"


@pytest.mark.parametrize("name", sorted(WEB_OBJECT_PROBES))
def test_web_routes_answer_404_for_another_orgs_objects(
    client: Client, world: OrgWorld, other_world: OrgWorld, name: str
) -> None:
    method, template, data = WEB_OBJECT_PROBES[name]
    client.force_login(world.admin)
    before = snapshot(other_world)
    response = getattr(client, method)(template.format(**foreign_ids(other_world)), data)
    assert response.status_code == 404
    assert snapshot(other_world) == before


@pytest.mark.parametrize("name", sorted(WEB_COLLECTIONS))
def test_web_pages_show_nothing_of_another_org(
    client: Client, world: OrgWorld, other_world: OrgWorld, name: str
) -> None:
    client.force_login(world.admin)
    html = client.get(WEB_COLLECTIONS[name]).content.decode()
    assert world.org.name in html
    for secret in (other_world.org.name, other_world.admin.email, other_world.recruiter.email):
        assert secret not in html
    foreign_prefix = ApiKey.objects.get(org=other_world.org, name="viewer key").prefix
    assert foreign_prefix not in html


def test_switching_to_an_org_one_is_not_a_member_of_is_404(
    client: Client, world: OrgWorld, other_world: OrgWorld
) -> None:
    client.force_login(world.admin)
    response = client.post("/org/switch/", {"org_id": str(other_world.org.pk)})
    assert response.status_code == 404
    assert world.org.name in client.get("/").content.decode()


@pytest.mark.parametrize("operation", sorted(API_OBJECT_PROBES))
def test_api_operations_answer_404_for_another_orgs_objects(
    client: Client, world: OrgWorld, other_world: OrgWorld, operation: str
) -> None:
    method, template = operation.split(" ", 1)
    before = snapshot(other_world)
    response = call(
        client, method, template.format(**foreign_ids(other_world)), world.admin_key, API_OBJECT_PROBES[operation]
    )
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert snapshot(other_world) == before


@pytest.mark.parametrize("operation", sorted(API_COLLECTIONS))
def test_api_lists_hold_only_the_callers_org(
    client: Client, world: OrgWorld, other_world: OrgWorld, operation: str
) -> None:
    _method, path = operation.split(" ", 1)
    body = call(client, "GET", path, world.admin_key).json()
    text = str(body)
    assert str(other_world.org.pk) not in text
    for foreign in foreign_ids(other_world).values():
        assert foreign not in text
    assert other_world.admin.email not in text


def test_creating_a_member_lands_in_the_callers_org_only(
    client: Client, world: OrgWorld, other_world: OrgWorld
) -> None:
    before = snapshot(other_world)
    response = call(client, "POST", "/api/v1/members", world.admin_key, {"email": "fresh@example.jp"})
    assert response.status_code == 201
    assert snapshot(other_world) == before
    assert Membership.objects.filter(org=world.org, user__email="fresh@example.jp").exists()


@pytest.mark.parametrize("action", ["accept", "decline"])
def test_nobody_answers_an_invitation_meant_for_someone_else(
    client: Client, world: OrgWorld, other_world: OrgWorld, action: str
) -> None:
    invitation = membership_add(
        actor=Actor(org=other_world.org, role="admin", user=other_world.admin), email="invitee@example.jp", role="admin"
    )
    before = snapshot(other_world)
    client.force_login(world.admin)
    response = client.post(f"/invitations/{invitation.pk}/{action}/")
    assert response.status_code == 404
    assert snapshot(other_world) == before
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_inviting_someone_from_another_org_reveals_nothing_about_them(
    client: Client, world: OrgWorld, other_world: OrgWorld
) -> None:
    before = snapshot(other_world)
    body = call(client, "POST", "/api/v1/members", world.admin_key, {"email": other_world.admin.email}).json()
    assert body["status"] == "invited"
    assert body["user"]["family_name"] == body["user"]["family_name_kana"] == ""
    assert body["user"]["display_name"] == other_world.admin.email
    listed = call(client, "GET", "/api/v1/members", world.admin_key).json()["items"]
    (invited,) = [item for item in listed if item["user"]["email"] == other_world.admin.email]
    assert invited["user"]["family_name"] == invited["user"]["given_name_kana"] == ""
    assert snapshot(other_world) == before
