from __future__ import annotations

import pytest
from django.test import Client

from careerrelay.api.tests.helpers import call
from careerrelay.candidates.models import Application, Candidate, MergeRecord
from careerrelay.candidates.tests.factories import apply
from careerrelay.candidates.tests.tenancy import ensure_pool
from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.django_db


def twins(world: OrgWorld) -> tuple[str, str]:
    a = apply(world, birth_year=None, email="misaki@mirai-kogyo.co.jp").candidate_id
    b = apply(world, email="m.sato@mirai-kogyo.co.jp", phone="080-5555-6666").candidate_id
    return str(a), str(b)


def test_duplicates_are_listed_then_merged_reverted_and_confirmed(client: Client, world: OrgWorld) -> None:
    a, b = twins(world)
    (pair,) = call(client, "GET", "/api/v1/duplicates", world.viewer_key).json()
    assert (pair["first"]["id"], pair["second"]["id"]) == (a, b)
    assert pair["reasons"] == ["same_kana_name", "same_name_and_email_domain"]
    created = call(client, "POST", "/api/v1/merges", world.recruiter_key, {"survivor_id": a, "merged_id": b})
    assert created.status_code == 201
    merge = created.json()
    assert merge["status"] == "pending"
    assert len(merge["moved"]["applications"]) == 1
    assert call(client, "GET", f"/api/v1/candidates/{b}", world.viewer_key).json()["merged_into"] == a
    assert call(client, "GET", "/api/v1/duplicates", world.viewer_key).json() == []
    reverted = call(client, "POST", f"/api/v1/merges/{merge['id']}/revert", world.recruiter_key)
    assert reverted.json()["status"] == "reverted"
    assert Application.objects.filter(candidate_id=b).count() == 1
    again = call(client, "POST", "/api/v1/merges", world.recruiter_key, {"survivor_id": b, "merged_id": a}).json()
    confirmed = call(client, "POST", f"/api/v1/merges/{again['id']}/confirm", world.recruiter_key)
    assert confirmed.json()["status"] == "confirmed"
    late = call(client, "POST", f"/api/v1/merges/{again['id']}/revert", world.recruiter_key)
    assert late.status_code == 409


def test_viewers_cannot_merge(client: Client, world: OrgWorld) -> None:
    a, b = twins(world)
    response = call(client, "POST", "/api/v1/merges", world.viewer_key, {"survivor_id": a, "merged_id": b})
    assert response.status_code == 403
    assert not MergeRecord.objects.exists()


def test_merging_another_orgs_candidates_is_404(client: Client, world: OrgWorld, other_world: OrgWorld) -> None:
    mine = str(apply(world).candidate_id)
    theirs = str(ensure_pool(other_world).candidate_id)
    for body in ({"survivor_id": mine, "merged_id": theirs}, {"survivor_id": theirs, "merged_id": mine}):
        response = call(client, "POST", "/api/v1/merges", world.admin_key, body)
        assert response.status_code == 404
    assert not MergeRecord.objects.filter(org=world.org).exists()
    assert Candidate.objects.get(pk=theirs).merged_into_id is None


def test_a_dismissed_pair_is_audited_and_no_longer_proposed(client: Client, world: OrgWorld) -> None:
    from careerrelay.accounts.models import AuditEvent

    a, b = twins(world)
    # named in either order, the pair is stored once, lower id first
    url = "/api/v1/duplicates/dismissals"
    response = call(client, "POST", url, world.recruiter_key, {"first_id": b, "second_id": a})
    assert response.status_code == 201
    assert (response.json()["first_id"], response.json()["second_id"]) == (a, b)
    again = call(client, "POST", url, world.recruiter_key, {"first_id": a, "second_id": b})
    assert again.json()["id"] == response.json()["id"]
    assert call(client, "GET", "/api/v1/duplicates", world.viewer_key).json() == []
    event = AuditEvent.objects.get(org=world.org, action="candidates.duplicate_dismissed")
    assert event.details == {"first": a, "second": b}
    assert Candidate.objects.filter(pk__in=[a, b], merged_into__isnull=True).count() == 2


def test_viewers_cannot_dismiss_and_a_record_is_not_its_own_pair(client: Client, world: OrgWorld) -> None:
    from careerrelay.candidates.models import DuplicateDismissal

    a, b = twins(world)
    body = {"first_id": a, "second_id": b}
    assert call(client, "POST", "/api/v1/duplicates/dismissals", world.viewer_key, body).status_code == 403
    same = call(client, "POST", "/api/v1/duplicates/dismissals", world.recruiter_key, {"first_id": a, "second_id": a})
    assert same.status_code == 422
    assert not DuplicateDismissal.objects.exists()


def test_dismissing_a_pair_with_another_orgs_record_is_404(
    client: Client, world: OrgWorld, other_world: OrgWorld
) -> None:
    from careerrelay.accounts.models import AuditEvent
    from careerrelay.candidates.models import DuplicateDismissal

    mine = str(apply(world).candidate_id)
    theirs = str(ensure_pool(other_world).candidate_id)
    for body in ({"first_id": mine, "second_id": theirs}, {"first_id": theirs, "second_id": mine}):
        response = call(client, "POST", "/api/v1/duplicates/dismissals", world.admin_key, body)
        assert response.status_code == 404
    assert not DuplicateDismissal.objects.exists()
    assert not AuditEvent.objects.filter(action="candidates.duplicate_dismissed").exists()
