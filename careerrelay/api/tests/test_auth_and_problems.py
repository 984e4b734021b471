from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from careerrelay.api.tests.helpers import call
from careerrelay.core import clock
from careerrelay.orgs.actors import system_actor
from careerrelay.orgs.models import ApiKey
from careerrelay.orgs.services import apikey_revoke
from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.django_db


def _assert_problem(response: object, status: int) -> dict[str, object]:
    assert response.status_code == status  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/problem+json"  # type: ignore[index]
    body = response.json()  # type: ignore[attr-defined]
    assert body["status"] == status
    assert body["title"]
    assert "type" in body
    return body  # type: ignore[no-any-return]


def test_a_valid_key_reads_its_own_org(client: Client, world: OrgWorld) -> None:
    response = call(client, "GET", "/api/v1/org", world.viewer_key)
    assert response.status_code == 200
    assert response.json()["slug"] == "alpha"


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer cr_nothing_here", "Basic dXNlcjpwYXNz", "Bearer x_y"])
def test_missing_or_wrong_credentials_get_a_401_problem(client: Client, world: OrgWorld, header: str | None) -> None:
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    body = _assert_problem(client.get("/api/v1/members", **extra), 401)
    assert body["title"] == "認証が必要です"


def test_a_revoked_key_stops_working_at_once(client: Client, world: OrgWorld) -> None:
    assert call(client, "GET", "/api/v1/org", world.recruiter_key).status_code == 200
    key = ApiKey.objects.get(org=world.org, name="recruiter key")
    apikey_revoke(actor=system_actor(world.org), key_id=key.pk)
    _assert_problem(call(client, "GET", "/api/v1/org", world.recruiter_key), 401)


def test_last_used_is_recorded_at_most_once_a_minute(client: Client, world: OrgWorld) -> None:
    key = ApiKey.objects.get(org=world.org, name="viewer key")
    start = clock.now()
    with clock.frozen_at(start):
        call(client, "GET", "/api/v1/org", world.viewer_key)
    with clock.frozen_at(start + timedelta(seconds=30)):
        call(client, "GET", "/api/v1/org", world.viewer_key)
    key.refresh_from_db()
    assert key.last_used_at == start
    with clock.frozen_at(start + timedelta(minutes=2)):
        call(client, "GET", "/api/v1/org", world.viewer_key)
    key.refresh_from_db()
    assert key.last_used_at == start + timedelta(minutes=2)


def test_errors_follow_the_callers_language(client: Client, world: OrgWorld) -> None:
    ja = _assert_problem(
        call(client, "GET", "/api/v1/members/00000000-0000-7000-8000-000000000000", world.admin_key), 404
    )
    en = _assert_problem(
        call(
            client,
            "GET",
            "/api/v1/members/00000000-0000-7000-8000-000000000000",
            world.admin_key,
            Accept_Language="en",
        ),
        404,
    )
    assert (ja["title"], en["title"]) == ("見つかりません", "Not found")


def test_a_body_error_names_the_json_pointer(client: Client, world: OrgWorld) -> None:
    response = call(client, "POST", "/api/v1/members", world.admin_key, {"email": "not-an-email", "role": "boss"})
    body = _assert_problem(response, 422)
    pointers = {error["pointer"] for error in body["errors"]}  # type: ignore[attr-defined]
    assert pointers == {"#/email", "#/role"}


def test_a_query_error_names_the_parameter(client: Client, world: OrgWorld) -> None:
    body = _assert_problem(call(client, "GET", "/api/v1/members?limit=0", world.admin_key), 422)
    assert body["errors"] == [{"parameter": "limit", "detail": body["errors"][0]["detail"]}]  # type: ignore[index]


def test_a_role_that_is_too_low_gets_403_and_nothing_changes(client: Client, world: OrgWorld) -> None:
    body = _assert_problem(
        call(client, "POST", "/api/v1/members", world.recruiter_key, {"email": "x@example.jp", "role": "viewer"}), 403
    )
    assert body["detail"] == "あなたのロールではこの操作はできません。"
    assert call(client, "GET", "/api/v1/members", world.admin_key).json()["items"].__len__() == 3


def test_unknown_api_paths_are_problems_too(client: Client, world: OrgWorld) -> None:
    _assert_problem(call(client, "GET", "/api/v1/no-such-thing", world.admin_key), 404)


def test_the_openapi_document_is_served_without_a_key(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/members" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_validation_messages_are_localised(client: Client, world: OrgWorld) -> None:
    body = call(client, "POST", "/api/v1/members", world.admin_key, {"role": "boss"}).json()
    details = {error["pointer"]: error["detail"] for error in body["errors"]}
    assert details["#/email"] == "この項目は必須です。"
    assert details["#/role"].startswith("次のいずれかを指定してください")


def test_an_unreadable_body_is_a_400_problem(client: Client, world: OrgWorld) -> None:
    response = client.post(
        "/api/v1/members",
        data="{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {world.admin_key}",
    )
    body = _assert_problem(response, 400)
    assert body["title"] == "リクエストの形式が正しくありません"


def test_adding_an_existing_member_is_a_conflict(client: Client, world: OrgWorld) -> None:
    response = call(client, "POST", "/api/v1/members", world.admin_key, {"email": world.viewer.email})
    _assert_problem(response, 409)


def test_error_answers_are_documented_as_problem_json(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    for path_item in schema["paths"].values():
        for operation in path_item.values():
            responses = operation["responses"]
            assert {"401", "429"} <= set(responses)
            for status, response in responses.items():
                if int(status) >= 400:
                    assert list(response["content"]) == ["application/problem+json"]


def test_a_wrong_method_is_a_405_problem_with_allow(client: Client, world: OrgWorld) -> None:
    response = call(client, "PUT", "/api/v1/org", world.admin_key, {})
    body = _assert_problem(response, 405)
    assert body["title"] == "許可されていないメソッドです"
    assert response["Allow"] == "GET"
