from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client, override_settings

from careerrelay.accounts.models import AuditEvent
from careerrelay.api import idempotency
from careerrelay.api.models import IdempotencyRecord
from careerrelay.api.tests.helpers import call
from careerrelay.core import clock
from careerrelay.orgs.models import ApiKey, Membership
from careerrelay.orgs.tests.factories import MembershipFactory, OrgWorld

pytestmark = pytest.mark.django_db

NEW_MEMBER = {"email": "new@example.jp", "role": "viewer"}


def test_a_retried_post_is_replayed_not_repeated(client: Client, world: OrgWorld) -> None:
    first = call(client, "POST", "/api/v1/members", world.admin_key, NEW_MEMBER, Idempotency_Key="abc-1")
    second = call(client, "POST", "/api/v1/members", world.admin_key, NEW_MEMBER, Idempotency_Key="abc-1")
    assert first.status_code == second.status_code == 201
    assert second.content == first.content
    assert second["Idempotent-Replayed"] == "true"
    assert Membership.objects.filter(org=world.org, user__email="new@example.jp").count() == 1


def test_the_same_key_with_another_body_is_a_422(client: Client, world: OrgWorld) -> None:
    call(client, "POST", "/api/v1/members", world.admin_key, NEW_MEMBER, Idempotency_Key="abc-2")
    other = call(
        client, "POST", "/api/v1/members", world.admin_key, {"email": "other@example.jp"}, Idempotency_Key="abc-2"
    )
    assert other.status_code == 422
    assert other.json()["type"].endswith("idempotency-key-reused")
    assert not Membership.objects.filter(user__email="other@example.jp").exists()


def test_keys_are_per_org(client: Client, world: OrgWorld, other_world: OrgWorld) -> None:
    call(client, "POST", "/api/v1/members", world.admin_key, NEW_MEMBER, Idempotency_Key="shared")
    response = call(client, "POST", "/api/v1/members", other_world.admin_key, NEW_MEMBER, Idempotency_Key="shared")
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Membership.objects.filter(user__email="new@example.jp").count() == 2


def test_another_key_of_the_org_cannot_replay_an_answer(client: Client, world: OrgWorld) -> None:
    first = call(client, "POST", "/api/v1/members", world.admin_key, NEW_MEMBER, Idempotency_Key="mine")
    assert first.status_code == 201
    stolen = call(client, "POST", "/api/v1/members", world.viewer_key, NEW_MEMBER, Idempotency_Key="mine")
    assert stolen.status_code == 422
    assert "Idempotent-Replayed" not in stolen


def test_an_answer_is_replayed_for_24_hours_then_the_key_is_free(client: Client, world: OrgWorld) -> None:
    start = datetime(2026, 9, 1, tzinfo=UTC)
    with clock.frozen_at(start):
        bad = call(client, "POST", "/api/v1/members", world.recruiter_key, NEW_MEMBER, Idempotency_Key="k")
        assert bad.status_code == 403
    with clock.frozen_at(start + timedelta(hours=23, minutes=59)):
        again = call(client, "POST", "/api/v1/members", world.recruiter_key, NEW_MEMBER, Idempotency_Key="k")
        assert (again.status_code, again["Idempotent-Replayed"]) == (403, "true")
    with clock.frozen_at(start + timedelta(hours=24, seconds=1)):
        fresh = call(client, "POST", "/api/v1/members", world.recruiter_key, NEW_MEMBER, Idempotency_Key="k")
        assert fresh.status_code == 403
        assert "Idempotent-Replayed" not in fresh
        assert IdempotencyRecord.objects.count() == 1  # the expired record was replaced
    with clock.frozen_at(start + timedelta(hours=48, seconds=2)):
        assert idempotency.purge_expired(clock.now()) == 1
        assert not IdempotencyRecord.objects.exists()


def test_a_request_still_running_under_the_key_gets_409(client: Client, world: OrgWorld) -> None:
    key = ApiKey.objects.get(org=world.org, name="admin key")
    fingerprint = idempotency.fingerprint(
        api_key_id=key.pk, method="POST", path="/api/v1/members", body=b'{"email": "new@example.jp", "role": "viewer"}'
    )
    idempotency.begin(org=world.org, key="busy", request_fingerprint=fingerprint)
    response = call(client, "POST", "/api/v1/members", world.admin_key, NEW_MEMBER, Idempotency_Key="busy")
    assert response.status_code == 409
    assert response["Retry-After"] == "1"


@override_settings(CAREERRELAY_API_RATE_LIMIT=3, CAREERRELAY_API_RATE_WINDOW_SECONDS=60)
def test_each_key_is_rate_limited_with_retry_after(client: Client, world: OrgWorld) -> None:
    with clock.frozen_at(datetime(2026, 9, 1, 0, 0, 15, tzinfo=UTC)):
        statuses = [call(client, "GET", "/api/v1/org", world.admin_key).status_code for _ in range(3)]
        limited = call(client, "GET", "/api/v1/org", world.admin_key)
        other_key = call(client, "GET", "/api/v1/org", world.viewer_key)
    assert statuses == [200, 200, 200]
    assert limited.status_code == 429
    assert limited["Retry-After"] == "45"
    assert limited["Content-Type"] == "application/problem+json"
    assert other_key.status_code == 200


def test_cursor_pagination_visits_every_row_once_newest_first(client: Client, world: OrgWorld) -> None:
    for _ in range(4):
        MembershipFactory(org=world.org)
    seen: list[str] = []
    cursor = ""
    for _ in range(10):
        page = call(client, "GET", f"/api/v1/members?limit=2&cursor={cursor}", world.viewer_key).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    expected = [str(pk) for pk in Membership.objects.filter(org=world.org).order_by("-id").values_list("id", flat=True)]
    assert seen == expected
    assert len(seen) == 7


def test_a_forged_cursor_is_a_422_naming_the_parameter(client: Client, world: OrgWorld) -> None:
    response = call(client, "GET", "/api/v1/members?cursor=%%%", world.viewer_key)
    assert response.status_code == 422
    assert response.json()["errors"][0]["parameter"] == "cursor"


def test_lists_are_newest_first_by_the_time_things_happened(client: Client, world: OrgWorld) -> None:
    """Ids carry the clock's time, so history written later about earlier days still sorts right."""
    with clock.frozen_at(datetime(2025, 3, 1, tzinfo=UTC)):
        newer = AuditEvent.objects.create(org=world.org, action="test.newer", actor_label="t")
    with clock.frozen_at(datetime(2024, 3, 1, tzinfo=UTC)):
        older = AuditEvent.objects.create(org=world.org, action="test.older", actor_label="t")
    items = call(client, "GET", "/api/v1/audit-events?limit=200", world.admin_key).json()["items"]
    ids = [item["id"] for item in items]
    assert ids.index(str(newer.pk)) < ids.index(str(older.pk))
    assert ids[-2:] == [str(newer.pk), str(older.pk)]  # both older than the fixture's events of today
