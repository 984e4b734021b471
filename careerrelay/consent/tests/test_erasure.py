"""Erasure requests and the job: idempotent, admins only, audited, merge clusters, imports wait,
portal links die with the person; the API operation and the page with its confirm step."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from careerrelay.accounts.models import AuditEvent
from careerrelay.api.tests.helpers import call
from careerrelay.candidates.data import CandidateData
from careerrelay.candidates.imports.export import export_rows
from careerrelay.candidates.imports.jobs import import_job_create, import_job_run
from careerrelay.candidates.merging import candidates_merge
from careerrelay.candidates.models import Candidate, MergeRecord
from careerrelay.candidates.pool import pool_list
from careerrelay.candidates.services import application_record
from careerrelay.candidates.tests.factories import recruiter_of
from careerrelay.consent.erasure import candidate_erasure_request, carry_out_erasures, erasure_request
from careerrelay.consent.models import ErasureRequest
from careerrelay.consent.tests.factories import candidate_in
from careerrelay.consent.tokens import check_token, portal_token
from careerrelay.core import clock
from careerrelay.core.errors import DomainValidationError, NotFound, PermissionDenied
from careerrelay.core.worker import run_tick
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 4, 1, 3, 0, tzinfo=UTC)


def _admin(world: OrgWorld) -> Actor:
    return Actor(org=world.org, role="admin", user=world.admin, ip="192.0.2.1")


def test_a_second_request_while_one_is_pending_returns_the_first(world: OrgWorld) -> None:
    candidate = candidate_in(world)
    first = erasure_request(candidate=candidate, channel="portal", requested_by="candidate", at=T0)
    again = erasure_request(candidate=candidate, channel="admin", requested_by="someone", at=T0 + timedelta(hours=1))
    assert again == first and ErasureRequest.objects.filter(candidate=candidate).count() == 1
    # Recorded, but nobody acted in the org: no audit row.
    assert not AuditEvent.objects.filter(action="erasure.requested").exists()
    with pytest.raises(DomainValidationError):
        erasure_request(candidate=candidate_in(world, email="x@example.jp"), channel="fax", requested_by="x")


def test_only_admins_ask_and_the_request_is_audited_without_the_name(world: OrgWorld) -> None:
    candidate = candidate_in(world)
    with pytest.raises(PermissionDenied):
        candidate_erasure_request(actor=recruiter_of(world), candidate_id=candidate.pk)
    request = candidate_erasure_request(actor=_admin(world), candidate_id=candidate.pk)
    assert (request.channel, request.requested_by) == ("admin", world.admin.email)
    event = AuditEvent.objects.get(action="erasure.requested")
    assert event.object_id == str(request.pk) and candidate.family_name not in event.object_label


def test_another_orgs_person_cannot_be_asked_for(world: OrgWorld, other_world: OrgWorld) -> None:
    foreign = candidate_in(other_world)
    with pytest.raises(NotFound):
        candidate_erasure_request(actor=_admin(world), candidate_id=foreign.pk)
    assert not ErasureRequest.objects.exists()


def test_the_job_erases_the_whole_merge_cluster_whichever_record_was_named(world: OrgWorld) -> None:
    recruiter = recruiter_of(world)
    survivor = candidate_in(world)
    twin = application_record(
        actor=recruiter, data=CandidateData(family_name="佐藤", email="old@example.jp"), source="test"
    ).candidate
    merge = candidates_merge(actor=recruiter, survivor_id=survivor.pk, merged_id=twin.pk)
    erasure_request(candidate=twin, channel="admin", requested_by="admin", at=T0)
    assert carry_out_erasures(T0) == 1
    for record in (survivor, twin):
        record.refresh_from_db()
        assert record.erased_at == T0 and record.email == "" and record.family_name == "" and record.skills == []
    merge.refresh_from_db()
    assert merge.status == MergeRecord.Status.CONFIRMED and merge.survivor_before == {} and merge.moved == {}
    # Counts add up: both rows are still there, emptied.
    assert Candidate.objects.filter(org=world.org).count() == 2
    done = AuditEvent.objects.get(action="erasure.completed")
    assert (done.actor_label, done.details) == ("erasure job", {"channel": "admin", "records": 2})


def test_a_request_waits_for_a_future_instant_and_for_the_orgs_running_import(world: OrgWorld) -> None:
    candidate = candidate_in(world)
    erasure_request(candidate=candidate, channel="portal", requested_by="candidate", at=T0)
    assert carry_out_erasures(T0 - timedelta(minutes=1)) == 0
    csv = "氏名,メールアドレス\n佐藤 美咲,misaki.sato@example.jp\n"
    job = import_job_create(actor=recruiter_of(world), upload=io.BytesIO(csv.encode()), file_name="a.csv")
    assert carry_out_erasures(T0) == 0
    candidate.refresh_from_db()
    assert candidate.erased_at is None
    import_job_run(job)
    assert carry_out_erasures(T0) == 1
    # The import landed on the same record, which is then erased: no fresh copy of the person.
    assert not Candidate.objects.filter(org=world.org, email__iexact="misaki.sato@example.jp").exists()


def test_a_portal_link_is_refused_once_the_erasure_job_ran(world: OrgWorld) -> None:
    candidate = candidate_in(world)
    token = portal_token(candidate)
    assert check_token(token).candidate == candidate
    erasure_request(candidate=candidate, channel="portal", requested_by="candidate")
    run_tick(clock.now(), force=True)
    check = check_token(token)
    assert check.candidate is None and not check.expired


def test_erasing_an_erased_person_again_changes_nothing(world: OrgWorld) -> None:
    candidate = candidate_in(world)
    erasure_request(candidate=candidate, channel="admin", requested_by="admin", at=T0)
    carry_out_erasures(T0)
    second = erasure_request(candidate=candidate, channel="admin", requested_by="admin", at=T0 + timedelta(days=1))
    assert carry_out_erasures(T0 + timedelta(days=1)) == 1
    second.refresh_from_db()
    candidate.refresh_from_db()
    assert second.status == "done" and candidate.erased_at == T0 + timedelta(days=1) and candidate.email == ""


def test_the_api_answers_202_with_the_request_and_refuses_a_recruiter_key(client: Client, world: OrgWorld) -> None:
    candidate = candidate_in(world)
    path = f"/api/v1/candidates/{candidate.pk}/erasure"
    refused = call(client, "POST", path, world.recruiter_key)
    assert refused.status_code == 403 and not ErasureRequest.objects.exists()
    response = call(client, "POST", path, world.admin_key)
    assert response.status_code == 202
    body = response.json()
    assert (body["candidate_id"], body["channel"], body["status"]) == (str(candidate.pk), "admin", "pending")
    assert call(client, "POST", path, world.admin_key).json()["id"] == body["id"]


def test_the_page_asks_for_confirmation_then_requests(client: Client, world: OrgWorld) -> None:
    candidate = candidate_in(world)
    url = f"/candidates/{candidate.pk}/erase/"
    client.force_login(world.admin)
    assert url in client.get(f"/candidates/{candidate.pk}/").content.decode()
    confirm_page = client.get(url)
    assert confirm_page.status_code == 200 and 'name="confirm"' in confirm_page.content.decode()
    unconfirmed = client.post(url, {})
    assert unconfirmed.status_code == 400 and not ErasureRequest.objects.exists()
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == f"/candidates/{candidate.pk}/"
    assert ErasureRequest.objects.get(candidate=candidate).channel == "admin"


def test_the_page_is_for_admins_and_another_orgs_person_is_404(
    client: Client, world: OrgWorld, other_world: OrgWorld
) -> None:
    candidate = candidate_in(world)
    client.force_login(world.recruiter)
    assert client.get(f"/candidates/{candidate.pk}/erase/").status_code == 403
    assert client.post(f"/candidates/{candidate.pk}/erase/", {"confirm": "on"}).status_code == 403
    assert f"/candidates/{candidate.pk}/erase/" not in client.get(f"/candidates/{candidate.pk}/").content.decode()
    client.force_login(world.admin)
    foreign = candidate_in(other_world)
    assert client.get(f"/candidates/{foreign.pk}/erase/").status_code == 404
    assert not ErasureRequest.objects.exists()


def test_an_erased_person_leaves_the_pool_list_and_the_csv_export(world: OrgWorld) -> None:
    erased, kept = candidate_in(world), candidate_in(world, email="kept@example.jp", phone="", family_name_kana="")
    erasure_request(candidate=erased, channel="admin", requested_by="admin", at=T0)
    carry_out_erasures(T0)
    assert list(pool_list(org=world.org).values_list("pk", flat=True)) == [kept.pk]
    exported = "\n".join(",".join(row) for row in export_rows(org=world.org))
    assert str(erased.pk) not in exported and "kept@example.jp" in exported
