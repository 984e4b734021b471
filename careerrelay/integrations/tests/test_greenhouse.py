"""Greenhouse webhooks end to end: HTTP in, delivery stored, the worker applies it."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pytest
from django.test import Client

from careerrelay.accounts.models import AuditEvent
from careerrelay.candidates.models import Application, Candidate, ExternalId, RejectionReason
from careerrelay.candidates.services import application_record
from careerrelay.candidates.tests.factories import recruiter_of, sample_data
from careerrelay.consent.erasure import carry_out_erasures
from careerrelay.consent.models import ErasureRequest
from careerrelay.core import clock
from careerrelay.core.worker import run_tick
from careerrelay.integrations.models import WebhookDelivery
from careerrelay.integrations.tests.helpers import fixture, fixture_bytes, post_greenhouse
from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.django_db


def process() -> None:
    run_tick(clock.now(), force=True)


def deliver(client: Client, world: OrgWorld, secret: str, name: str, event_id: str = "evt-1") -> None:
    response = post_greenhouse(
        client, world.org.slug, fixture_bytes(f"greenhouse/{name}.json"), secret=secret, event_id=event_id
    )
    assert response.status_code == 200
    process()


def nothing_stored(world: OrgWorld) -> bool:
    return (
        not WebhookDelivery.objects.filter(org=world.org).exists()
        and not Candidate.objects.filter(org=world.org).exists()
    )


def test_a_signed_delivery_is_stored_and_answered_200(client: Client, world: OrgWorld, gh_secret: str) -> None:
    response = post_greenhouse(
        client, world.org.slug, fixture_bytes("greenhouse/reject_candidate.json"), secret=gh_secret
    )
    assert response.status_code == 200
    assert response.json() == {"status": "accepted"}
    delivery = WebhookDelivery.objects.get(org=world.org)
    body_hash = hashlib.sha256(fixture_bytes("greenhouse/reject_candidate.json")).hexdigest()
    assert (delivery.provider, delivery.delivery_id, delivery.event) == (
        "greenhouse",
        f"sha256:{body_hash}",
        "reject_candidate",
    )
    assert delivery.status == WebhookDelivery.Status.PENDING and delivery.payload


@pytest.mark.parametrize(
    "signature",
    ["sha256 " + "0" * 64, "sha1 abc", "", "sha256", "garbage"],
    ids=["wrong-hex", "wrong-algorithm", "empty", "no-hex", "garbage"],
)
def test_a_bad_signature_is_401_and_stores_nothing(
    client: Client, world: OrgWorld, gh_secret: str, signature: str
) -> None:
    body = fixture_bytes("greenhouse/reject_candidate.json")
    response = post_greenhouse(client, world.org.slug, body, secret=None, signature=signature)
    assert response.status_code == 401
    assert nothing_stored(world)


def test_a_missing_signature_is_401(client: Client, world: OrgWorld, gh_secret: str) -> None:
    response = post_greenhouse(client, world.org.slug, fixture_bytes("greenhouse/reject_candidate.json"), secret=None)
    assert response.status_code == 401
    assert nothing_stored(world)


def test_a_body_changed_after_signing_is_401(client: Client, world: OrgWorld, gh_secret: str) -> None:
    from careerrelay.integrations.signatures import greenhouse_signature

    body = fixture_bytes("greenhouse/reject_candidate.json")
    signature = greenhouse_signature(gh_secret, body)
    response = post_greenhouse(
        client, world.org.slug, body.replace(b"Hector", b"Hacker"), secret=None, signature=signature
    )
    assert response.status_code == 401
    assert nothing_stored(world)


def test_an_unknown_org_or_an_org_without_a_secret_is_401(client: Client, world: OrgWorld) -> None:
    body = fixture_bytes("greenhouse/reject_candidate.json")
    assert post_greenhouse(client, "no-such-org", body, secret="x" * 32).status_code == 401
    assert post_greenhouse(client, world.org.slug, body, secret="x" * 32).status_code == 401
    assert not WebhookDelivery.objects.exists()


def test_org_a_secret_cannot_write_into_org_b(
    client: Client, world: OrgWorld, other_world: OrgWorld, gh_secret: str, other_gh_secret: str
) -> None:
    body = fixture_bytes("greenhouse/reject_candidate.json")
    response = post_greenhouse(client, other_world.org.slug, body, secret=gh_secret)
    assert response.status_code == 401
    process()
    assert nothing_stored(other_world) and nothing_stored(world)
    # The same body signed with org B's own secret lands in org B only.
    assert post_greenhouse(client, other_world.org.slug, body, secret=other_gh_secret).status_code == 200
    process()
    assert Candidate.objects.filter(org=other_world.org).count() == 1
    assert nothing_stored(world)


def test_a_ping_is_answered_200_and_not_stored(client: Client, world: OrgWorld, gh_secret: str) -> None:
    body = json.dumps({"action": "ping", "payload": {"web_hook_id": 1}}).encode()
    response = post_greenhouse(client, world.org.slug, body, secret=gh_secret)
    assert response.status_code == 200 and response.json() == {"status": "ping"}
    assert not WebhookDelivery.objects.exists()


def test_a_get_is_not_allowed(client: Client, world: OrgWorld, gh_secret: str) -> None:
    assert client.get(f"/hooks/greenhouse/{world.org.slug}").status_code == 405


def test_a_redelivery_is_acknowledged_and_applied_once(client: Client, world: OrgWorld, gh_secret: str) -> None:
    body = fixture_bytes("greenhouse/reject_candidate.json")
    assert post_greenhouse(client, world.org.slug, body, secret=gh_secret, event_id="e-42").status_code == 200
    process()
    again = post_greenhouse(client, world.org.slug, body, secret=gh_secret, event_id="e-42")
    assert again.status_code == 200 and again.json() == {"status": "duplicate"}
    process()
    assert WebhookDelivery.objects.filter(org=world.org).count() == 1
    assert AuditEvent.objects.filter(org=world.org, action="application.rejected").count() == 1


def test_processing_happens_after_the_response(client: Client, world: OrgWorld, gh_secret: str) -> None:
    post_greenhouse(client, world.org.slug, fixture_bytes("greenhouse/reject_candidate.json"), secret=gh_secret)
    assert not Candidate.objects.filter(org=world.org).exists()
    process()
    delivery = WebhookDelivery.objects.get(org=world.org)
    assert delivery.status == WebhookDelivery.Status.DONE
    assert delivery.payload == "" and delivery.processed_at is not None and delivery.attempts == 1


def test_reject_candidate_records_the_application_and_rejects_it_with_a_mapped_reason(
    client: Client, world: OrgWorld, gh_secret: str
) -> None:
    deliver(client, world, gh_secret, "reject_candidate")
    application = Application.objects.get(org=world.org, external_ref="greenhouse:265293")
    candidate = application.candidate
    assert (candidate.given_name, candidate.family_name) == ("Hector", "Porter")
    assert candidate.email == "hector.porter.265788@example.com"
    assert ExternalId.objects.filter(org=world.org, system="greenhouse", value="265788", candidate=candidate).exists()
    assert application.status == Application.Status.REJECTED
    assert application.stage == "Offer"
    # "Too Junior" / "Wrong skill set" matches none of the org's reasons: the fallback is used.
    assert application.rejection_reason is not None and application.rejection_reason.code == "ats_other"
    assert application.rejection_note == "Greenhouse: Too Junior (Wrong skill set)"


def test_reject_reason_maps_by_name_then_by_type(client: Client, world: OrgWorld, gh_secret: str) -> None:
    payload = fixture("greenhouse/reject_candidate.json")
    payload["payload"]["application"]["rejection_reason"] = {"name": "Timing", "type": {"name": "We rejected them"}}
    body = json.dumps(payload).encode()
    post_greenhouse(client, world.org.slug, body, secret=gh_secret, event_id="by-name")
    payload["payload"]["application"]["id"] = 999
    payload["payload"]["application"]["rejection_reason"] = {
        "name": "Took another job",
        "type": {"name": "They rejected us"},
    }
    post_greenhouse(client, world.org.slug, json.dumps(payload).encode(), secret=gh_secret, event_id="by-type")
    process()
    by_name = Application.objects.get(org=world.org, external_ref="greenhouse:265293")
    by_type = Application.objects.get(org=world.org, external_ref="greenhouse:999")
    assert by_name.rejection_reason.code == "timing" and by_name.status == Application.Status.REJECTED
    assert by_type.rejection_reason.code == "withdrew" and by_type.status == Application.Status.WITHDRAWN


def test_reject_of_a_known_application_closes_it_without_a_second_candidate(
    client: Client, world: OrgWorld, gh_secret: str
) -> None:
    known = application_record(
        actor=recruiter_of(world),
        data=sample_data(email="hector.porter.265788@example.com"),
        source="greenhouse",
        external_ref="greenhouse:265293",
    )
    deliver(client, world, gh_secret, "reject_candidate")
    known.refresh_from_db()
    assert known.status == Application.Status.REJECTED
    assert Candidate.objects.filter(org=world.org).count() == 1


def test_new_application_and_update_record_the_stage(client: Client, world: OrgWorld, gh_secret: str) -> None:
    deliver(client, world, gh_secret, "new_candidate_application", "n1")
    application = Application.objects.get(org=world.org, external_ref="greenhouse:71980812")
    assert application.status == Application.Status.ACTIVE
    assert application.stage == "Preliminary Phone Screen"
    candidate = application.candidate
    assert candidate.email == "person@example.com"  # the personal address first
    assert candidate.current_employer == "Current Company Co." and candidate.current_title == "Manager"
    payload = fixture("greenhouse/new_candidate_application.json")
    payload["action"] = "application_updated"
    payload["payload"]["application"]["current_stage"]["name"] = "Face to Face"
    post_greenhouse(client, world.org.slug, json.dumps(payload).encode(), secret=gh_secret, event_id="n2")
    process()
    application.refresh_from_db()
    assert application.stage == "Face to Face"
    assert list(application.stage_changes.values_list("stage", flat=True)) == [
        "applied",
        "Preliminary Phone Screen",
        "Face to Face",
    ]


def test_application_updated_records_the_person_and_normalises_the_address(
    client: Client, world: OrgWorld, gh_secret: str
) -> None:
    deliver(client, world, gh_secret, "application_updated")
    application = Application.objects.get(org=world.org, external_ref="greenhouse:22202940")
    # The sample's address has a space in it; normalisation (NFKC, spaces out) makes it usable.
    assert application.candidate.family_name == "Von Diablo"
    assert application.candidate.email == "hank.vondiablo.13857579@example.com"
    assert application.stage == "Application Review"


def test_hire_and_unhire(client: Client, world: OrgWorld, gh_secret: str) -> None:
    deliver(client, world, gh_secret, "hire_candidate", "h1")
    application = Application.objects.get(org=world.org, external_ref="greenhouse:46194062")
    assert application.status == Application.Status.HIRED
    assert application.hire_date is not None and application.hire_date.isoformat() == "2015-01-23"
    payload = fixture("greenhouse/unhire_candidate.json")
    payload["payload"]["application"]["id"] = 46194062
    post_greenhouse(client, world.org.slug, json.dumps(payload).encode(), secret=gh_secret, event_id="h2")
    process()
    application.refresh_from_db()
    assert application.status == Application.Status.ACTIVE and application.hire_date is None


def test_unhire_of_an_application_that_is_not_hired_is_skipped(client: Client, world: OrgWorld, gh_secret: str) -> None:
    deliver(client, world, gh_secret, "unhire_candidate")
    delivery = WebhookDelivery.objects.get(org=world.org)
    assert delivery.status == WebhookDelivery.Status.SKIPPED and "not hired" in delivery.outcome
    assert delivery.payload == ""


@pytest.mark.parametrize("name", ["delete_candidate", "candidate_anonymized"])
def test_delete_and_anonymize_ask_for_the_persons_erasure(
    client: Client, world: OrgWorld, gh_secret: str, name: str
) -> None:
    deliver(client, world, gh_secret, "new_candidate_application")
    candidate = Candidate.objects.get(org=world.org)
    body = fixture(f"greenhouse/{name}.json")
    if name == "delete_candidate":
        body["payload"]["person"]["id"] = 60304594
    else:
        body["payload"]["candidate_id"] = 60304594
    response = post_greenhouse(client, world.org.slug, json.dumps(body).encode(), secret=gh_secret, event_id="e2")
    assert response.status_code == 200
    process()
    request = ErasureRequest.objects.get(org=world.org)
    assert (request.candidate, request.channel) == (candidate, "ats_webhook")
    assert request.requested_by == f"greenhouse webhook ({name})"
    assert AuditEvent.objects.filter(org=world.org, action="erasure.requested", object_id=str(request.pk)).exists()
    delivery = WebhookDelivery.objects.get(org=world.org, event=name)
    assert delivery.status == WebhookDelivery.Status.DONE and delivery.payload == ""
    # The erasure job then empties the person.
    carry_out_erasures(clock.now())
    candidate.refresh_from_db()
    request.refresh_from_db()
    assert request.status == ErasureRequest.Status.DONE
    assert candidate.erased_at is not None and candidate.email == "" and candidate.family_name == ""


@pytest.mark.parametrize("name", ["delete_candidate", "candidate_anonymized"])
def test_delete_of_a_person_we_do_not_hold_is_skipped(
    client: Client, world: OrgWorld, gh_secret: str, name: str
) -> None:
    deliver(client, world, gh_secret, name)
    delivery = WebhookDelivery.objects.get(org=world.org)
    assert delivery.status == WebhookDelivery.Status.SKIPPED and "nothing to erase" in delivery.outcome
    assert delivery.payload == ""
    assert not ErasureRequest.objects.filter(org=world.org).exists()
    assert not Candidate.objects.filter(org=world.org).exists()


def test_a_delivery_the_data_makes_impossible_fails_and_is_recorded(
    client: Client, world: OrgWorld, gh_secret: str
) -> None:
    payload = fixture("greenhouse/reject_candidate.json")
    person = payload["payload"]["application"]["candidate"]
    person.update(first_name=None, last_name=None, email_addresses=[])
    post_greenhouse(client, world.org.slug, json.dumps(payload).encode(), secret=gh_secret)
    process()
    delivery = WebhookDelivery.objects.get(org=world.org)
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.error.startswith("family_name:") and delivery.payload == ""
    assert not Application.objects.filter(org=world.org).exists()


def test_an_unhandled_event_is_skipped(client: Client, world: OrgWorld, gh_secret: str) -> None:
    body = json.dumps({"action": "offer_created", "payload": {"id": 1}}).encode()
    post_greenhouse(client, world.org.slug, body, secret=gh_secret)
    process()
    delivery = WebhookDelivery.objects.get(org=world.org)
    assert delivery.status == WebhookDelivery.Status.SKIPPED and delivery.payload == ""


def test_the_fallback_reason_is_created_once(client: Client, world: OrgWorld, gh_secret: str) -> None:
    deliver(client, world, gh_secret, "reject_candidate", "r1")
    payload = fixture("greenhouse/reject_candidate.json")
    payload["payload"]["application"]["id"] = 5
    post_greenhouse(client, world.org.slug, json.dumps(payload).encode(), secret=gh_secret, event_id="r2")
    process()
    assert RejectionReason.objects.filter(org=world.org, code="ats_other").count() == 1


def test_the_fallback_reason_is_audited_when_created_and_when_made_active_again(
    client: Client, world: OrgWorld, gh_secret: str
) -> None:
    from careerrelay.accounts.models import AuditEvent

    deliver(client, world, gh_secret, "reject_candidate", "r1")
    reason = RejectionReason.objects.get(org=world.org, code="ats_other")
    created = AuditEvent.objects.get(org=world.org, action="rejection_reason.created")
    assert created.object_id == str(reason.pk) and created.details == {"code": "ats_other", "from": "ats"}
    RejectionReason.objects.filter(pk=reason.pk).update(is_active=False)
    payload = fixture("greenhouse/reject_candidate.json")
    payload["payload"]["application"]["id"] = 5
    post_greenhouse(client, world.org.slug, json.dumps(payload).encode(), secret=gh_secret, event_id="r2")
    process()
    assert AuditEvent.objects.filter(org=world.org, action="rejection_reason.reactivated").count() == 1
    assert AuditEvent.objects.filter(org=world.org, action="rejection_reason.created").count() == 1


def test_an_unexpected_error_is_retried_on_a_schedule_then_failed(
    client: Client, world: OrgWorld, gh_secret: str
) -> None:
    # An application that is a list, not an object: our handler breaks on it (as it would on a bug
    # of ours), which is retried later rather than dropped.
    body = json.dumps({"action": "reject_candidate", "payload": {"application": [1, 2]}}).encode()
    post_greenhouse(client, world.org.slug, body, secret=gh_secret)
    start = clock.now()
    run_tick(start, force=True)
    delivery = WebhookDelivery.objects.get(org=world.org)
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.PENDING, 1)
    assert delivery.next_attempt_at == start + timedelta(minutes=1)
    assert "AttributeError" in delivery.error and delivery.payload
    run_tick(start + timedelta(seconds=30), force=True)  # not due yet
    assert WebhookDelivery.objects.get(pk=delivery.pk).attempts == 1
    at = start
    for minutes in (1, 5, 30, 120, 480):
        at += timedelta(minutes=minutes)
        run_tick(at, force=True)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.FAILED, 6)
    assert "AttributeError" in delivery.error and delivery.payload == ""


def test_the_signature_covers_the_bytes_as_sent(client: Client, world: OrgWorld, gh_secret: str) -> None:
    # Greenhouse escapes non-ASCII as \uXXXX before signing; the same JSON re-serialised differs.
    payload = fixture("greenhouse/new_candidate_application.json")
    payload["payload"]["application"]["candidate"]["last_name"] = "山田"
    escaped = json.dumps(payload).encode()
    assert b"\\u5c71" in escaped
    assert post_greenhouse(client, world.org.slug, escaped, secret=gh_secret, event_id="u1").status_code == 200
    from careerrelay.integrations.signatures import greenhouse_signature

    signature = greenhouse_signature(gh_secret, escaped)
    raw = json.dumps(payload, ensure_ascii=False).encode()
    assert (
        post_greenhouse(client, world.org.slug, raw, secret=None, signature=signature, event_id="u2").status_code == 401
    )
    process()
    assert Candidate.objects.get(org=world.org).family_name == "山田"


def test_a_captured_delivery_resent_under_a_new_event_id_is_a_repeat(
    client: Client, world: OrgWorld, gh_secret: str
) -> None:
    body = fixture_bytes("greenhouse/reject_candidate.json")
    first = post_greenhouse(client, world.org.slug, body, secret=gh_secret, event_id="evt-1")
    again = post_greenhouse(client, world.org.slug, body, secret=gh_secret, event_id="evt-forged")
    assert first.json() == {"status": "accepted"}
    assert again.json() == {"status": "duplicate"}
    assert WebhookDelivery.objects.filter(org=world.org).count() == 1
