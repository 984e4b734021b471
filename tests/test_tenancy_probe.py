"""Every URL route and API operation, tried by one org against another org's objects.

Each app declares its probes in careerrelay/<app>/tests/tenancy.py (see tests/tenancy.py). A route
or operation that no app declares makes `test_every_route_and_operation_is_covered` fail: adding
an endpoint means deciding how another org is kept out of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from careerrelay.api.main import api
from careerrelay.api.tests.helpers import call
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Membership
from careerrelay.orgs.services import membership_add
from careerrelay.orgs.tests.factories import OrgWorld
from tests.tenancy import AppProbes

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


def _all_probes() -> list[AppProbes]:
    """The PROBES of every careerrelay/**/tests/tenancy.py (apps and their sub-packages)."""
    found = []
    for path in sorted(APPS_DIR.rglob("tests/tenancy.py")):
        module = ".".join(path.relative_to(APPS_DIR.parent).with_suffix("").parts)
        found.append(import_module(module).PROBES)
    return found


APPS_DIR = Path(__file__).resolve().parent.parent / "careerrelay"
ALL = _all_probes()
WEB_OBJECT = {name: probe for app in ALL for name, probe in app.web_object.items()}
WEB_COLLECTIONS = {name: url for app in ALL for name, url in app.web_collections.items()}
API_OBJECT = {operation: body for app in ALL for operation, body in app.api_object.items()}
API_COLLECTIONS = {operation for app in ALL for operation in app.api_collections}


def snapshot(world: OrgWorld) -> dict[str, Any]:
    return {key: value for app in ALL for key, value in app.snapshot(world).items()}


def foreign_ids(other: OrgWorld) -> dict[str, str]:
    return {key: value for app in ALL for key, value in app.foreign_ids(other).items()}


def secrets(other: OrgWorld) -> list[str]:
    return [secret for app in ALL for secret in app.secrets(other)]


def test_every_route_and_operation_is_covered() -> None:
    web_known = {name for app in ALL for name in (*app.web_object, *app.web_collections, *app.web_other)}
    api_known = {operation for app in ALL for operation in (*app.api_object, *app.api_collections, *app.api_other)}
    assert web_routes() - web_known == set(), "new web route without a tenancy probe"
    assert api_operations() - api_known == set(), "new API operation without a tenancy probe"


@pytest.mark.parametrize("name", sorted(WEB_OBJECT))
def test_web_routes_answer_404_for_another_orgs_objects(
    client: Client, world: OrgWorld, other_world: OrgWorld, name: str
) -> None:
    method, template, data = WEB_OBJECT[name]
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
    for secret in secrets(other_world):
        assert secret not in html


def test_switching_to_an_org_one_is_not_a_member_of_is_404(
    client: Client, world: OrgWorld, other_world: OrgWorld
) -> None:
    client.force_login(world.admin)
    response = client.post("/org/switch/", {"org_id": str(other_world.org.pk)})
    assert response.status_code == 404
    assert world.org.name in client.get("/").content.decode()


@pytest.mark.parametrize("operation", sorted(API_OBJECT))
def test_api_operations_answer_404_for_another_orgs_objects(
    client: Client, world: OrgWorld, other_world: OrgWorld, operation: str
) -> None:
    method, template = operation.split(" ", 1)
    before = snapshot(other_world)
    response = call(client, method, template.format(**foreign_ids(other_world)), world.admin_key, API_OBJECT[operation])
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
    for foreign in [*foreign_ids(other_world).values(), *secrets(other_world)]:
        assert foreign not in text


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
